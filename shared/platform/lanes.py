"""Fair admission to a stage stream: each user holds at most a small window of its entries.

A stage stream stays one FIFO with its consumer group (KEDA scales on its lag as before), but a
user may have at most `window` entries in it at a time (`bulk_window` for bulk work, a Canvas
backfill). What exceeds the window is parked in the user's own Redis lists beside the stream,
interactive work ahead of bulk work. Settling an entry (ack or dead letter) and promoting the
user's next parked item to the tail of the stream is one Lua script, so nothing is lost or
counted twice. A user's first item therefore waits behind at most `window` items of each other
user, whatever one user has queued; a user's own items take turns with everyone else's.

Keys beside `<stream>`: `<stream>.fair` (hash user -> entries in the stream),
`<stream>.parked:<user>` and `<stream>.parked.bulk:<user>` (lists of `[message id, fields...]`
as JSON), `<stream>.parked.users` (set of users with parked items) and `<stream>.parked.ids`
(message ids parked, so a message re-published while it waits is parked once).
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from typing import Any

from redis import Redis

BULK_FIELD = "lane"
BULK_VALUE = "bulk"

_in_bulk: ContextVar[bool] = ContextVar("in_bulk", default=False)


def set_bulk_context(value: bool) -> None:
    """The drain marks work taken from a bulk entry, so the next stage's message stays bulk."""
    _in_bulk.set(value)


def in_bulk_context() -> bool:
    return _in_bulk.get()


_PROMOTE = """
local function promote(stream, counts, pi, pb, users, ids, user, n, k, kb)
  local nxt = false
  if n < k then nxt = redis.call('LPOP', pi) end
  if not nxt and n < kb then nxt = redis.call('LPOP', pb) end
  if nxt then
    local item = cjson.decode(nxt)
    redis.call('SREM', ids, table.remove(item, 1))
    redis.call('XADD', stream, '*', unpack(item))
    redis.call('HINCRBY', counts, user, 1)
  elseif n <= 0 then
    redis.call('HDEL', counts, user)
  end
  if redis.call('LLEN', pi) == 0 and redis.call('LLEN', pb) == 0 then redis.call('SREM', users, user) end
  if nxt then return 1 end
  return 0
end
"""

# KEYS: stream, counts, parked, parked.bulk, parked.users, parked.ids
# ARGV: user, window, 'b'|'i', message id, [message id, fields...] as JSON
_ADMIT = """
local n = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local parked = KEYS[3]
if ARGV[3] == 'b' then parked = KEYS[4] end
if n < tonumber(ARGV[2]) and redis.call('LLEN', parked) == 0 then
  redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
  local item = cjson.decode(ARGV[5])
  table.remove(item, 1)
  return redis.call('XADD', KEYS[1], '*', unpack(item))
end
if redis.call('SADD', KEYS[6], ARGV[4]) == 1 then  -- a message already parked waits once
  redis.call('RPUSH', parked, ARGV[5])
  redis.call('SADD', KEYS[5], ARGV[1])
end
return false
"""

# KEYS: stream, counts, parked, parked.bulk, parked.users, parked.ids, errors, dead
# ARGV: group, entry id, user, window, bulk window, dead fields JSON or ''
_SETTLE = (
    _PROMOTE
    + """
if ARGV[6] ~= '' then redis.call('XADD', KEYS[8], '*', unpack(cjson.decode(ARGV[6]))) end
local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[7], ARGV[2])
if acked == 0 then return 0 end
local n = redis.call('HINCRBY', KEYS[2], ARGV[3], -1)
if n < 0 then  -- an entry that was appended without admission (a replayed dead letter)
  redis.call('HSET', KEYS[2], ARGV[3], 0)
  n = 0
end
return promote(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[3], n, tonumber(ARGV[4]), tonumber(ARGV[5]))
"""
)

# KEYS: stream, counts, parked, parked.bulk, parked.users, parked.ids; ARGV: user
_SWEEP = _PROMOTE + "return promote(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[1], 0, 1, 1)"


def _flat(fields: dict[str, str], *head: str) -> str:
    """`[*head, key, value, key, value, ...]` as JSON, as the scripts unpack it into XADD."""
    return json.dumps([*head, *(part for pair in fields.items() for part in pair)])


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class FairLanes:
    def __init__(self, redis: Redis, *, window: int, bulk_window: int) -> None:
        self.redis = redis
        self.window = window
        self.bulk_window = min(bulk_window, window)
        self._admit = redis.register_script(_ADMIT)
        self._settle = redis.register_script(_SETTLE)
        self._sweep = redis.register_script(_SWEEP)

    @staticmethod
    def _keys(key: str, user_id: str) -> list[str]:
        return [
            key,
            f"{key}.fair",
            f"{key}.parked:{user_id}",
            f"{key}.parked.bulk:{user_id}",
            f"{key}.parked.users",
            f"{key}.parked.ids",
        ]

    def admit(self, key: str, fields: dict[str, str], *, user_id: str, message_id: str, bulk: bool) -> str | None:
        """Append to the stream within the user's window (the entry id), else park (None). A
        message already parked (the reconciler re-publishing a waiting document) is not parked twice."""
        window = self.bulk_window if bulk else self.window
        args: list[str | int] = [user_id, window, "b" if bulk else "i", message_id, _flat(fields, message_id)]
        entry_id = self._admit(keys=self._keys(key, user_id), args=args)
        return None if entry_id is None else _text(entry_id)

    def settle(
        self,
        key: str,
        *,
        group: str,
        entry_id: str,
        user_id: str,
        errors_key: str,
        dead: tuple[str, dict[str, str]] | None = None,
    ) -> bool:
        """Acknowledge (after moving to `dead` when given) and promote the user's next parked item."""
        dead_key, dead_fields = dead if dead else (f"{key}.dead", None)
        keys = [*self._keys(key, user_id), errors_key, dead_key]
        dead_json = _flat(dead_fields) if dead_fields else ""
        args: list[str | int] = [group, entry_id, user_id, self.window, self.bulk_window, dead_json]
        return bool(self._settle(keys=keys, args=args))

    def sweep(self, key: str, *, group: str) -> int:
        """When the group has nothing pending or undelivered, forget the counts and promote one
        parked item per user: an entry lost outside `settle` (trimmed, deleted by hand) cannot
        keep a user's parked work waiting for ever."""
        if not self._idle(key, group=group):
            return 0
        self.redis.delete(f"{key}.fair")
        promoted = 0
        users: Any = self.redis.smembers(f"{key}.parked.users")
        for user in users:
            user_id = _text(user)
            promoted += int(self._sweep(keys=self._keys(key, user_id), args=[user_id]))
        return promoted

    def _idle(self, key: str, *, group: str) -> bool:
        if not self.redis.exists(key):
            return True
        last: Any = self.redis.xinfo_stream(key)["last-generated-id"]
        for info in self.redis.xinfo_groups(key):
            if _text(info["name"]) == group:
                return not info["pending"] and _text(info["last-delivered-id"]) == _text(last)
        return False
