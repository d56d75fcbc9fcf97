"""Use case: the user's data as one zip — metadata as JSON, and the files of every document.

Layout: `account.json` (every table's rows of the user, secrets cut out), then per document
`documents/<id>/original/<name>` (the uploaded file) and `documents/<id>/<derived file>`
(Markdown, structure, notes and slides). Generated audio and video are left out: they are
made again from the notes on request and would make the archive hundreds of times larger.
"""

from __future__ import annotations

import json
import tempfile
import uuid
import zipfile
from typing import IO

from shared.account import store
from shared.container import Container
from shared.platform.blobs import BlobMissing
from shared.platform.blobs import Container as BlobContainer

#: Up to this size the archive stays in memory; past it, it spills to a temporary file.
SPOOL_BYTES = 16 * 1024 * 1024


def export_account(container: Container, *, user_id: uuid.UUID) -> IO[bytes]:
    """The archive, rewound, ready to stream; the caller closes it."""
    with container.db.connection() as conn:
        rows = store.exported(conn, user_id=user_id)
    archive: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("account.json", json.dumps(rows, indent=2, sort_keys=True, default=str))
        _add_blobs(container, zipped, user_id=user_id, blob_container="raw", folder="original")
        _add_blobs(container, zipped, user_id=user_id, blob_container="derived", folder="")
    archive.seek(0)
    return archive


def _add_blobs(
    container: Container, zipped: zipfile.ZipFile, *, user_id: uuid.UUID, blob_container: BlobContainer, folder: str
) -> None:
    prefix = f"{user_id}/"
    for blob in container.blobs.list(container=blob_container, prefix=prefix):
        doc_id, _, rest = blob.path.removeprefix(prefix).partition("/")
        target = "/".join(part for part in ("documents", doc_id, folder, rest) if part)
        try:
            zipped.writestr(target, container.blobs.get(container=blob_container, path=blob.path))
        except BlobMissing:  # deleted between the listing and the read
            continue
