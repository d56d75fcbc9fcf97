"""What the AI stage tells the rest of the pipeline: `ai.result` and the narration script."""

from __future__ import annotations

from shared.ai.contracts import AiRequest, AiResult
from shared.ai.contracts.aids import Slide
from shared.media.contracts import MediaRequest, SlideScript
from shared.platform.publisher import Publisher


def narration_script(slides: list[Slide]) -> list[SlideScript]:
    return [
        SlideScript(index=s.index, title=s.title, bullets=s.bullets, narration=s.narration, source_page=s.source.page)
        for s in slides
    ]


def publish_done(publisher: Publisher, request: AiRequest, *, generator: str, slides: list[Slide], media: bool) -> None:
    """`media=False` (a Canvas file whose course has not opted in) queues no video."""
    doc_id, user_id, request_id = request.doc_id, request.user_id, request.request_id
    publisher.publish(
        AiResult(doc_id=doc_id, user_id=user_id, request_id=request_id, status="done", generator=generator)
    )
    if not media:
        return
    script = narration_script(slides)
    publisher.publish(MediaRequest(doc_id=doc_id, user_id=user_id, request_id=request_id, slides=script))


def publish_failed(publisher: Publisher, request: AiRequest, *, code: str, message: str) -> None:
    publisher.publish(
        AiResult(
            doc_id=request.doc_id,
            user_id=request.user_id,
            request_id=request.request_id,
            status="failed",
            error_code=code,
            error_message=message,
        )
    )
