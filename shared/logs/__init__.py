"""The logs context."""
