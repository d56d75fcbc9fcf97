"""Project checkov checks for what checkov's Bicep set does not cover (loaded with --external-checks-dir)."""
