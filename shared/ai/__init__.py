"""The ai context."""
