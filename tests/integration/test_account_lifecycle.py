"""Exporting an account, and deleting it with every row, blob, log line and the Canvas grant."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from devtools.canvas_stub import CanvasStub
from devtools.devhost.stack import Stack
from shared.container import Container
from shared.gateway import create_app
from shared.platform.blobs import CONTAINERS
from shared.platform.db import Conn
from shared.platform.errors import PermissionDenied
from shared.platform.throttle import email_key
from shared.search.indexing import index_document_sections
from tests.conftest import FROM_APP
from tests.support.ai_docs import lecture, seed_document
from tests.support.auth_stack import STRONG_PASSWORD
from tests.support.canvas_stub import as_user, canvas_container, connected_user, running_stub
from tests.support.users import TestUser

pytestmark = pytest.mark.integration

App = tuple[TestClient, Container, CanvasStub]

# Every table that names a user, found from the schema so a table added later is checked too.
_USER_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE a.attname = 'user_id' AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND c.relnamespace = 'public'::regnamespace
"""


@pytest.fixture
def app(stack: Stack, database_url: str) -> Iterator[App]:
    with running_stub() as stub, canvas_container(stack, database_url, stub) as built:
        with TestClient(create_app(built), headers=FROM_APP) as client:
            yield client, built, stub


def _seed(container: Container, user: TestUser) -> uuid.UUID:
    """A document with its original, derived and media files, notes, cards and log lines."""
    structure = lecture()
    doc_id = seed_document(container, user_id=user.user_id, structure=structure)
    prefix = f"{user.user_id}/{doc_id}"
    container.blobs.put(container="raw", path=f"{prefix}/lecture.pdf", data=b"%PDF-1.7", content_type="application/pdf")
    container.blobs.put(container="media", path=f"{prefix}/slide-1.png", data=b"png", content_type="image/png")
    with container.db.connection() as conn:
        params = {"doc": doc_id, "user": user.user_id, "email": user.email}
        conn.execute(
            "INSERT INTO flashcards (document_id, user_id, cards, generator)"
            ' VALUES (%(doc)s, %(user)s, \'[{"front": "A*", "back": "best-first"}]\', \'local\')',
            params,
        )
        conn.execute(
            "INSERT INTO logs (ts, service, level, message, context) VALUES (now(), 'test', 'INFO', 'did a thing',"
            " jsonb_build_object('user_id', %(user)s::text))",
            params,
        )
        conn.execute("INSERT INTO login_attempts (email, succeeded) VALUES (%(email)s, false)", params)
        conn.execute(
            "INSERT INTO media_assets (id, document_id, user_id, kind, blob_url)"
            " VALUES (gen_random_uuid(), %(doc)s, %(user)s, 'image', %(url)s)",
            {**params, "url": f"media/{prefix}/slide-1.png"},
        )
        index_document_sections(conn, doc_id=doc_id, user_id=user.user_id, structure=structure)
    return doc_id


def _count(conn: Conn, sql: str, params: dict[str, object]) -> int:
    row = conn.execute(sql, params).fetchone()
    return 0 if row is None else int(row[0])


def _left_of(container: Container, user: TestUser) -> dict[str, int]:
    """What of the user is still stored: rows per table, log lines, sign-in attempts, blobs."""
    mine: dict[str, object] = {"u": user.user_id}
    with container.db.connection() as conn:
        tables = [str(row[0]) for row in conn.execute(_USER_TABLES).fetchall()]
        left = {table: _count(conn, f"SELECT count(*) FROM {table} WHERE user_id = %(u)s", mine) for table in tables}
        left["logs"] = _count(conn, "SELECT count(*) FROM logs WHERE context->>'user_id' = %(u)s::text", mine)
        left["login_attempts"] = _count(
            conn, "SELECT count(*) FROM login_attempts WHERE email = %(e)s", {"e": user.email}
        )
        held = {str(row[0]) for row in conn.execute("SELECT path FROM held_uploads").fetchall()}
    for name in CONTAINERS:
        blobs = container.blobs.list(container=name, prefix=f"{user.user_id}/")
        # an empty blob holding an upload path (released by the reconciler) is not the user's data
        left[f"blobs:{name}"] = len([b for b in blobs if not (name == "raw" and b.size == 0 and b.path in held)])
    return {name: count for name, count in left.items() if count}


def test_export_is_a_zip_of_metadata_and_every_document_file(app: App) -> None:
    client, built, _ = app
    user = connected_user(client, built)
    doc_id = _seed(built, user)
    response = as_user(client, user).get("/v1/account/export")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {f"documents/{doc_id}/original/lecture.pdf", f"documents/{doc_id}/structure.json"} <= names
    data = json.loads(archive.read("account.json"))
    assert data["account"][0]["email"] == user.email and "password_hash" not in data["account"][0]
    assert [d["id"] for d in data["documents"]] == [str(doc_id)]
    assert data["flashcards"][0]["cards"] == [{"front": "A*", "back": "best-first"}]
    assert all("token_hash" not in s for s in data["sessions"])
    assert "access_token_ct" not in data["canvas_connection"][0]
    assert archive.read(f"documents/{doc_id}/original/lecture.pdf") == b"%PDF-1.7"


def test_deleting_the_account_leaves_nothing_and_revokes_canvas(app: App) -> None:
    """Probe (F9): before, no route deleted an account (`DELETE /v1/account` answered 404)."""
    client, built, stub = app
    user = connected_user(client, built)
    _seed(built, user)
    assert as_user(client, user).post("/v1/notify/test").status_code == 202
    seeded = _left_of(built, user)
    assert stub.state.access and {"search_entries", "media_assets", "notification_deliveries", "logs"} <= set(seeded)
    wrong = client.request("DELETE", "/v1/account", json={"confirm_email": "someone@else.example"})
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, PermissionDenied.code)
    gone = client.request("DELETE", "/v1/account", json={"confirm_email": user.email.upper()})
    assert gone.status_code == 204
    assert _left_of(built, user) == {}
    assert not stub.state.access and not stub.state.refresh  # the grant is revoked at Canvas
    assert as_user(client, user).get("/v1/auth/session").status_code == 401


def test_upload_urls_of_a_deleted_account_stop_working(app: App) -> None:
    client, built, _ = app
    user = connected_user(client, built)
    created = as_user(client, user).post(
        "/v1/documents", json={"title": "t", "filename": "t.pdf", "kind": "pdf", "size": 8}
    )
    assert created.status_code == 201
    assert client.request("DELETE", "/v1/account", json={"confirm_email": user.email}).status_code == 204
    put = httpx.put(created.json()["upload_url"], content=b"%PDF-1.7", headers=created.json()["upload_headers"])
    assert put.status_code == 412, put.text


def test_a_password_account_confirms_deletion_with_its_password(app: App) -> None:
    client, built, _ = app
    email = f"leaver-{uuid.uuid4().hex[:8]}@example.edu"
    assert client.post("/v1/auth/signup", json={"email": email, "password": STRONG_PASSWORD}).status_code == 201
    assert client.request("DELETE", "/v1/account", json={"confirm_email": email}).status_code == 403
    assert client.request("DELETE", "/v1/account", json={"password": "not the password"}).status_code == 403
    assert client.request("DELETE", "/v1/account", json={"password": STRONG_PASSWORD}).status_code == 204
    kept = list(built.redis.scan_iter(match=f"{built.settings.stream_prefix}auth:known:{email_key(email)}"))
    assert kept == []  # the addresses it signed in from are forgotten too
    assert client.post("/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD}).status_code == 401
