"""Ports of the canvas context and their real adapters.

`CanvasPages` is what the sync reads Canvas through (`client.CanvasClient` over the container's
one `httpx.Client`); `DocumentSink` is how it records a file as a document (`documents.ServiceDocuments`,
onto the documents context's service). The unit tests drive the use cases with small fakes of both.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Protocol

from shared.platform.db import Conn


class CanvasPages(Protocol):
    def api_url(self, path: str) -> str: ...

    def get_json(self, url: str, params: Mapping[str, str | list[str]] | None = None) -> tuple[object, str | None]: ...

    def paginate(
        self, path: str, params: Mapping[str, str | list[str]] | None = None
    ) -> Iterator[dict[str, object]]: ...


class DocumentSink(Protocol):
    def create(
        self, *, conn: Conn, user_id: uuid.UUID, course_id: uuid.UUID, title: str, filename: str, kind: str, data: bytes
    ) -> uuid.UUID: ...

    def replace(self, *, conn: Conn, user_id: uuid.UUID, doc_id: uuid.UUID, data: bytes) -> bool: ...

    def request_ingest(self, *, conn: Conn, user_id: uuid.UUID, doc_id: uuid.UUID) -> None: ...
