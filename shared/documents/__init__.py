"""The documents context."""
