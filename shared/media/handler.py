"""The `media.request` stage handler: stage bookkeeping and error mapping around `narrate`."""

from __future__ import annotations

import logging

from shared.container import Container
from shared.documents.service import document_owner
from shared.media.contracts import MediaRequest, MediaResult
from shared.media.encode import VideoShape
from shared.media.errors import MediaBusy, MediaFailed
from shared.media.ffmpeg_run import FfmpegFailed
from shared.media.narrate import narrate
from shared.media.providers import make_tts
from shared.media.settings import MediaSettings
from shared.media.tts import TextToSpeech, TtsFailed
from shared.platform.dedupe import already_processed
from shared.platform.drain import StageHandler
from shared.platform.errors import InvalidArgument, QuotaExceeded, Unavailable
from shared.platform.messages import Message
from shared.platform.settings import PlatformSettings
from shared.platform.stages import Status, failed_when_dead, set_stage
from shared.quota.wiring import quota_gate

logger = logging.getLogger(__name__)


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


def media_handler(container: Container, *, tts: TextToSpeech | None = None) -> StageHandler:
    """The registry's entry; `tts` defaults to the provider the settings choose."""
    speaker = tts or make_tts(container.settings)

    def handle(message: Message) -> None:
        if not isinstance(message, MediaRequest):
            raise InvalidArgument(f"media.request got a {type(message).__name__}")
        handle_media_request(container, message, tts=speaker)

    return StageHandler(
        stream=MediaRequest.stream,
        message_type=MediaRequest,
        handle=handle,
        on_dead=failed_when_dead(container.db, "media"),
    )


def handle_media_request(container: Container, request: MediaRequest, *, tts: TextToSpeech) -> None:
    if not _start(container, request):
        return
    quota = quota_gate(container)
    try:
        quota.require(user_id=request.user_id, metric="speech_seconds", amount=narration_seconds(request))
    except QuotaExceeded as exc:
        _fail(container, request, exc.code, exc.message, final=True)
        raise
    try:
        done = narrate(
            request=request,
            db=container.db,
            blobs=container.blobs,
            tts=tts,
            shape=video_shape(container.settings),
            lease_s=claim_lease_s(container.settings),
        )
    except MediaBusy:  # another live run of this document: not a failure of this one
        raise
    except FfmpegFailed as exc:
        _fail(container, request, "FFMPEG_FAILED", f"ffmpeg failed: {exc}", final=True)
        raise MediaFailed(f"ffmpeg failed: {exc}") from exc
    except TtsFailed as exc:
        _fail(container, request, "TTS_FAILED", str(exc), final=not exc.transient)
        raise (Unavailable(str(exc)) if exc.transient else MediaFailed(str(exc))) from exc
    except Exception as exc:  # record why before the drain retries it; the drain logs the traceback
        _fail(container, request, "INTERNAL", f"{type(exc).__name__}: {exc}")
        raise
    if done == "committed":  # a concurrent delivery of this same message committed its media first
        with container.db.connection() as conn:
            set_stage(conn, doc_id=request.doc_id, stage="media", status="done")
        return
    quota.record(user_id=request.user_id, metric="speech_seconds", amount=-(-done.duration_ms // 1000))
    assets = [asset.blob_url for asset in done.assets]
    container.publisher.publish(
        MediaResult(
            doc_id=request.doc_id, user_id=request.user_id, status="done", assets=assets, duration_ms=done.duration_ms
        )
    )


def narration_seconds(request: MediaRequest) -> int:
    """The narration's expected length: about two and a half words a second."""
    words = sum(len(slide.narration.split()) for slide in request.slides)
    return max(1, round(words / 2.5))


def _start(container: Container, request: MediaRequest) -> bool:
    """False for a message already processed; refuses someone else's document; records `running`."""
    limit = container.settings.media_max_slides
    refused = f"the deck has {len(request.slides)} slides; the limit is {limit}" if len(request.slides) > limit else ""
    with container.db.connection() as conn:
        owner = document_owner(conn, doc_id=request.doc_id)
        if owner != request.user_id:
            raise InvalidArgument(f"document {request.doc_id} does not exist for user {request.user_id}")
        if already_processed(conn, request):
            return False
        status: Status = "failed" if refused else "running"
        code = "TOO_MANY_SLIDES" if refused else None
        reason = refused or None
        set_stage(conn, doc_id=request.doc_id, stage="media", status=status, error_code=code, error_message=reason)
    if refused:  # raised after the commit, so the failed stage is recorded
        _publish_failed(container, request, "TOO_MANY_SLIDES", refused, retrying=False)
        raise InvalidArgument(refused)
    return True


def _fail(container: Container, request: MediaRequest, code: str, message: str, *, final: bool = False) -> None:
    """Record the failure and publish it; one that is not `final` is retried (until the drain gives up)."""
    logger.warning("media for %s failed: %s %s", request.doc_id, code, message)
    with container.db.connection() as conn:
        set_stage(conn, doc_id=request.doc_id, stage="media", status="failed", error_code=code, error_message=message)
    _publish_failed(container, request, code, message, retrying=not final)


def _publish_failed(container: Container, request: MediaRequest, code: str, message: str, *, retrying: bool) -> None:
    result = MediaResult(
        doc_id=request.doc_id,
        user_id=request.user_id,
        status="failed",
        retrying=retrying,
        error_code=code,
        error_message=message,
    )
    container.publisher.publish(result)
