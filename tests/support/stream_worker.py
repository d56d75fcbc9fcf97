"""A worker process for the stream fault tests: drains the probe stream until killed.

Usage: python -m tests.support.stream_worker REDIS_URL POSTGRES_URL PREFIX VISIBILITY_MS MAX_DELIVERIES
"""

from __future__ import annotations

import sys

from redis import Redis

from shared.platform.consumer import StreamConsumer
from shared.platform.db import open_pool
from shared.platform.drain import DrainLimits, drain
from shared.platform.streams import dead_key, stream_key
from shared.workers import consumer_name
from tests.support.probe import PROBE_GROUP as GROUP
from tests.support.probe import PROBE_STREAM, probe_handler


def main(argv: list[str]) -> None:
    redis_url, postgres_url, prefix, visibility_ms, max_deliveries = argv
    pool = open_pool(postgres_url, max_size=4)
    consumer = StreamConsumer(
        Redis.from_url(redis_url),
        key=stream_key(prefix, PROBE_STREAM),
        dead_key=dead_key(prefix, PROBE_STREAM),
        group=GROUP,
        consumer=consumer_name(),
        visibility_timeout_ms=int(visibility_ms),
    )
    limits = DrainLimits(budget_s=2.0, max_deliveries=int(max_deliveries), batch=32, block_ms=200)
    handler = probe_handler(pool)
    while True:
        drain(consumer, handler, limits)


if __name__ == "__main__":
    main(sys.argv[1:])
