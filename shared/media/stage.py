"""What the registry plugs in for media: the `media.request` stage handler and the reconciler's requeue."""

from __future__ import annotations

from functools import partial

from shared.container import Container
from shared.documents.service import RequeueMedia
from shared.media import service
from shared.media.adapters import TextToSpeech
from shared.media.contracts import MediaRequest
from shared.media.narrate import Duplicate, Narrated, narrate
from shared.media.store import PgMediaRecords
from shared.platform.drain import StageHandler
from shared.platform.errors import InvalidArgument
from shared.platform.messages import Message
from shared.platform.stages import failed_when_dead


def media_handler(container: Container) -> StageHandler:
    """The registry's entry: speaks with the container's TTS adapter."""

    def handle(message: Message) -> None:
        if not isinstance(message, MediaRequest):
            raise InvalidArgument(f"media.request got a {type(message).__name__}")
        handle_media_request(container, message, tts=container.tts)

    return StageHandler(
        stream=MediaRequest.stream,
        message_type=MediaRequest,
        handle=handle,
        on_dead=failed_when_dead(container.db, "media"),
    )


def handle_media_request(container: Container, request: MediaRequest, *, tts: TextToSpeech) -> None:
    """`service.narrate_request` with the container's ports."""
    settings = container.settings
    shape, lease_s = service.video_shape(settings), service.claim_lease_s(settings)

    def narrator(*, request: MediaRequest, tts: TextToSpeech) -> Narrated | Duplicate:
        return narrate(request=request, db=container.db, blobs=container.blobs, tts=tts, shape=shape, lease_s=lease_s)

    service.narrate_request(
        request=request,
        records=PgMediaRecords(container.db),
        narrate=narrator,
        tts=tts,
        quota=container.quota,
        publisher=container.publisher,
        max_slides=settings.media_max_slides,
    )


def media_requeuer(container: Container) -> RequeueMedia:
    """The reconciler's requeue, on the container's blobs and publisher."""
    return partial(
        service.requeue_media,
        blobs=container.blobs,
        publisher=container.publisher,
        max_slides=container.settings.media_max_slides,
    )
