"""The hourly `retention` timer job: each context's table rules, then the result and dead streams.

User content (documents, notes, cards, media) is kept until its owner deletes it; what is
purged here is operational state, each kind after its own setting (docs/operations.md).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from shared.auth.store.retention import auth_retention
from shared.canvas.retention import canvas_retention
from shared.container import Container
from shared.media.store import claims_retention
from shared.notify.retention import notify_retention
from shared.platform.dedupe import dedupe_retention
from shared.platform.retention import TableRetention, purge_table, trim_older_than
from shared.platform.streams import RESULT_STREAMS, dead_key, stream_key
from shared.settings import Settings

logger = logging.getLogger(__name__)


def table_rules(settings: Settings) -> list[TableRetention]:
    rules = [*auth_retention(settings), *canvas_retention(settings), *notify_retention(settings)]
    return [*rules, dedupe_retention(settings), claims_retention()]


def retention_job(container: Container, *, streams: tuple[str, ...]) -> dict[str, object]:
    """`streams` are the request streams the registry drains: their dead letters are trimmed too."""
    settings = container.settings
    now = container.clock.now()
    tables = {rule.table: purge_table(container.db, rule, now=now) for rule in table_rules(settings)}
    prefix, redis = settings.stream_prefix, container.redis
    results_before = now - timedelta(hours=settings.result_stream_retention_hours)
    dead_before = now - timedelta(days=settings.dead_letter_retention_days)
    trimmed = {s: trim_older_than(redis, stream_key(prefix, s), cutoff=results_before) for s in RESULT_STREAMS}
    trimmed |= {f"{s}.dead": trim_older_than(redis, dead_key(prefix, s), cutoff=dead_before) for s in streams}
    logger.info("retention: deleted %s rows, trimmed %s stream entries", sum(tables.values()), sum(trimmed.values()))
    return {"rows_deleted": tables, "entries_trimmed": trimmed}
