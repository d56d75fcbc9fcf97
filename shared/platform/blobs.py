"""Blob storage port: the containers `raw`, `derived` and `media`, and short-lived SAS URLs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

Container = Literal["raw", "derived", "media"]
CONTAINERS: tuple[Container, ...] = ("raw", "derived", "media")

#: Blob metadata that carries the request id of an upload across the SAS PUT to the blob trigger.
REQUEST_ID_METADATA = "request_id"


def upload_headers(request_id: str | None) -> dict[str, str]:
    """Headers a client sends with its PUT to a write SAS URL."""
    headers = {"x-ms-blob-type": "BlockBlob"}
    if request_id:
        headers[f"x-ms-meta-{REQUEST_ID_METADATA}"] = request_id
    return headers


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
    #: The blob's `x-ms-meta-*` pairs where the store reports them (`info`), e.g. the request id an upload carried.
    metadata: dict[str, str] = field(default_factory=dict)
    blob_type: str = "BlockBlob"  # or PageBlob / AppendBlob: a write SAS cannot choose for the client


class BlobStore(Protocol):
    def ensure_containers(self) -> None: ...

    def put(self, *, container: Container, path: str, data: bytes, content_type: str) -> BlobInfo: ...

    def get(self, *, container: Container, path: str) -> bytes: ...

    def info(self, *, container: Container, path: str) -> BlobInfo: ...

    def list(self, *, container: Container, prefix: str = "") -> list[BlobInfo]: ...

    def delete(self, *, container: Container, path: str) -> bool: ...

    def delete_prefix(self, *, container: Container, prefix: str) -> int: ...

    def address(self, *, container: Container, path: str) -> str:
        """The blob's URL without a signature (nobody can read it with this alone)."""
        ...

    def hold(self, *, container: Container, path: str) -> None:
        """Occupy `path` with an empty blob under an infinite lease, so a write SAS issued for it
        earlier can neither create nor overwrite it. `delete` and `delete_prefix` release it."""
        ...

    def read_url(self, *, container: Container, path: str, ttl_s: int) -> str: ...

    def write_url(self, *, container: Container, path: str, ttl_s: int) -> str: ...
