"""The notify context."""
