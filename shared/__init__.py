"""The study-aid backend: every bounded context, importable as `shared`."""

__version__ = "0.1.0"
