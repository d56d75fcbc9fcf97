"""Effect-once processing: record a message's dedupe key in the same transaction as its effect."""

from __future__ import annotations

from datetime import timedelta

from shared.platform.db import Conn
from shared.platform.messages import Message
from shared.platform.retention import RetentionSettings, TableRetention


def first_time(conn: Conn, message: Message) -> bool:
    """True when this message's effect has not been committed before (call inside the transaction)."""
    row = conn.execute(
        "INSERT INTO processed_messages (dedupe_key, stream, message_id)"
        " VALUES (%(key)s, %(stream)s, %(message_id)s)"
        " ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key",
        {"key": message.dedupe_key(), "stream": message.stream, "message_id": message.message_id},
    ).fetchone()
    return row is not None


def already_processed(conn: Conn, message: Message) -> bool:
    """Whether this message's effect is already committed: a cheap early exit before the work. The
    binding check is still `first_time`, inside the transaction that commits the effect."""
    return key_processed(conn, message.dedupe_key())


def key_processed(conn: Conn, dedupe_key: str) -> bool:
    """`already_processed` by the message's dedupe key."""
    sql = "SELECT 1 FROM processed_messages WHERE dedupe_key = %(key)s"
    return conn.execute(sql, {"key": dedupe_key}).fetchone() is not None


def dedupe_retention(settings: RetentionSettings) -> TableRetention:
    """Dedupe keys outlive the dead-letter streams, so a replayed dead letter is still recognised."""
    return TableRetention(
        table="processed_messages",
        older_than="processed_at < %(cutoff)s",
        keep=timedelta(days=settings.dedupe_retention_days),
    )
