"""The `ai.request` stage handler registered in `shared.registry`."""

from __future__ import annotations

from shared.ai.contracts import AiRequest
from shared.ai.store import PostgresRuns
from shared.ai.use_cases.generate import generate_study_aids
from shared.container import Container
from shared.platform.drain import StageHandler
from shared.platform.errors import InvalidArgument
from shared.platform.messages import Message
from shared.platform.stages import failed_when_dead


def ai_stage_handler(container: Container) -> StageHandler:
    runs = PostgresRuns(container.db)

    def handle(message: Message) -> None:
        if not isinstance(message, AiRequest):
            raise InvalidArgument(f"ai.request got a {type(message).__name__}")
        generate_study_aids(
            request=message,
            runs=runs,
            blobs=container.blobs,
            publisher=container.publisher,
            generator=container.generator,
            quota=container.quota,
        )

    return StageHandler(
        stream=AiRequest.stream, message_type=AiRequest, handle=handle, on_dead=failed_when_dead(container.db, "ai")
    )
