"""The `ai.request` stage handler registered in `shared.registry`."""

from __future__ import annotations

import threading
import weakref

from shared.ai.contracts import AiRequest
from shared.ai.factory import build_generator
from shared.ai.port import Generator
from shared.ai.service import generate_study_aids
from shared.container import Container
from shared.platform.drain import StageHandler
from shared.platform.errors import InvalidArgument
from shared.platform.messages import Message
from shared.platform.stages import failed_when_dead
from shared.quota.wiring import quota_gate

_generators: weakref.WeakKeyDictionary[Container, Generator] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def generator_for(container: Container) -> Generator:
    """One generator (and provider client) per container, built on first use."""
    with _lock:
        if container not in _generators:
            _generators[container] = build_generator(container.settings)
        return _generators[container]


def ai_stage_handler(container: Container) -> StageHandler:
    def handle(message: Message) -> None:
        if not isinstance(message, AiRequest):
            raise InvalidArgument(f"ai.request got a {type(message).__name__}")
        generate_study_aids(
            request=message,
            db=container.db,
            blobs=container.blobs,
            publisher=container.publisher,
            generator=generator_for(container),
            quota=quota_gate(container),
        )

    return StageHandler(
        stream=AiRequest.stream, message_type=AiRequest, handle=handle, on_dead=failed_when_dead(container.db, "ai")
    )
