"""The database log sink: the app's own records land in `logs` in the stdout shape; a dead
database costs the copy, never the caller."""

from __future__ import annotations

import logging
import uuid

import pytest

from shared.container import Container
from shared.logs.sink import DbLogSink
from shared.logs.store import LogFilter, query
from shared.platform.context import set_request_id
from shared.platform.db import open_pool

pytestmark = pytest.mark.integration


def record(message: str, **extra: object) -> logging.LogRecord:
    return logging.makeLogRecord(
        {"name": "tests.sink", "levelno": logging.WARNING, "levelname": "WARNING", "msg": message, "args": (), **extra}
    )


def test_records_are_stored_with_request_id_and_context(container: Container) -> None:
    sink = DbLogSink(pool=container.db, service="sink-test", level="INFO", interval_s=60)
    marker = uuid.uuid4().hex
    set_request_id(f"req-{marker}")
    try:
        sink.handle(record(f"disk almost full {marker}", volume="/data"))
    finally:
        set_request_id(None)
    sink.close()  # flushes what is pending
    with container.db.connection() as conn:
        [stored] = query(conn, LogFilter(request_id=f"req-{marker}"))
    assert (stored.service, stored.level, stored.message) == ("sink-test", "warning", f"disk almost full {marker}")
    assert stored.context["volume"] == "/data" and stored.context["logger"] == "tests.sink"


def test_a_closed_database_drops_the_batch_without_raising(container: Container) -> None:
    url = container.settings.postgres_url
    assert url is not None
    pool = open_pool(url.get_secret_value(), max_size=1)
    sink = DbLogSink(pool=pool, service="sink-test", level="INFO", interval_s=60)
    pool.close()
    sink.handle(record("lost, but only from the database copy"))
    sink.close()
    assert sink.dropped == 1
