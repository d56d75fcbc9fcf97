"""The media context."""
