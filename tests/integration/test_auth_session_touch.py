"""A session lookup writes `last_seen_at` at most once a minute (a read stays a read)."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.auth.cookies import liveness
from shared.auth.sessions_store import principal_for_token
from shared.auth.tokens import hash_token
from shared.container import Container
from tests.support.users import make_user


def _last_seen(container: Container, token: str) -> datetime:
    with container.db.connection() as conn:
        row = conn.execute("SELECT last_seen_at FROM sessions WHERE token_hash = %s", (hash_token(token),)).fetchone()
    assert row is not None
    return row[0]  # type: ignore[no-any-return]


def _set_last_seen(container: Container, token: str, ago: timedelta) -> datetime:
    with container.db.connection() as conn:
        row = conn.execute(
            "UPDATE sessions SET last_seen_at = now() - %s WHERE token_hash = %s RETURNING last_seen_at",
            (ago, hash_token(token)),
        ).fetchone()
    assert row is not None
    return row[0]  # type: ignore[no-any-return]


def test_a_recent_session_is_not_rewritten_on_every_request(container: Container) -> None:
    user = make_user(container)
    seen = _set_last_seen(container, user.token, timedelta(seconds=20))
    principal = principal_for_token(container.db, user.token, live=liveness(container))
    assert principal is not None and principal.user_id == user.user_id
    assert _last_seen(container, user.token) == seen


def test_a_session_idle_for_minutes_is_touched(container: Container) -> None:
    user = make_user(container)
    seen = _set_last_seen(container, user.token, timedelta(minutes=5))
    assert principal_for_token(container.db, user.token, live=liveness(container)) is not None
    assert _last_seen(container, user.token) - seen >= timedelta(minutes=4)
