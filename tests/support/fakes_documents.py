"""Fakes and row builders for the documents and search unit tests (no Postgres, Redis or network).

`memory_blobs` matches the shared fakes' blob store; the rest are the rows and ports these two
contexts' use cases read: a documents row, a search hit, and a scripted `HitPages`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from shared.documents.store import DocumentRow, Stuck
from shared.platform.blobs_memory import MemoryBlobStore
from shared.platform.stages import Stage
from shared.search.contracts import Kind
from shared.search.query import ParsedQuery
from shared.search.store.hits import After, Filters, HitRow

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def memory_blobs() -> MemoryBlobStore:
    """A blob store in a dict, with the app's containers already made."""
    blobs = MemoryBlobStore()
    blobs.ensure_containers()
    return blobs


def document_row(**changes: object) -> DocumentRow:
    """A freshly created upload (a 1 KB PDF, nothing ingested yet); `changes` override fields."""
    user_id, doc_id = uuid.uuid4(), uuid.uuid4()
    row = DocumentRow(
        id=doc_id,
        user_id=user_id,
        course_id=None,
        title="Notes",
        filename="notes.pdf",
        kind="pdf",
        size_bytes=1024,
        source="upload",
        raw_blob_path=f"{user_id}/{doc_id}/notes.pdf",
        markdown_path=None,
        structure_path=None,
        page_count=None,
        ingest_message_id=None,
        ai_message_id=None,
        raw_etag=None,
        detected_kind=None,
        created_at=AT,
        updated_at=AT,
    )
    return replace(row, **changes)  # type: ignore[arg-type]


def stuck(stage: Stage, *, attempts: int = 1) -> Stuck:
    """A stage the reconciler found stuck, with recorded message ids."""
    return Stuck(uuid.uuid4(), uuid.uuid4(), stage, attempts, uuid.uuid4(), uuid.uuid4())


def hit_row(score: float, *, heading: str = "Entropy", snippet: str = "", kind: Kind = "section") -> HitRow:
    return HitRow(
        id=uuid.uuid4(),
        document_id=uuid.uuid4(),
        title="Thermodynamics",
        kind=kind,
        heading=heading,
        snippet=snippet,
        cite_section="2.1 Entropy",
        cite_page=3,
        page_unit="page",
        score=score,
    )


@dataclass(frozen=True)
class PageCall:
    mode: str
    query: ParsedQuery
    filters: Filters
    after: After | None
    limit: int


@dataclass
class ScriptedHitPages:
    """`HitPages` that answer from fixed lists, keyset-paged like the SQL (score DESC, id ASC),
    and record every call."""

    fulltext_rows: list[HitRow] = field(default_factory=list)
    fuzzy_rows: list[HitRow] = field(default_factory=list)
    calls: list[PageCall] = field(default_factory=list)

    def fulltext(self, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int) -> list[HitRow]:
        self.calls.append(PageCall("fulltext", query, filters, after, limit))
        return _after(self.fulltext_rows, after)[:limit]

    def fuzzy(self, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int) -> list[HitRow]:
        self.calls.append(PageCall("fuzzy", query, filters, after, limit))
        return _after(self.fuzzy_rows, after)[:limit]


def _after(rows: list[HitRow], after: After | None) -> list[HitRow]:
    ordered = sorted(rows, key=lambda row: (-row.score, row.id))
    if after is None:
        return ordered
    return [row for row in ordered if (-row.score, row.id) > (-after.score, after.entry_id)]
