"""The `ai.request` use case: structure.json in; notes, slides and flashcards out, then tell the pipeline.

Idempotent by document: every write is an upsert, and a redelivered message whose effect is
already committed only re-publishes the outcome (downstream handlers upsert by doc_id too).
"""

from __future__ import annotations

import logging
import time

from psycopg_pool import ConnectionPool
from pydantic import ValidationError

from shared.ai import paths
from shared.ai.contracts import AiRequest
from shared.ai.errors import GenerationFailed, ProviderUnavailable
from shared.ai.models import StudyAids
from shared.ai.outcome import publish_done, publish_failed
from shared.ai.port import Generator
from shared.ai.queries import read_slides
from shared.ai.render import notes_markdown, slides_markdown
from shared.ai.store import commit_study_aids
from shared.canvas.media_preference import media_wanted
from shared.documents.contracts import Structure
from shared.documents.leftovers import remove_files, still_there
from shared.documents.service import document_owner
from shared.platform.blobs import BlobMissing, BlobStore
from shared.platform.db import Conn
from shared.platform.dedupe import already_processed, first_time
from shared.platform.errors import InvalidArgument, QuotaExceeded, Unavailable
from shared.platform.publisher import Publisher
from shared.platform.stages import set_stage
from shared.quota.gate import QuotaGate

logger = logging.getLogger(__name__)


def generate_study_aids(
    *,
    request: AiRequest,
    db: ConnectionPool[Conn],
    blobs: BlobStore,
    publisher: Publisher,
    generator: Generator,
    quota: QuotaGate,
) -> None:
    if _already_done(db, request):
        _republish(db, publisher, request)
        return
    with db.connection() as conn:
        set_stage(conn, doc_id=request.doc_id, stage="ai", status="running")
    started = time.monotonic()
    try:
        structure = load_structure(blobs, request)
        quota.require(user_id=request.user_id, metric="ai_tokens", amount=estimated_tokens(structure))
        aids = generator.generate(structure)
    except GenerationFailed as exc:
        _fail(db, request, exc.code, exc.message)
        publish_failed(publisher, request, code=exc.code, message=exc.message)
        raise InvalidArgument(f"study aids for document {request.doc_id} failed: {exc.message}") from exc
    except QuotaExceeded as exc:
        _fail(db, request, exc.code, exc.message)
        publish_failed(publisher, request, code=exc.code, message=exc.message)
        raise
    except ProviderUnavailable as exc:
        _fail(db, request, "UNAVAILABLE", f"{exc}; the message will be retried")
        raise Unavailable(str(exc)) from exc
    quota.record(user_id=request.user_id, metric="ai_tokens", amount=aids.usage.total_tokens)
    if _save(db, blobs, request, aids, duration_ms=int((time.monotonic() - started) * 1000)):
        with db.connection() as conn:
            media = media_wanted(conn, doc_id=request.doc_id)
        publish_done(publisher, request, generator=aids.generator, slides=aids.slides, media=media)


def estimated_tokens(structure: Structure) -> int:
    """What a generation from `structure` is expected to spend: its text in (about four
    characters a token, as English runs) and study aids of a few thousand tokens out."""
    return len(structure.model_dump_json()) // 4 + 2_000


def load_structure(blobs: BlobStore, request: AiRequest) -> Structure:
    path = paths.structure_path(request.user_id, request.doc_id)
    try:
        return Structure.model_validate_json(blobs.get(container="derived", path=path))
    except BlobMissing as exc:
        raise GenerationFailed("NO_STRUCTURE", f"derived/{path} does not exist; ingest the document first") from exc
    except ValidationError as exc:
        raise GenerationFailed("BAD_STRUCTURE", f"derived/{path} is not a valid structure: {exc}") from exc


def _already_done(db: ConnectionPool[Conn], request: AiRequest) -> bool:
    with db.connection() as conn:
        if document_owner(conn, doc_id=request.doc_id) != request.user_id:
            raise InvalidArgument(f"document {request.doc_id} of user {request.user_id} does not exist")
        return already_processed(conn, request)


def _save(db: ConnectionPool[Conn], blobs: BlobStore, request: AiRequest, aids: StudyAids, *, duration_ms: int) -> bool:
    """Write and commit the study aids; False when the document was deleted meanwhile (nothing is kept)."""
    notes_at = paths.notes_path(request.user_id, request.doc_id)
    slides_at = paths.slides_path(request.user_id, request.doc_id)
    blobs.put(container="derived", path=notes_at, data=notes_markdown(aids.notes).encode(), content_type=_MD)
    blobs.put(container="derived", path=slides_at, data=slides_markdown(aids.slides).encode(), content_type=_MD)
    with db.connection() as conn:
        if not still_there(conn, doc_id=request.doc_id, user_id=request.user_id):
            remove_files(blobs, doc_id=request.doc_id, user_id=request.user_id)
            return False
        if first_time(conn, request):
            ids = {"doc_id": request.doc_id, "user_id": request.user_id}
            commit_study_aids(
                conn, **ids, aids=aids, notes_path=notes_at, slides_path=slides_at, duration_ms=duration_ms
            )
            set_stage(conn, doc_id=request.doc_id, stage="ai", status="done")
    return True


def _fail(db: ConnectionPool[Conn], request: AiRequest, code: str, message: str) -> None:
    logger.warning("ai stage of %s failed: %s %s", request.doc_id, code, message)
    with db.connection() as conn:
        set_stage(conn, doc_id=request.doc_id, stage="ai", status="failed", error_code=code, error_message=message)


def _republish(db: ConnectionPool[Conn], publisher: Publisher, request: AiRequest) -> None:
    """A redelivery of a committed request (or the reconciler's copy): make sure its outcome went out."""
    with db.connection() as conn:
        stored = read_slides(conn, doc_id=request.doc_id, user_id=request.user_id)
        if stored is not None:
            set_stage(conn, doc_id=request.doc_id, stage="ai", status="done")
        media = media_wanted(conn, doc_id=request.doc_id)
    if stored is not None and stored.slides:
        publish_done(publisher, request, generator=stored.generator, slides=stored.slides, media=media)


_MD = "text/markdown; charset=utf-8"
