"""The auth context."""
