"""The floor of this stack: raw ASGI, psycopg's async pool, the same statements, the same JSON.

`api_bench` serves this beside the gateway (uvicorn, one worker, the same driver, the same run)
so the gateway's throughput can be read as a share of what this machine does with no framework
at all. Per route it runs exactly the statements the gateway runs (the session lookup, then the
route's read, imported from the gateway's own modules so they cannot drift) and answers the same
JSON body: the same fields in the same order, the same SAS-signed URLs, the same highlighting.
What it leaves out is everything that is not the work: routing tables, dependency injection,
validation, middleware, the error model, logging. Answers 401 or 404 without a body.

    PYTHONPATH=. .venv/bin/python -m uvicorn --factory bench.reference_app:create_app --port 8001
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote

from psycopg_pool import AsyncConnectionPool

from shared.auth.sessions_store import _BY_TOKEN, TOUCH_EVERY
from shared.auth.tokens import SESSION_COOKIE, hash_token
from shared.documents.store import _LIST_SQL, DETAIL_SQL
from shared.platform.blob_sas import blob_sas
from shared.platform.paging import encode_cursor as encode_page_cursor
from shared.search.cursor import Cursor, encode_cursor, fingerprint
from shared.search.query import parse_query
from shared.search.store.hits import Filters, _fulltext_statement
from shared.search.text import marked_html
from shared.study.reviews.scheduler import STATE_NAMES
from shared.study.reviews.store import _COUNT, _DUE

Scope = dict[str, Any]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Row = tuple[Any, ...]
N_DOC = 18  # the document columns ahead of the stage (and asset) arrays in DETAIL_SQL and _LIST_SQL


def create_app() -> Callable[..., Awaitable[None]]:
    env = os.environ
    blobs = _Blobs(env["AZURE_STORAGE_CONNECTION_STRING"], ttl_s=int(env.get("SAS_TTL_SECONDS", "900")))
    idle = timedelta(minutes=int(env.get("SESSION_IDLE_MINUTES", "30")))
    pools: list[AsyncConnectionPool[Any]] = []

    async def pool() -> AsyncConnectionPool[Any]:
        if not pools:
            opened: AsyncConnectionPool[Any] = AsyncConnectionPool(
                env["POSTGRES_URL"], min_size=1, max_size=int(env.get("POSTGRES_POOL_MAX", "10")), open=False,
                kwargs={"prepare_threshold": None, "autocommit": True},
            )  # fmt: skip
            await opened.open(wait=True)
            pools.append(opened)
        return pools[0]

    async def app(scope: Scope, receive: Callable[[], Awaitable[dict[str, Any]]], send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        path: str = scope["path"]
        if path == "/health":
            await _answer(send, 200, b'{"ok":true}')
            return
        token = _cookie(scope)
        async with (await pool()).connection() as conn:
            user_id = await _user(conn, token, idle) if token else None
            if user_id is None:
                await _answer(send, 401, b"")
                return
            body = await _route(conn, path, parse_qs(scope["query_string"].decode()), user_id, blobs)
        await _answer(send, 404 if body is None else 200, body or b"")

    return app


async def _route(conn: Any, path: str, query: dict[str, list[str]], user_id: uuid.UUID, blobs: _Blobs) -> bytes | None:
    if path == "/v1/documents":
        return await _list(conn, user_id)
    if path.startswith("/v1/documents/"):
        return await _detail(conn, uuid.UUID(path.rsplit("/", 1)[1]), user_id, blobs)
    if path == "/v1/search":
        return await _search(conn, query["q"][0], user_id)
    if path == "/v1/reviews/due":
        return await _due(conn, user_id)
    return None


async def _user(conn: Any, token: str, idle: timedelta) -> uuid.UUID | None:
    now = datetime.now(UTC)
    params = {"token_hash": hash_token(token), "now": now, "idle_cutoff": now - idle, "touch_before": now - TOUCH_EVERY}
    found = await (await conn.execute(_BY_TOKEN, params)).fetchone()
    return None if found is None else found[0]  # type: ignore[no-any-return]


async def _detail(conn: Any, doc_id: uuid.UUID, user_id: uuid.UUID, blobs: _Blobs) -> bytes | None:
    found = await (await conn.execute(DETAIL_SQL, {"id": doc_id, "user_id": user_id})).fetchone()
    if found is None:
        return None
    doc = _document(found)
    structure = blobs.signed(found[10])
    ids, kinds, urls = (value or [] for value in found[N_DOC + 6 :])
    doc["markdown_url"], doc["structure_url"], doc["json_url"] = blobs.signed(found[9]), structure, structure
    doc["media"] = [
        {"id": str(i), "kind": k, "path": u, "address": blobs.address(u), "url": blobs.signed(u)}
        for i, k, u in zip(ids, kinds, urls, strict=True)
    ]
    return _json(doc)


async def _list(conn: Any, user_id: uuid.UUID) -> bytes:
    params = {"user_id": user_id, "limit": 21, "at": None, "id": None}
    rows = await (await conn.execute(_LIST_SQL.format(after=""), params)).fetchall()
    cursor = _doc_cursor(rows[19]) if len(rows) > 20 else None
    return _json({"items": [_document(row) for row in rows[:20]], "next_cursor": cursor})


async def _search(conn: Any, text: str, user_id: uuid.UUID, limit: int = 10) -> bytes:
    query, filters = parse_query(text), Filters(user_id=user_id)
    sql, params = _fulltext_statement(query, filters, None, limit + 1)
    rows = await (await conn.execute(sql, params)).fetchall()
    hits = [
        {"id": str(r[0]), "document": {"id": str(r[1]), "title": r[2]}, "kind": r[3], "heading": marked_html(r[4]),
         "snippet": marked_html(r[5] or ""), "citation": {"section": r[6], "page": r[7], "unit": r[8]},
         "score": r[9], "match": "fulltext"}
        for r in rows[:limit]
    ]  # fmt: skip
    cursor = None
    if len(rows) > limit:
        bound = fingerprint(query.text, None, None, (), limit)
        cursor = encode_cursor(Cursor(mode="fulltext", score=rows[limit - 1][9], after_id=rows[limit - 1][0]),
                               fingerprint=bound)  # fmt: skip
    return _json({"hits": hits, "next_cursor": cursor, "match": "fulltext"})


async def _due(conn: Any, user_id: uuid.UUID, limit: int = 50) -> bytes:
    params = {"user_id": user_id, "now": datetime.now(UTC), "limit": limit}
    rows = await (await conn.execute(_DUE.format(filters=""), params)).fetchall()
    total = len(rows)
    if total >= limit:
        total = (await (await conn.execute(_COUNT.format(join="", filters=""), params)).fetchone())[0]
    cards = [
        {"card_id": r[0], "front": r[3], "back": r[4], "tags": r[7], "state": STATE_NAMES[r[8]], "due": _time(r[9]),
         "reps": r[10], "lapses": r[11],
         "source": {"document_id": str(r[1]), "document_title": r[2], "section": r[5], "page": r[6]}}
        for r in rows
    ]  # fmt: skip
    return _json({"cards": cards, "total_due": total})


_DOC_FIELDS = ("title", "filename", "kind", "size_bytes", "source")


def _document(row: Row) -> dict[str, Any]:
    """A DocumentOut body from a row of DETAIL_SQL or _LIST_SQL (columns as in shared/documents/store.py)."""
    names, statuses, attempts, codes, messages, at = (value or [] for value in row[N_DOC : N_DOC + 6])
    stages = [
        {"stage": s, "status": st, "attempts": a, "error_code": c, "error_message": m, "updated_at": _time(t)}
        for s, st, a, c, m, t in zip(names, statuses, attempts, codes, messages, at, strict=True)
    ]
    return {
        "id": str(row[0]), "title": row[3], "filename": row[4], "kind": row[5], "size_bytes": row[6],
        "source": row[7], "course_id": str(row[2]) if row[2] else None, "page_count": row[11],
        "created_at": _time(row[16]), "updated_at": _time(row[17]), "stages": stages,
    }  # fmt: skip


def _doc_cursor(row: Row) -> str:
    return encode_page_cursor(row[16].isoformat(), str(row[0]))


def _time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _cookie(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"cookie":
            morsel = SimpleCookie(value.decode("latin-1")).get(SESSION_COOKIE)
            return morsel.value if morsel else None
    return None


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store")]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _Blobs:
    """Account-key SAS exactly as the gateway signs under Azurite (the same signer, shared/platform/blob_sas.py)."""

    def __init__(self, connection_string: str, *, ttl_s: int) -> None:
        parts = dict(p.split("=", 1) for p in connection_string.split(";") if "=" in p)
        self._account, self._key, self._ttl_s = parts["AccountName"], base64.b64decode(parts["AccountKey"]), ttl_s
        self._base = parts.get("BlobEndpoint", f"https://{self._account}.blob.core.windows.net").rstrip("/")

    def address(self, full_path: str) -> str:
        container, path = full_path.split("/", 1)
        return f"{self._base}/{quote(container)}/{quote(path, safe='~/')}"

    def signed(self, full_path: str | None) -> str | None:
        if not full_path or "/" not in full_path:
            return None
        container, path = full_path.split("/", 1)
        now = datetime.now(UTC)
        token = blob_sas(
            account=self._account, container=container, path=path, permission="r", start=now - timedelta(minutes=5),
            expiry=now + timedelta(seconds=self._ttl_s), account_key=self._key,
        )  # fmt: skip
        return f"{self.address(full_path)}?{token}"
