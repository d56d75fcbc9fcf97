"""SQL of the account context: every row of one user, to export or to erase."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from shared.platform.db import Conn

#: The user's rows as JSON, table by table. Secrets and hashes never leave: session token hashes,
#: sealed Canvas tokens and password hashes are cut out of the export.
EXPORTED: dict[str, str] = {
    "account": "SELECT to_jsonb(t) - 'password_hash' FROM users t WHERE id = %(user_id)s",
    "sign_in_methods": "SELECT to_jsonb(t) FROM user_identities t WHERE user_id = %(user_id)s",
    "sessions": "SELECT to_jsonb(t) - 'token_hash' FROM sessions t WHERE user_id = %(user_id)s ORDER BY created_at",
    "documents": "SELECT to_jsonb(t) FROM documents t WHERE user_id = %(user_id)s ORDER BY created_at",
    "notes": "SELECT to_jsonb(t) FROM notes t WHERE user_id = %(user_id)s ORDER BY created_at",
    "flashcards": "SELECT to_jsonb(t) FROM flashcards t WHERE user_id = %(user_id)s ORDER BY created_at",
    "slide_decks": "SELECT to_jsonb(t) FROM slide_decks t WHERE user_id = %(user_id)s ORDER BY created_at",
    "media": "SELECT to_jsonb(t) FROM media_assets t WHERE user_id = %(user_id)s",
    "courses": "SELECT to_jsonb(t) FROM courses t WHERE user_id = %(user_id)s",
    "assignments": "SELECT to_jsonb(t) FROM assignments t WHERE user_id = %(user_id)s ORDER BY due_at",
    "canvas_connection": (
        "SELECT to_jsonb(t) - 'access_token_ct' - 'refresh_token_ct' - 'key_id' FROM canvas_connections t"
        " WHERE user_id = %(user_id)s"
    ),
    "notification_preferences": "SELECT to_jsonb(t) FROM notify_preferences t WHERE user_id = %(user_id)s",
    "notifications": (
        "SELECT to_jsonb(t) FROM notification_deliveries t WHERE user_id = %(user_id)s ORDER BY created_at"
    ),
}

_DELETE_LOGS = """
DELETE FROM logs
 WHERE context->>'user_id' = %(user_id)s OR (%(account)s <> '' AND context->>'account' = %(account)s)
"""


# Raw paths an upload URL may still be valid for: documents made for a SAS upload lately, and
# paths already held after a document delete. They are held again once the account's blobs go.
_OPEN_UPLOADS = """
SELECT raw_blob_path FROM documents
 WHERE user_id = %(user_id)s AND source = 'upload' AND created_at > %(since)s
UNION
SELECT path FROM held_uploads WHERE path LIKE %(prefix)s
"""


def open_upload_paths(conn: Conn, *, user_id: uuid.UUID, since: datetime) -> list[str]:
    params = {"user_id": user_id, "since": since, "prefix": f"{user_id}/%"}
    return [str(row[0]) for row in conn.execute(_OPEN_UPLOADS, params).fetchall()]


def exported(conn: Conn, *, user_id: uuid.UUID) -> dict[str, list[Any]]:
    return {
        name: [row[0] for row in conn.execute(sql, {"user_id": user_id}).fetchall()] for name, sql in EXPORTED.items()
    }


def erase_user(conn: Conn, *, user_id: uuid.UUID, email: str, account_key: str) -> bool:
    """Delete the user and (by cascade) every row that names them, their sign-in attempts and
    the log lines that carry their id or their email's key. False when no such user."""
    conn.execute("DELETE FROM login_attempts WHERE email = %(email)s", {"email": email})
    conn.execute(_DELETE_LOGS, {"user_id": str(user_id), "account": account_key})
    return conn.execute("DELETE FROM users WHERE id = %(user_id)s", {"user_id": user_id}).rowcount == 1
