"""The auth use cases; each takes its ports as keyword arguments (no container, no request)."""
