"""Publishing to Redis Streams. Consumption lives in `consumer.py`, the drain loop in `drain.py`.

Each entry has `type` (the stream name the model was made for), `data` (the model as JSON) and
the specification's flat fields for the message (e.g. `doc_id`, `user_id`). The publisher
validates the model again before `XADD`, so an instance built with `model_construct` cannot
smuggle bad data onto a stream.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from redis import Redis

from shared.platform.lanes import BULK_FIELD, BULK_VALUE, FairLanes, in_bulk_context
from shared.platform.messages import Message


def stream_key(prefix: str, stream: str) -> str:
    return f"{prefix}{stream}"


def dead_key(prefix: str, stream: str) -> str:
    return f"{prefix}{stream}.dead"


#: Streams published for whoever wants to listen (a client, an operator) and consumed by no stage.
RESULT_STREAMS: tuple[str, ...] = ("ingest.result", "ai.result", "media.result")


#: What `publish` returns for a message parked behind its user's window (see lanes.py).
PARKED = "parked"


class StreamPublisher:
    """`caps` bounds streams that no group consumes (results): XADD trims them as it appends.
    With `lanes`, a message naming a `user_id` on one of the `fair` streams is admitted per user
    (its consumers must settle through the same lanes)."""

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "",
        caps: Mapping[str, int] | None = None,
        lanes: FairLanes | None = None,
        fair: Collection[str] = (),
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._caps = dict(caps or {})
        self._lanes = lanes
        self._fair = frozenset(fair)

    def publish(self, message: Message) -> str:
        checked = type(message).model_validate(message.model_dump(warnings=False))
        fields: dict[str, str] = {**checked.spec_fields(), "type": checked.stream, "data": checked.model_dump_json()}
        user_id = fields.get("user_id")
        if self._lanes is not None and user_id and checked.stream in self._fair:
            bulk = checked.is_bulk() or in_bulk_context()
            if bulk:
                fields[BULK_FIELD] = BULK_VALUE
            key = stream_key(self._prefix, checked.stream)
            admitted = self._lanes.admit(key, fields, user_id=user_id, message_id=str(checked.message_id), bulk=bulk)
            return admitted or PARKED
        return self._append(checked.stream, fields)

    def _append(self, stream: str, fields: dict[Any, Any]) -> str:
        entry_id = self._redis.xadd(
            stream_key(self._prefix, stream), fields, maxlen=self._caps.get(stream), approximate=True
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
