"""What `POST /v1/ingestion/start` checks in the specification's body before queueing anything."""

from __future__ import annotations

from shared.documents.extract.base import Rejected
from shared.documents.extract.sniff import ACCEPTS, detect
from shared.documents.store import DocumentRow
from shared.platform.blob_urls import require_own_blob
from shared.platform.blobs import BlobMissing, BlobStore
from shared.platform.errors import InvalidArgument


def check_start(*, row: DocumentRow, file_url: str | None, kind: str | None, blobs: BlobStore) -> None:
    """`file_url` must be the document's own raw blob (403 otherwise); `kind` must match its content."""
    require_own_blob(file_url, field="file_url", blobs=blobs, container="raw", path=row.raw_blob_path)
    if kind is not None:
        _check_kind(kind, row=row, blobs=blobs)


def _check_kind(kind: str, *, row: DocumentRow, blobs: BlobStore) -> None:
    try:
        detected = detect(blobs.get(container="raw", path=row.raw_blob_path))
    except BlobMissing:
        detected = row.kind  # not uploaded yet: the ingest checks the content when it arrives
    except Rejected as exc:
        raise InvalidArgument(f"kind is {kind} but {exc.message}", details={"field": "kind"}) from exc
    if detected not in ACCEPTS.get(kind, ()):
        raise InvalidArgument(f"kind is {kind} but the file is {detected.upper()}", details={"field": "kind"})
