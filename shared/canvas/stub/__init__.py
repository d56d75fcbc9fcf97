"""A stub Canvas LMS on loopback, built from the shared fixtures (tests and `make dev`)."""

from __future__ import annotations

from shared.canvas.stub.server import CanvasStub

__all__ = ["CanvasStub"]
