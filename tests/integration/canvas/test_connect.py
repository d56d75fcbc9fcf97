"""Connecting and disconnecting: sealed tokens in Postgres, state checks, revoke, key rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from devtools.canvas_stub import CanvasStub
from devtools.devhost.stack import Stack
from shared.auth.tokens import session_cookie_name
from shared.canvas.adapters.canvas_api import token_cipher
from shared.canvas.adapters.crypto import Sealed, TokenCipher, TokenDecryptError, new_key_text, parse_keys
from shared.canvas.adapters.tokens import open_tokens
from shared.canvas.store.connections import get_connection
from shared.container import Container
from shared.gateway import create_app
from shared.platform.errors import PermissionDenied
from tests.conftest import FROM_APP
from tests.support.canvas_stub import (
    api_over,
    approve,
    as_user,
    canvas_container,
    canvas_outcome,
    connected_user,
    sync_now,
)
from tests.support.users import make_user

pytestmark = pytest.mark.integration


def _issued(stub: CanvasStub) -> list[str]:
    return list(stub.state.access) + list(stub.state.refresh)


def test_tokens_are_not_readable_in_the_database_without_the_key(
    api: TestClient, canvas: Container, stub: CanvasStub
) -> None:
    user = connected_user(api, canvas)
    with canvas.db.connection() as conn:
        raw = conn.execute("SELECT * FROM canvas_connections WHERE user_id = %(u)s", {"u": user.user_id}).fetchone()
        row = get_connection(conn, user_id=user.user_id)
    assert raw is not None and row is not None
    dumped = repr(raw).encode() + b"".join(v for v in raw if isinstance(v, bytes))
    assert all(token.encode() not in dumped for token in _issued(stub))
    access, refresh = open_tokens(token_cipher(canvas.settings), row)
    assert access in stub.state.access and refresh in stub.state.refresh
    another_key = TokenCipher(parse_keys(new_key_text("k1")), "k1")  # same key id, different key
    with pytest.raises(TokenDecryptError):
        another_key.open(Sealed(row.key_id, row.access_token_ct), user_id=user.user_id, field="access")


def test_a_rotated_key_still_opens_old_rows_and_reseals_them_on_use(
    api: TestClient, canvas: Container, stub: CanvasStub, stack: Stack, database_url: str
) -> None:
    user = connected_user(api, canvas)
    old_keys = canvas.settings.token_encryption_keys
    assert old_keys is not None
    rotated = f"{old_keys.get_secret_value()},{new_key_text('k2')}"
    with (
        canvas_container(
            stack, database_url, stub, TOKEN_ENCRYPTION_KEYS=rotated, TOKEN_ENCRYPTION_ACTIVE_KEY="k2"
        ) as new,
        api_over(new) as new_api,
    ):
        run = sync_now(new_api, new, user)
        assert run["status"] == "done", run
        with new.db.connection() as conn:
            row = get_connection(conn, user_id=user.user_id)
            usage = conn.execute("SELECT encryptions FROM token_key_usage WHERE key_id = 'k2'").fetchone()
    assert row is not None and row.key_id == "k2" and usage is not None and usage[0] >= 2


def test_the_callback_refuses_unknown_used_or_declined_states(
    api: TestClient, canvas: Container, stub: CanvasStub
) -> None:
    user = make_user(canvas)
    started = as_user(api, user).post("/v1/canvas/connect").json()
    assert "response_type=code" in started["authorize_url"] and "scope=url%3AGET" in started["authorize_url"]
    query = approve(started["authorize_url"])
    forged = as_user(api, user).get("/v1/canvas/callback", params={**query, "state": "forged"}, follow_redirects=False)
    assert canvas_outcome(forged) == {"canvas": "error", "code": "INVALID_ARGUMENT"}
    landed = api.get("/v1/canvas/callback", params=query, follow_redirects=False)
    assert landed.headers["location"] == "http://localhost:5173/?canvas=connected"
    replay = api.get("/v1/canvas/callback", params=query, follow_redirects=False)
    assert canvas_outcome(replay) == {"canvas": "error", "code": "INVALID_ARGUMENT"}
    stub.state.deny_next_authorize = True
    declined = approve(as_user(api, user).post("/v1/canvas/connect").json()["authorize_url"])
    assert declined["error"] == "access_denied"
    refused = api.get("/v1/canvas/callback", params=declined, follow_redirects=False)
    assert canvas_outcome(refused) == {"canvas": "error", "code": PermissionDenied.code}
    someone_elses = approve(as_user(api, user).post("/v1/canvas/connect").json()["authorize_url"])
    hijack = as_user(api, make_user(canvas)).get("/v1/canvas/callback", params=someone_elses, follow_redirects=False)
    assert canvas_outcome(hijack) == {"canvas": "error", "code": PermissionDenied.code}
    nobody = approve(as_user(api, user).post("/v1/canvas/connect").json()["authorize_url"])
    signed_out = as_user(api, None).get("/v1/canvas/callback", params=nobody, follow_redirects=False)
    assert canvas_outcome(signed_out) == {"canvas": "error", "code": "UNAUTHENTICATED"}


def test_the_callback_reads_the_secure_session_cookie(stack: Stack, database_url: str, stub: CanvasStub) -> None:
    """With Secure cookies the session is `__Host-studyaid_session`: the callback must find it there."""
    with canvas_container(stack, database_url, stub, SESSION_COOKIE_SECURE=True) as secure:
        with TestClient(create_app(secure), base_url="https://testserver", headers=FROM_APP) as client:
            user = make_user(secure)
            client.cookies.set(session_cookie_name(secure=True), user.token)
            started = client.post("/v1/canvas/connect", headers={"Origin": "http://localhost:5173"})
            query = approve(started.json()["authorize_url"])
            landed = client.get("/v1/canvas/callback", params=query, follow_redirects=False)
            assert canvas_outcome(landed) == {"canvas": "connected"}
            with secure.db.connection() as conn:
                assert get_connection(conn, user_id=user.user_id) is not None


def test_disconnect_revokes_at_canvas_and_deletes_the_tokens(
    api: TestClient, canvas: Container, stub: CanvasStub
) -> None:
    user = connected_user(api, canvas)
    assert as_user(api, user).get("/v1/canvas/connection").json()["connected"] is True
    gone = as_user(api, user).delete("/v1/canvas/connection")
    assert gone.json() == {"disconnected": True, "revoked_at_canvas": True}
    assert not stub.state.access and not stub.state.refresh
    with canvas.db.connection() as conn:
        assert get_connection(conn, user_id=user.user_id) is None
    assert as_user(api, user).get("/v1/canvas/connection").json() == {
        "connected": False, "base_url": None, "canvas_user_name": None, "connected_at": None,
        "status": None, "status_reason": None,
    }  # fmt: skip


def test_assignments_filter_by_course_and_due_window_and_page(api: TestClient, canvas: Container) -> None:
    user = connected_user(api, canvas)
    sync_now(api, canvas, user)
    client = as_user(api, user)
    courses = {c["canvas_id"]: c["id"] for c in client.get("/v1/canvas/courses", params={"limit": 200}).json()["items"]}
    everything = _all_pages(client, {"limit": 4})
    assert len(everything) == 17 and len({a["id"] for a in everything}) == 17
    dated = [a["due_at"] for a in everything if a["due_at"]]
    assert dated == sorted(dated) and everything[-1]["due_at"] is None  # undated last
    course_1 = _all_pages(client, {"course_id": courses[1], "limit": 3})
    assert {a["canvas_id"] for a in course_1} == {1, 2, 3, 4}
    now = datetime.now(UTC)
    window: dict[str, str | int] = {
        "due_from": now.isoformat(),
        "due_to": (now + timedelta(days=4)).isoformat(),
        "limit": 50,
    }
    soon = client.get("/v1/canvas/assignments", params=window).json()["items"]
    assert len(soon) == 8 and all(now <= datetime.fromisoformat(a["due_at"]) for a in soon)
    bad = client.get("/v1/canvas/assignments", params={"due_from": window["due_to"], "due_to": window["due_from"]})
    assert bad.status_code == 400
    assert client.get("/v1/canvas/assignments", params={"cursor": "%%%"}).status_code == 400


def _all_pages(client: TestClient, params: dict[str, str | int]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = client.get("/v1/canvas/assignments", params={**params, **({"cursor": cursor} if cursor else {})}).json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_disconnected_user_keeps_courses_but_cannot_sync(api: TestClient, canvas: Container) -> None:
    user = connected_user(api, canvas)
    sync_now(api, canvas, user)
    as_user(api, user).delete("/v1/canvas/connection")
    client = as_user(api, user)
    assert len(client.get("/v1/canvas/courses").json()["items"]) == 7
    assert client.post("/v1/canvas/sync").status_code == 409
