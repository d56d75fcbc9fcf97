"""The canvas context."""
