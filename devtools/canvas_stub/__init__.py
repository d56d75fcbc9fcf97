"""A stub Canvas LMS on loopback, built from the fixtures in tests/fixtures/canvas (tests and `make dev`)."""

from __future__ import annotations

from devtools.canvas_stub.server import CanvasStub

__all__ = ["CanvasStub"]
