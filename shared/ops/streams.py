"""Stream repairs: move stuck pending entries to a fresh consumer; replay or drop dead letters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from redis import Redis

from shared.platform.consumer import StreamConsumer

#: What dead-lettering adds to an entry; everything else is the entry as it was published.
DEAD_LETTER_FIELDS = frozenset({"original_id", "stream", "error_code", "error", "deliveries"})


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(frozen=True)
class Unstuck:
    fresh_consumer: str
    moved: list[str]
    removed_consumers: list[str]


def move_stuck(consumer: StreamConsumer, *, min_idle_ms: int, batch: int = 500) -> Unstuck:
    """Claim entries idle ≥ `min_idle_ms` for a fresh consumer and mark them idle past the visibility
    timeout, so the next drain takes them at once; then delete consumers left with nothing pending.

    JUSTID claims keep each entry's delivery count, so the dead-letter limit still holds.
    """
    redis, key, group = consumer.redis, consumer.key, consumer.group
    fresh = f"ops-{uuid.uuid4().hex[:8]}"
    moved: list[str] = []
    start = "-"
    while rows := redis.xpending_range(key, group, min=start, max="+", count=batch, idle=min_idle_ms):
        ids: list[Any] = [_text(row["message_id"]) for row in rows]
        claimed = redis.xclaim(
            key, group, fresh, min_idle_ms, ids, idle=consumer.visibility_timeout_ms + 1, justid=True
        )
        moved.extend(_text(i) for i in claimed)
        start = f"({ids[-1]}"  # exclusive: continue after the last one seen
    removed: list[str] = []
    for info in redis.xinfo_consumers(key, group):
        name = _text(info["name"])
        if name != fresh and int(info["pending"]) == 0 and int(info["idle"]) >= min_idle_ms:
            redis.xgroup_delconsumer(key, group, name)
            removed.append(name)
    return Unstuck(fresh_consumer=fresh, moved=moved, removed_consumers=removed)


@dataclass(frozen=True)
class DeadLetter:
    entry_id: str
    error_code: str
    error: str
    deliveries: str
    original_id: str


def list_dead(redis: Redis, *, dead_key: str, count: int = 100) -> list[DeadLetter]:
    rows: Any = redis.xrange(dead_key, count=count)
    letters: list[DeadLetter] = []
    for entry_id, raw in rows:
        fields = {_text(k): _text(v) for k, v in raw.items()}
        letters.append(
            DeadLetter(
                entry_id=_text(entry_id),
                error_code=fields.get("error_code", ""),
                error=fields.get("error", ""),
                deliveries=fields.get("deliveries", ""),
                original_id=fields.get("original_id", ""),
            )
        )
    return letters


def _selected(redis: Redis, *, dead_key: str, ids: list[str] | None) -> list[tuple[str, dict[str, str]]]:
    rows: Any
    if ids is None:
        rows = redis.xrange(dead_key)
    else:
        rows = []
        for entry_id in ids:
            found: Any = redis.xrange(dead_key, min=entry_id, max=entry_id)
            rows.extend(found)
    return [(_text(i), {_text(k): _text(v) for k, v in f.items()}) for i, f in rows]


def replay_dead(redis: Redis, *, dead_key: str, stream_key: str, ids: list[str] | None) -> list[str]:
    """Put dead letters back on their stream as new entries (with fresh delivery counts)."""
    replayed: list[str] = []
    for entry_id, fields in _selected(redis, dead_key=dead_key, ids=ids):
        pipe = redis.pipeline(transaction=True)
        original: dict[Any, Any] = {k: v for k, v in fields.items() if k not in DEAD_LETTER_FIELDS}
        pipe.xadd(stream_key, original)
        pipe.xdel(dead_key, entry_id)
        pipe.execute()
        replayed.append(entry_id)
    return replayed


def drop_dead(redis: Redis, *, dead_key: str, ids: list[str] | None) -> list[str]:
    chosen = [entry_id for entry_id, _ in _selected(redis, dead_key=dead_key, ids=ids)]
    if chosen:
        redis.xdel(dead_key, *chosen)
    return chosen
