"""Where narrated media lives: `media/{user}/{doc}/{asset_id}.{ext}` and `thumb_{asset_id}.jpg`."""

from __future__ import annotations

import logging
import re
import uuid
from pathlib import Path

from shared.platform.blobs import BlobStore
from shared.platform.blobs import Container as BlobContainer

logger = logging.getLogger(__name__)

CONTAINER: BlobContainer = "media"
CONTENT_TYPES = {"mp4": "video/mp4", "m4a": "audio/mp4", "vtt": "text/vtt", "jpg": "image/jpeg"}
# Only names this context writes; the ingestion stage's images under the same prefix never match.
_OWN_NAME = re.compile(r"^(?:[0-9a-f-]{36}\.(?:mp4|m4a|vtt)|thumb_[0-9a-f-]{36}\.jpg)$")


def asset_path(user_id: uuid.UUID, doc_id: uuid.UUID, name: str) -> str:
    return f"{user_id}/{doc_id}/{name}"


def blob_url(path: str) -> str:
    """What `media_assets.blob_url` holds: container and path; clients get a signed URL instead."""
    return f"{CONTAINER}/{path}"


def path_of(url: str) -> str:
    return url.removeprefix(f"{CONTAINER}/")


class Uploads:
    """The blobs one run has written, so a failed run can take every one of them back."""

    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs
        self.paths: list[str] = []

    def put_file(self, *, path: str, file: Path) -> int:
        data = file.read_bytes()
        content_type = CONTENT_TYPES[path.rsplit(".", 1)[-1]]
        self.paths.append(path)
        self.blobs.put(container=CONTAINER, path=path, data=data, content_type=content_type)
        return len(data)

    def take_back(self) -> None:
        for path in self.paths:
            self.blobs.delete(container=CONTAINER, path=path)
        self.paths.clear()


def sweep(blobs: BlobStore, *, user_id: uuid.UUID, doc_id: uuid.UUID, keep: set[str]) -> int:
    """Delete this context's blobs of the document that no current row references (old runs, crashes)."""
    removed = 0
    for info in blobs.list(container=CONTAINER, prefix=asset_path(user_id, doc_id, "")):
        name = info.path.rsplit("/", 1)[-1]
        if _OWN_NAME.match(name) and info.path not in keep:
            removed += int(blobs.delete(container=CONTAINER, path=info.path))
    return removed
