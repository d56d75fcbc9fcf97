"""Moving a stream from an old consumer group to a new one without losing or repeating work.

The new group starts where the old one had delivered up to, so entries nobody has read yet are
read once, by the new group. Entries the old group had delivered but not acknowledged (work in
flight or failed, waiting for a retry) are added again at the end of the stream and acknowledged
in the old group, in one MULTI each; then the old group is destroyed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from redis.exceptions import ResponseError


@dataclass(frozen=True)
class GroupMove:
    stream: str
    old_group: str
    new_group: str
    created: bool
    requeued: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def last_delivered(redis: Redis, *, key: str, group: str) -> str | None:
    """The group's last-delivered id, or None when the stream or the group does not exist."""
    try:
        groups = redis.xinfo_groups(key)
    except ResponseError:  # no such key
        return None
    for info in groups:
        if _text(info["name"]) == group:
            return _text(info["last-delivered-id"])
    return None


def create_group(redis: Redis, *, key: str, group: str, replaces: str | None) -> GroupMove:
    """Create `group` on `key` (from the start of the stream, or where `replaces` had got to) and
    move `replaces`' pending entries to it. Only the caller that created the group moves anything."""
    start = last_delivered(redis, key=key, group=replaces) if replaces else None
    try:
        redis.xgroup_create(key, group, id=start or "0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise
        return GroupMove(stream=key, old_group=replaces or "", new_group=group, created=False)
    requeued = _requeue_pending(redis, key=key, group=replaces) if start and replaces else []
    if start and replaces:
        redis.xgroup_destroy(key, replaces)
    return GroupMove(stream=key, old_group=replaces or "", new_group=group, created=True, requeued=requeued)


def _requeue_pending(redis: Redis, *, key: str, group: str, batch: int = 500) -> list[str]:
    requeued: list[str] = []
    while rows := redis.xpending_range(key, group, min="-", max="+", count=batch):
        for row in rows:
            entry_id = _text(row["message_id"])
            found: Any = redis.xrange(key, min=entry_id, max=entry_id)
            pipe = redis.pipeline(transaction=True)
            if found:
                pipe.xadd(key, found[0][1])
            pipe.xack(key, group, entry_id)
            pipe.execute()
            requeued.append(entry_id)
    return requeued
