"""Publishing to Redis Streams. Consumption lives in `consumer.py`, the drain loop in `drain.py`.

Each entry has `type` (the stream name the model was made for), `data` (the model as JSON) and
the specification's flat fields for the message (e.g. `doc_id`, `user_id`). The publisher
validates the model again before `XADD`, so an instance built with `model_construct` cannot
smuggle bad data onto a stream.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redis import Redis

from shared.platform.messages import Message


def stream_key(prefix: str, stream: str) -> str:
    return f"{prefix}{stream}"


def dead_key(prefix: str, stream: str) -> str:
    return f"{prefix}{stream}.dead"


#: Streams published for whoever wants to listen (a client, an operator) and consumed by no stage.
RESULT_STREAMS: tuple[str, ...] = ("ingest.result", "ai.result", "media.result")


class StreamPublisher:
    """`caps` bounds streams that no group consumes (results): XADD trims them as it appends."""

    def __init__(self, redis: Redis, *, prefix: str = "", caps: Mapping[str, int] | None = None) -> None:
        self._redis = redis
        self._prefix = prefix
        self._caps = dict(caps or {})

    def publish(self, message: Message) -> str:
        checked = type(message).model_validate(message.model_dump(warnings=False))
        fields: dict[Any, Any] = {**checked.spec_fields(), "type": checked.stream, "data": checked.model_dump_json()}
        entry_id = self._redis.xadd(
            stream_key(self._prefix, checked.stream), fields, maxlen=self._caps.get(checked.stream), approximate=True
        )
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)


class MemoryPublisher:
    """Unit-test publisher: records what was published."""

    def __init__(self) -> None:
        self.published: list[Message] = []

    def publish(self, message: Message) -> str:
        checked = type(message).model_validate(message.model_dump(warnings=False))
        self.published.append(checked)
        return f"0-{len(self.published)}"
