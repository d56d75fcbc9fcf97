"""Starting the media stage by hand: read the deck's `slides.md`, queue a `media.request`."""

from __future__ import annotations

import uuid

from shared.auth.throttle import Throttle
from shared.container import Container
from shared.documents.reconciler import RequeueMedia
from shared.documents.service import document_owner
from shared.media.contracts import MediaRequest, MediaStarted, SlideScript
from shared.media.slides_md import parse_slides
from shared.platform.blobs import BlobMissing
from shared.platform.db import Conn
from shared.platform.errors import AppError, FailedPrecondition, InvalidArgument, NotFound
from shared.platform.stages import set_stage, stages_of


def slides_path(user_id: uuid.UUID, doc_id: uuid.UUID) -> str:
    """The AI stage's deck, in the `derived` container."""
    return f"{user_id}/{doc_id}/slides.md"


def start_media(container: Container, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> MediaStarted:
    """Idempotent while a run is queued or running; afterwards a new run replaces the media.

    Encoding is expensive: starts are limited per user and minute (`MEDIA_START_PER_MINUTE`).
    """
    limit = container.settings.media_start_per_minute
    throttle = Throttle(container.redis, prefix=container.settings.stream_prefix)
    throttle.hit(f"media-start:{user_id}", limit=limit, window_s=60, what="media starts")
    with container.db.connection() as conn:
        if document_owner(conn, doc_id=doc_id) != user_id:
            raise NotFound(f"document {doc_id} not found")
        stage = next((s for s in stages_of(conn, doc_id=doc_id) if s.stage == "media"), None)
    if stage is not None and stage.status in ("queued", "running"):
        return MediaStarted(doc_id=doc_id, status=stage.status, slide_count=None)
    request = MediaRequest(doc_id=doc_id, user_id=user_id, slides=_read_slides(container, doc_id, user_id))
    with container.db.connection() as conn:
        set_stage(conn, doc_id=doc_id, stage="media", status="queued")
    container.publisher.publish(request)
    return MediaStarted(doc_id=doc_id, status="queued", slide_count=len(request.slides))


def _read_slides(container: Container, doc_id: uuid.UUID, user_id: uuid.UUID) -> list[SlideScript]:
    try:
        markdown = container.blobs.get(container="derived", path=slides_path(user_id, doc_id))
    except BlobMissing as exc:
        raise FailedPrecondition("the document has no slides yet: generate study aids first") from exc
    slides = parse_slides(markdown.decode("utf-8", errors="replace"))
    if not slides:
        raise InvalidArgument("the document's slides.md has no slides to narrate")
    if len(slides) > container.settings.media_max_slides:
        raise InvalidArgument(f"the deck has {len(slides)} slides; the limit is {container.settings.media_max_slides}")
    return slides


def media_requeuer(container: Container) -> RequeueMedia:
    """The reconciler's way to queue a stuck media stage again from the deck on record; a deck
    that is gone or unusable fails the stage with its reason instead."""

    def requeue(conn: Conn, doc_id: uuid.UUID, user_id: uuid.UUID) -> None:
        try:
            request = MediaRequest(doc_id=doc_id, user_id=user_id, slides=_read_slides(container, doc_id, user_id))
        except AppError as exc:
            reason = {"error_code": exc.code, "error_message": exc.message}
            set_stage(conn, doc_id=doc_id, stage="media", status="failed", **reason)
            return
        set_stage(conn, doc_id=doc_id, stage="media", status="queued")
        container.publisher.publish(request)

    return requeue
