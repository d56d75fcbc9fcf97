"""In-memory blob store for unit tests: records blobs in a plain dict."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import quote

from shared.platform.blobs import CONTAINERS, BlobInfo, BlobMissing, Container


class MemoryBlobStore:
    def __init__(self) -> None:
        self.blobs: dict[tuple[str, str], tuple[bytes, str, datetime]] = {}
        self.containers: set[str] = set()
        self.held: set[tuple[str, str]] = set()

    def ensure_containers(self) -> None:
        self.containers.update(CONTAINERS)

    def put(self, *, container: Container, path: str, data: bytes, content_type: str) -> BlobInfo:
        self.blobs[(container, path)] = (data, content_type, datetime.now(UTC))
        return self.info(container=container, path=path)

    def get(self, *, container: Container, path: str) -> bytes:
        try:
            return self.blobs[(container, path)][0]
        except KeyError as exc:
            raise BlobMissing(f"{container}/{path}") from exc

    def info(self, *, container: Container, path: str) -> BlobInfo:
        try:
            data, content_type, modified = self.blobs[(container, path)]
        except KeyError as exc:
            raise BlobMissing(f"{container}/{path}") from exc
        etag = hashlib.sha256(data).hexdigest()[:16]
        return BlobInfo(container, path, len(data), etag, modified, content_type)

    def list(self, *, container: Container, prefix: str = "") -> list[BlobInfo]:
        return [
            self.info(container=container, path=p)
            for (c, p) in sorted(self.blobs)
            if c == container and p.startswith(prefix)
        ]

    def delete(self, *, container: Container, path: str) -> bool:
        self.held.discard((container, path))
        return self.blobs.pop((container, path), None) is not None

    def hold(self, *, container: Container, path: str) -> None:
        self.put(container=container, path=path, data=b"", content_type="application/octet-stream")
        self.held.add((container, path))

    def delete_prefix(self, *, container: Container, prefix: str) -> int:
        return sum(self.delete(container=container, path=b.path) for b in self.list(container=container, prefix=prefix))

    def address(self, *, container: Container, path: str) -> str:
        return f"memory://{container}/{quote(path)}"

    def read_url(self, *, container: Container, path: str, ttl_s: int) -> str:
        return f"{self.address(container=container, path=path)}?ttl={ttl_s}&sp=r"

    def write_url(self, *, container: Container, path: str, ttl_s: int) -> str:
        return f"{self.address(container=container, path=path)}?ttl={ttl_s}&sp=cw"
