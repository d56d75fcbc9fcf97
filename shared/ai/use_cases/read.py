"""The read side: a document's stored aids with where their generation stands (for the read routes),
and a document's glossary (for the study context's quizzes)."""

from __future__ import annotations

import uuid
from typing import Protocol, TypeVar

from shared.ai.contracts.aids import GlossaryEntry
from shared.ai.contracts.http import Pending, StageView
from shared.ai.store import read_notes
from shared.documents.service import document_owner
from shared.platform.db import Conn
from shared.platform.errors import FailedPrecondition, NotFound
from shared.platform.stages import StageState, stages_of

T = TypeVar("T", covariant=True)
S = TypeVar("S")


class Reader(Protocol[T]):
    """A store read of one kind of aid (`store.read_notes`, `read_cards`, `read_slides`)."""

    def __call__(self, conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> T | None: ...


def stored_aids(
    conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID, what: str, read: Reader[S]
) -> tuple[S, StageView] | Pending:
    """The caller's stored aids and where generation stands; `Pending` while none exist yet but they
    are on their way (else `pending_or_raise`'s errors). Anyone else's document is `NotFound`."""
    if document_owner(conn, doc_id=doc_id) != user_id:
        raise NotFound(f"document {doc_id} not found")
    stored = read(conn, doc_id=doc_id, user_id=user_id)
    if stored is None:
        return pending_or_raise(conn, doc_id, what)
    return stored, stage_view(conn, doc_id)


def stage_view(conn: Conn, doc_id: uuid.UUID) -> StageView:
    ai = _stage(conn, doc_id, "ai")
    if ai is None:
        return StageView(status=None)
    return StageView(status=ai.status, error_code=ai.error_code, error_message=ai.error_message)


def pending_or_raise(conn: Conn, doc_id: uuid.UUID, what: str) -> Pending:
    """Nothing generated yet: 202 while on its way, 409 with the reason if it failed, else 404."""
    ai = _stage(conn, doc_id, "ai")
    ingest = _stage(conn, doc_id, "ingest")
    if ai is not None and ai.status in ("queued", "running"):
        return Pending(doc_id=doc_id, status=ai.status, detail=f"{what} are being generated")
    if ai is not None and ai.status == "failed":
        details = {"stage": "ai", "error_code": ai.error_code}
        raise FailedPrecondition(f"generating {what} failed: {ai.error_message}", details=details)
    if ingest is not None and ingest.status in ("queued", "running"):
        return Pending(doc_id=doc_id, status="queued", detail="the document is still being ingested")
    raise NotFound(f"no {what} for this document yet; start generation with POST /v1/ai/start")


def _stage(conn: Conn, doc_id: uuid.UUID, name: str) -> StageState | None:
    return next((s for s in stages_of(conn, doc_id=doc_id) if s.stage == name), None)


def glossary(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> list[GlossaryEntry]:
    """The glossary of the caller's document's notes; empty before any are generated."""
    notes = read_notes(conn, doc_id=doc_id, user_id=user_id)
    return notes.summary.glossary if notes else []
