"""The `ai.request` use case: structure.json in; notes, slides and flashcards out, then tell the pipeline.

Idempotent by document: every write is an upsert, and a redelivered message whose effect is
already committed only re-publishes the outcome (downstream handlers upsert by doc_id too).
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Protocol

from pydantic import ValidationError

from shared.ai import paths
from shared.ai.adapters import Generator
from shared.ai.contracts import AiRequest
from shared.ai.contracts.aids import Slide, StudyAids
from shared.ai.errors import GenerationFailed, ProviderUnavailable
from shared.ai.render import notes_markdown, slides_markdown
from shared.ai.use_cases.outcome import publish_done, publish_failed
from shared.documents.contracts import Structure
from shared.documents.service import remove_worker_files
from shared.platform.blobs import BlobMissing, BlobStore
from shared.platform.errors import InvalidArgument, QuotaExceeded, Unavailable
from shared.platform.publisher import Publisher
from shared.platform.stages import Status
from shared.quota.contracts import Quota

logger = logging.getLogger(__name__)


class Runs(Protocol):
    """The database side of a run (`shared.ai.store.PostgresRuns`; a fake in unit tests)."""

    def owner(self, doc_id: uuid.UUID) -> uuid.UUID | None: ...

    def already_done(self, request: AiRequest) -> bool:
        """Was this request's effect committed (a redelivery)?"""
        ...

    def set_stage(
        self, doc_id: uuid.UUID, status: Status, *, error_code: str | None = None, error_message: str | None = None
    ) -> None: ...

    def stored(self, request: AiRequest) -> tuple[str, list[Slide]] | None:
        """The committed deck's generator and slides, marking the stage done; None if there is none."""
        ...

    def media_wanted(self, doc_id: uuid.UUID) -> bool: ...

    def commit(
        self, request: AiRequest, aids: StudyAids, *, notes_path: str, slides_path: str, duration_ms: int
    ) -> bool:
        """Commit the aids once, with the stage done; False when the document was deleted meanwhile."""
        ...


def generate_study_aids(
    *,
    request: AiRequest,
    runs: Runs,
    blobs: BlobStore,
    publisher: Publisher,
    generator: Generator,
    quota: Quota,
) -> None:
    if runs.owner(request.doc_id) != request.user_id:
        raise InvalidArgument(f"document {request.doc_id} of user {request.user_id} does not exist")
    if runs.already_done(request):
        _republish(runs, publisher, request)
        return
    runs.set_stage(request.doc_id, "running")
    started = time.monotonic()
    try:
        structure = load_structure(blobs, request)
        quota.require(user_id=request.user_id, metric="ai_tokens", amount=estimated_tokens(structure))
        aids = generator.generate(structure)
    except GenerationFailed as exc:
        _fail(runs, request, exc.code, exc.message)
        publish_failed(publisher, request, code=exc.code, message=exc.message)
        raise InvalidArgument(f"study aids for document {request.doc_id} failed: {exc.message}") from exc
    except QuotaExceeded as exc:
        _fail(runs, request, exc.code, exc.message)
        publish_failed(publisher, request, code=exc.code, message=exc.message)
        raise
    except ProviderUnavailable as exc:
        _fail(runs, request, "UNAVAILABLE", f"{exc}; the message will be retried")
        raise Unavailable(str(exc)) from exc
    quota.record(user_id=request.user_id, metric="ai_tokens", amount=aids.usage.total_tokens)
    if _save(runs, blobs, request, aids, duration_ms=int((time.monotonic() - started) * 1000)):
        media = runs.media_wanted(request.doc_id)
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


def _save(runs: Runs, blobs: BlobStore, request: AiRequest, aids: StudyAids, *, duration_ms: int) -> bool:
    """Write and commit the study aids; False when the document was deleted meanwhile (nothing is kept)."""
    notes_at = paths.notes_path(request.user_id, request.doc_id)
    slides_at = paths.slides_path(request.user_id, request.doc_id)
    blobs.put(container="derived", path=notes_at, data=notes_markdown(aids.notes).encode(), content_type=_MD)
    blobs.put(container="derived", path=slides_at, data=slides_markdown(aids.slides).encode(), content_type=_MD)
    if runs.commit(request, aids, notes_path=notes_at, slides_path=slides_at, duration_ms=duration_ms):
        return True
    remove_worker_files(blobs, doc_id=request.doc_id, user_id=request.user_id)
    return False


def _fail(runs: Runs, request: AiRequest, code: str, message: str) -> None:
    logger.warning("ai stage of %s failed: %s %s", request.doc_id, code, message)
    runs.set_stage(request.doc_id, "failed", error_code=code, error_message=message)


def _republish(runs: Runs, publisher: Publisher, request: AiRequest) -> None:
    """A redelivery of a committed request (or the reconciler's copy): make sure its outcome went out."""
    stored = runs.stored(request)
    if stored is not None and stored[1]:
        generator, slides = stored
        publish_done(publisher, request, generator=generator, slides=slides, media=runs.media_wanted(request.doc_id))


_MD = "text/markdown; charset=utf-8"
