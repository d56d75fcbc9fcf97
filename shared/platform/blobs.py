"""Blob storage port: the containers `raw`, `derived` and `media`, and short-lived SAS URLs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

Container = Literal["raw", "derived", "media"]
CONTAINERS: tuple[Container, ...] = ("raw", "derived", "media")


class BlobMissing(LookupError):
    """The blob asked for does not exist."""


@dataclass(frozen=True)
class BlobInfo:
    container: str
    path: str
    size: int
    etag: str
    last_modified: datetime
    content_type: str | None


class BlobStore(Protocol):
    def ensure_containers(self) -> None: ...

    def put(self, *, container: Container, path: str, data: bytes, content_type: str) -> BlobInfo: ...

    def get(self, *, container: Container, path: str) -> bytes: ...

    def info(self, *, container: Container, path: str) -> BlobInfo: ...

    def list(self, *, container: Container, prefix: str = "") -> list[BlobInfo]: ...

    def delete(self, *, container: Container, path: str) -> bool: ...

    def delete_prefix(self, *, container: Container, prefix: str) -> int: ...

    def hold(self, *, container: Container, path: str) -> None:
        """Occupy `path` with an empty blob under an infinite lease, so a write SAS issued for it
        earlier can neither create nor overwrite it. `delete` and `delete_prefix` release it."""
        ...

    def read_url(self, *, container: Container, path: str, ttl_s: int) -> str: ...

    def write_url(self, *, container: Container, path: str, ttl_s: int) -> str: ...
