"""One consumer of one stream's group: read, reclaim, acknowledge, dead-letter, trim.

At-least-once: an entry leaves the group's pending list only through `ack` (after the handler
succeeded) or `dead_letter` (one MULTI with the XADD to `<stream>.dead`). Entries whose consumer
died are reclaimed with XAUTOCLAIM once idle past the visibility timeout.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from redis import Redis

from shared.platform.groups import GroupMove, create_group
from shared.platform.lanes import FairLanes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    entry_id: str
    fields: dict[str, str]
    deliveries: int


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _successor(entry_id: str) -> str:
    ms, seq = entry_id.split("-")
    return f"{ms}-{int(seq) + 1}"


class StreamConsumer:
    def __init__(
        self,
        redis: Redis,
        *,
        key: str,
        dead_key: str,
        group: str,
        consumer: str,
        visibility_timeout_ms: int,
        replaces_group: str | None = None,
        lanes: FairLanes | None = None,
    ) -> None:
        self.redis = redis
        self.key = key
        self.dead_key = dead_key
        self.group = group
        self.consumer = consumer
        self.visibility_timeout_ms = visibility_timeout_ms
        #: A group this one took over from: its progress and pending entries move here on creation.
        self.replaces_group = replaces_group
        self._errors_key = f"{key}.errors"
        #: Per-user admission (see lanes.py): settling an entry lets the user's next one in.
        self.lanes = lanes

    def ensure_group(self) -> GroupMove:
        move = create_group(self.redis, key=self.key, group=self.group, replaces=self.replaces_group)
        if move.requeued:
            logger.warning(
                "stream %s: %d pending entries of group %s requeued for %s",
                self.key,
                len(move.requeued),
                move.old_group,
                self.group,
            )
        return move

    def read_new(self, *, count: int, block_ms: int | None) -> list[Entry]:
        reply: Any = self.redis.xreadgroup(self.group, self.consumer, {self.key: ">"}, count=count, block=block_ms)
        if not reply:
            return []
        return [Entry(_text(i), self._decode(f), 1) for i, f in reply[0][1] if f is not None]

    def claim_stale(self, *, count: int) -> list[Entry]:
        """Take over entries idle past the visibility timeout; their consumer is presumed dead."""
        reply: Any = self.redis.xautoclaim(
            self.key, self.group, self.consumer, min_idle_time=self.visibility_timeout_ms, count=count
        )
        claimed = [(_text(i), f) for i, f in reply[1] if f is not None]
        deleted = reply[2] if len(reply) > 2 else []
        if deleted:
            logger.error("stream %s: %d pending entries were trimmed before processing", self.key, len(deleted))
        if not claimed:
            return []
        counts = self._delivery_counts([i for i, _ in claimed])
        return [Entry(i, self._decode(f), counts.get(i, 1)) for i, f in claimed]

    def _delivery_counts(self, ids: list[str]) -> dict[str, int]:
        rows = self.redis.xpending_range(self.key, self.group, min=ids[0], max=ids[-1], count=len(ids) * 2)
        return {_text(r["message_id"]): int(r["times_delivered"]) for r in rows}

    def keep_alive(self, entry_ids: list[str]) -> None:
        """Reset the entries' idle time without counting a delivery (long-running handlers).
        An entry acknowledged in the meantime is no longer pending, and XCLAIM skips it."""
        ids: list[int | bytes | str | memoryview[int]] = list(entry_ids)
        self.redis.xclaim(self.key, self.group, self.consumer, 0, ids, justid=True)

    def ack(self, entry_id: str, *, user_id: str | None = None) -> None:
        if self.lanes is not None and user_id:
            self._settle(entry_id, user_id=user_id)
            return
        pipe = self.redis.pipeline(transaction=True)
        pipe.xack(self.key, self.group, entry_id)
        pipe.hdel(self._errors_key, entry_id)
        pipe.execute()

    def remember_error(self, entry_id: str, error: str) -> None:
        self.redis.hset(self._errors_key, entry_id, error[:4000])

    def last_error(self, entry_id: str) -> str | None:
        value = self.redis.hget(self._errors_key, entry_id)
        return None if value is None else _text(value)

    def dead_letter(self, entry: Entry, *, error_code: str, error: str) -> None:
        pipe = self.redis.pipeline(transaction=True)
        dead_fields: dict[Any, Any] = {
            **entry.fields,
            "original_id": entry.entry_id,
            "stream": self.key,
            "error_code": error_code,
            "error": error[:4000],
            "deliveries": str(entry.deliveries),
        }
        user_id = entry.fields.get("user_id")
        if self.lanes is not None and user_id:
            self._settle(entry.entry_id, user_id=user_id, dead={str(k): str(v) for k, v in dead_fields.items()})
            return
        pipe.xadd(self.dead_key, dead_fields)
        pipe.xack(self.key, self.group, entry.entry_id)
        pipe.hdel(self._errors_key, entry.entry_id)
        pipe.execute()

    def _settle(self, entry_id: str, *, user_id: str, dead: dict[str, str] | None = None) -> None:
        lanes = self.lanes
        if lanes is None:  # callers check first; kept for the type checker
            return
        lanes.settle(
            self.key,
            group=self.group,
            entry_id=entry_id,
            user_id=user_id,
            errors_key=self._errors_key,
            dead=(self.dead_key, dead) if dead else None,
        )

    def sweep_parked(self) -> int:
        """With the stream idle, let parked work in (see `FairLanes.sweep`)."""
        return 0 if self.lanes is None else self.lanes.sweep(self.key, group=self.group)

    def trim_acknowledged(self) -> int:
        """Drop entries every group has acknowledged; never a pending or undelivered one."""
        threshold: str | None = None
        for group in self.redis.xinfo_groups(self.key):
            floor = _successor(_text(group["last-delivered-id"]))
            summary = self.redis.xpending(self.key, _text(group["name"]))
            if summary["pending"]:
                floor = min(floor, _text(summary["min"]), key=_id_order)
            threshold = floor if threshold is None else min(threshold, floor, key=_id_order)
        if threshold is None:
            return 0
        return int(self.redis.xtrim(self.key, minid=threshold, approximate=False))

    @staticmethod
    def _decode(fields: dict[Any, Any]) -> dict[str, str]:
        return {_text(k): _text(v) for k, v in fields.items()}


def _id_order(entry_id: str) -> tuple[int, int]:
    ms, seq = entry_id.split("-")
    return (int(ms), int(seq))
