"""Use cases of the media context: start narration by hand, queue it again, run one `media.request`.

`narrate_request` is the stage's work: stage bookkeeping, the speech quota and error mapping
around the claimed run (`narrate`, the port the stage hands in).
"""

from __future__ import annotations

import logging
import uuid
from typing import Protocol

from shared.media.adapters import TextToSpeech, TtsFailed
from shared.media.contracts import MediaRequest, MediaResult, MediaStarted, SlideScript
from shared.media.errors import MediaBusy, MediaFailed
from shared.media.narrate import Duplicate, Narrated
from shared.media.settings import MediaSettings
from shared.media.slides_md import parse_slides
from shared.media.store import MediaRecords
from shared.media.video.encode import VideoShape
from shared.media.video.ffmpeg_run import FfmpegFailed
from shared.platform.blobs import BlobMissing, BlobStore
from shared.platform.db import Conn
from shared.platform.errors import AppError, FailedPrecondition, InvalidArgument, NotFound, QuotaExceeded, Unavailable
from shared.platform.publisher import Publisher
from shared.platform.settings import PlatformSettings
from shared.platform.stages import set_stage
from shared.platform.throttle import Throttle
from shared.quota.contracts import Quota

logger = logging.getLogger(__name__)


class Narrator(Protocol):
    """Produces, stores and commits one request's media (`narrate.narrate` with its pool and blobs)."""

    def __call__(self, *, request: MediaRequest, tts: TextToSpeech) -> Narrated | Duplicate: ...


def video_shape(settings: MediaSettings) -> VideoShape:
    return VideoShape(
        width=settings.video_width,
        height=settings.video_height,
        fps=settings.video_fps,
        crf=settings.video_crf,
        preset=settings.video_preset,
        audio_bitrate=settings.audio_bitrate,
        timeout_s=settings.ffmpeg_timeout_seconds,
        ffmpeg=settings.ffmpeg_path,
    )


def claim_lease_s(settings: PlatformSettings) -> float:
    """Half the stream's visibility timeout: a dead worker's claim lapses before its entry comes back."""
    return settings.stream_visibility_timeout_ms / 2000


def slides_path(user_id: uuid.UUID, doc_id: uuid.UUID) -> str:
    """The AI stage's deck, in the `derived` container."""
    return f"{user_id}/{doc_id}/slides.md"


def start_media(
    *,
    doc_id: uuid.UUID,
    user_id: uuid.UUID,
    records: MediaRecords,
    blobs: BlobStore,
    publisher: Publisher,
    throttle: Throttle,
    settings: MediaSettings,
) -> MediaStarted:
    """Idempotent while a run is queued or running; afterwards a new run replaces the media.

    Encoding is expensive: starts are limited per user and minute (`MEDIA_START_PER_MINUTE`).
    """
    limit = settings.media_start_per_minute
    throttle.hit(f"media-start:{user_id}", limit=limit, window_s=60, what="media starts")
    if records.owner(doc_id=doc_id) != user_id:
        raise NotFound(f"document {doc_id} not found")
    status = records.media_status(doc_id=doc_id)
    if status in ("queued", "running"):
        return MediaStarted(doc_id=doc_id, status=status, slide_count=None)
    slides = read_slides(blobs, doc_id=doc_id, user_id=user_id, max_slides=settings.media_max_slides)
    request = MediaRequest(doc_id=doc_id, user_id=user_id, slides=slides)
    records.set_media_stage(doc_id=doc_id, status="queued")
    publisher.publish(request)
    return MediaStarted(doc_id=doc_id, status="queued", slide_count=len(request.slides))


def read_slides(blobs: BlobStore, *, doc_id: uuid.UUID, user_id: uuid.UUID, max_slides: int) -> list[SlideScript]:
    try:
        markdown = blobs.get(container="derived", path=slides_path(user_id, doc_id))
    except BlobMissing as exc:
        raise FailedPrecondition("the document has no slides yet: generate study aids first") from exc
    slides = parse_slides(markdown.decode("utf-8", errors="replace"))
    if not slides:
        raise InvalidArgument("the document's slides.md has no slides to narrate")
    if len(slides) > max_slides:
        raise InvalidArgument(f"the deck has {len(slides)} slides; the limit is {max_slides}")
    return slides


def requeue_media(
    conn: Conn,
    doc_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    blobs: BlobStore,
    publisher: Publisher,
    max_slides: int,
) -> None:
    """The reconciler's way to queue a stuck media stage again from the deck on record (on the
    reconciler's connection); a deck that is gone or unusable fails the stage with its reason."""
    try:
        slides = read_slides(blobs, doc_id=doc_id, user_id=user_id, max_slides=max_slides)
    except AppError as exc:
        set_stage(conn, doc_id=doc_id, stage="media", status="failed", error_code=exc.code, error_message=exc.message)
        return
    set_stage(conn, doc_id=doc_id, stage="media", status="queued")
    publisher.publish(MediaRequest(doc_id=doc_id, user_id=user_id, slides=slides))


def narrate_request(
    *,
    request: MediaRequest,
    records: MediaRecords,
    narrate: Narrator,
    tts: TextToSpeech,
    quota: Quota,
    publisher: Publisher,
    max_slides: int,
) -> None:
    """One `media.request`: checked, metered, narrated, and its result published (or its failure)."""
    run = _Run(request, records, publisher)
    if not run.start(max_slides=max_slides):
        return
    try:
        quota.require(user_id=request.user_id, metric="speech_seconds", amount=narration_seconds(request))
    except QuotaExceeded as exc:
        run.fail(exc.code, exc.message, final=True)
        raise
    done = _narrated(run, narrate, tts)
    if done == "committed":  # a concurrent delivery of this same message committed its media first
        records.set_media_stage(doc_id=request.doc_id, status="done")
        return
    quota.record(user_id=request.user_id, metric="speech_seconds", amount=-(-done.duration_ms // 1000))
    assets = [asset.blob_url for asset in done.assets]
    publisher.publish(
        MediaResult(
            doc_id=request.doc_id, user_id=request.user_id, status="done", assets=assets, duration_ms=done.duration_ms
        )
    )


def narration_seconds(request: MediaRequest) -> int:
    """The narration's expected length: about two and a half words a second."""
    words = sum(len(slide.narration.split()) for slide in request.slides)
    return max(1, round(words / 2.5))


def _narrated(run: _Run, narrate: Narrator, tts: TextToSpeech) -> Narrated | Duplicate:
    try:
        return narrate(request=run.request, tts=tts)
    except MediaBusy:  # another live run of this document: not a failure of this one
        raise
    except FfmpegFailed as exc:
        run.fail("FFMPEG_FAILED", f"ffmpeg failed: {exc}", final=True)
        raise MediaFailed(f"ffmpeg failed: {exc}") from exc
    except TtsFailed as exc:
        run.fail("TTS_FAILED", str(exc), final=not exc.transient)
        raise (Unavailable(str(exc)) if exc.transient else MediaFailed(str(exc))) from exc
    except Exception as exc:  # record why before the drain retries it; the drain logs the traceback
        run.fail("INTERNAL", f"{type(exc).__name__}: {exc}")
        raise


class _Run:
    """One request's stage bookkeeping: `running` at the start, `failed` with its reason, published."""

    def __init__(self, request: MediaRequest, records: MediaRecords, publisher: Publisher) -> None:
        self.request, self._records, self._publisher = request, records, publisher

    def start(self, *, max_slides: int) -> bool:
        """False for a message already processed; refuses someone else's document; records `running`."""
        request = self.request
        count = len(request.slides)
        refused = f"the deck has {count} slides; the limit is {max_slides}" if count > max_slides else ""
        if self._records.owner(doc_id=request.doc_id) != request.user_id:
            raise InvalidArgument(f"document {request.doc_id} does not exist for user {request.user_id}")
        if self._records.processed(dedupe_key=request.dedupe_key()):
            return False
        if refused:  # raised after the failed stage is recorded
            self._records.set_media_stage(
                doc_id=request.doc_id, status="failed", error_code="TOO_MANY_SLIDES", error_message=refused
            )
            self._publish_failed("TOO_MANY_SLIDES", refused, retrying=False)
            raise InvalidArgument(refused)
        self._records.set_media_stage(doc_id=request.doc_id, status="running")
        return True

    def fail(self, code: str, message: str, *, final: bool = False) -> None:
        """Record the failure and publish it; one that is not `final` is retried (until the drain gives up)."""
        logger.warning("media for %s failed: %s %s", self.request.doc_id, code, message)
        self._records.set_media_stage(
            doc_id=self.request.doc_id, status="failed", error_code=code, error_message=message
        )
        self._publish_failed(code, message, retrying=not final)

    def _publish_failed(self, code: str, message: str, *, retrying: bool) -> None:
        request = self.request
        result = MediaResult(
            doc_id=request.doc_id,
            user_id=request.user_id,
            status="failed",
            retrying=retrying,
            error_code=code,
            error_message=message,
        )
        self._publisher.publish(result)
