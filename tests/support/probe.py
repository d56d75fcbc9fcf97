"""A probe stream for testing the stream machinery itself: its effect is a counted upsert."""

from __future__ import annotations

import time
from typing import ClassVar

from psycopg_pool import ConnectionPool

from shared.platform.db import Conn
from shared.platform.dedupe import first_time
from shared.platform.drain import StageHandler
from shared.platform.errors import InvalidArgument
from shared.platform.messages import Message

PROBE_STREAM = "probe.request"
PROBE_GROUP = "probe:group"

CREATE_EFFECTS = """
CREATE TABLE IF NOT EXISTS probe_effects (
    key     integer PRIMARY KEY,
    applied integer NOT NULL
)
"""


class Probe(Message):
    stream: ClassVar[str] = PROBE_STREAM

    key: int
    behaviour: str = "ok"  # ok | fail | invalid | slow


def apply_probe(pool: ConnectionPool[Conn], message: Message) -> None:
    if not isinstance(message, Probe):
        raise TypeError(f"expected a Probe, got {type(message).__name__}")
    if message.behaviour == "fail":
        raise RuntimeError(f"probe {message.key} always fails")
    if message.behaviour == "invalid":
        raise InvalidArgument(f"probe {message.key} is bad input")
    if message.behaviour == "slow":
        time.sleep(0.5)
    with pool.connection() as conn:
        if first_time(conn, message):
            conn.execute(
                "INSERT INTO probe_effects (key, applied) VALUES (%(key)s, 1)"
                " ON CONFLICT (key) DO UPDATE SET applied = probe_effects.applied + 1",
                {"key": message.key},
            )


def probe_handler(pool: ConnectionPool[Conn]) -> StageHandler:
    return StageHandler(PROBE_STREAM, Probe, lambda message: apply_probe(pool, message))
