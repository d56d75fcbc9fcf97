"""The documents context as the sync uses it: record a Canvas file as a document, re-ingest it.

`ServiceDocuments` is the `DocumentSink` adapter: it calls the documents context's service
(imported on use, so the canvas context does not load the documents context until a sync
records a file).
"""

from __future__ import annotations

import uuid

from shared.canvas.errors import DocumentRejected
from shared.platform.blobs import BlobStore
from shared.platform.db import Conn
from shared.platform.errors import InvalidArgument
from shared.platform.publisher import Publisher


class ServiceDocuments:
    def __init__(self, *, blobs: BlobStore, publisher: Publisher) -> None:
        self.blobs = blobs
        self.publisher = publisher

    def create(
        self, *, conn: Conn, user_id: uuid.UUID, course_id: uuid.UUID, title: str, filename: str, kind: str, data: bytes
    ) -> uuid.UUID:
        from shared.documents.service import create_document

        try:
            document = create_document(
                conn=conn,
                blobs=self.blobs,
                user_id=user_id,
                title=title,
                filename=filename,
                kind=kind,
                size=len(data),
                course_id=course_id,
                source="canvas",
                data=data,
            )
        except InvalidArgument as exc:
            raise DocumentRejected(f"the file was not accepted as a document: {exc.message}") from exc
        doc_id: uuid.UUID = document.id
        return doc_id

    def replace(self, *, conn: Conn, user_id: uuid.UUID, doc_id: uuid.UUID, data: bytes) -> bool:
        """New bytes for an existing document, at its raw path; False when the document is gone."""
        from shared.documents.service import replace_raw_bytes

        return replace_raw_bytes(conn=conn, blobs=self.blobs, user_id=user_id, doc_id=doc_id, data=data)

    def request_ingest(self, *, conn: Conn, user_id: uuid.UUID, doc_id: uuid.UUID) -> None:
        from shared.documents.service import request_ingest

        request_ingest(conn=conn, publisher=self.publisher, doc_id=doc_id, user_id=user_id)
