"""The one transaction where an ingest's results become visible.

Other contexts that index the structure (search) add their call inside `commit_ingest`, so the
index and the documents row commit or roll back together.
"""

from __future__ import annotations

import uuid

from shared.documents.contracts import IngestRequest
from shared.documents.ingest.render import Rendered
from shared.documents.store import DocumentRow, record_ingest, replace_images
from shared.platform.db import Conn
from shared.platform.dedupe import first_time
from shared.platform.stages import set_stage
from shared.search.service import index_document_sections


def commit_ingest(
    conn: Conn,
    *,
    message: IngestRequest,
    document: DocumentRow,
    rendered: Rendered,
    raw_etag: str,
    detected_kind: str,
    ai_message_id: uuid.UUID,
) -> None:
    first_time(conn, message)
    prefix = f"{document.user_id}/{document.id}"
    record_ingest(
        conn,
        doc_id=document.id,
        markdown_path=f"derived/{prefix}/document.md",
        structure_path=f"derived/{prefix}/structure.json",
        page_count=rendered.structure.page_count,
        raw_etag=raw_etag,
        detected_kind=detected_kind,
        ai_message_id=ai_message_id,
    )
    replace_images(
        conn, doc_id=document.id, user_id=document.user_id, assets=[(a.asset_id, a.url) for a in rendered.assets]
    )
    index_document_sections(conn, doc_id=document.id, user_id=document.user_id, structure=rendered.structure)
    set_stage(conn, doc_id=document.id, stage="ingest", status="done")
    set_stage(conn, doc_id=document.id, stage="ai", status="queued")
