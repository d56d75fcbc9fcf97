"""The gateway's read paths stay on the event loop and ask Postgres a bounded number of times.

- Document detail, the document list, search and reviews due never hand work to a worker thread
  (anyio's `to_thread.run_sync` is what Starlette's `run_in_threadpool` and FastAPI's sync
  dependencies and routes go through), while a sync route still does, and still works.
- A page of the list and a detail read are one statement each, whatever the page size.
- A read checks out one pooled connection: the session lookup's, which the route reads with; a
  request without a credential checks out none.
- The async pool is per running loop, opened on first use; pools of loops that are gone are
  discarded, and `Container.close` closes the rest.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import anyio.to_thread
import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import AsyncConnection, AsyncCursor
from psycopg.rows import TupleRow

from shared.container import Container
from shared.documents.store import get_document_full_async, list_documents_async
from shared.gateway import create_app
from shared.search.indexing import index_document_sections
from tests.conftest import FROM_APP
from tests.support.ai_docs import lecture, seed_document
from tests.support.users import TestUser, make_user

READS = ["/v1/documents/{doc_id}", "/v1/documents", "/v1/search?q=admissible+heuristic", "/v1/reviews/due"]


@pytest.fixture(scope="module")
def reader(container: Container) -> tuple[TestUser, uuid.UUID]:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=4))
    with container.db.connection() as conn:
        index_document_sections(conn, doc_id=doc_id, user_id=user.user_id, structure=lecture(pages=4))
    return user, doc_id


@pytest.fixture
def thread_hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every call into anyio's worker threads while the test runs, by the function handed over."""
    hops: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(func, "__qualname__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    yield hops


def test_read_routes_never_use_the_threadpool(
    container: Container, reader: tuple[TestUser, uuid.UUID], thread_hops: list[str]
) -> None:
    user, doc_id = reader
    paths = [path.format(doc_id=doc_id) for path in READS]
    with TestClient(create_app(container), cookies=user.cookies, headers=FROM_APP) as client:
        for path in paths:  # warm: the loop's pool opens, first-use caches fill
            assert client.get(path).status_code == 200, path
        thread_hops.clear()
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.headers["cache-control"] == "no-store"
        assert thread_hops == []
        assert client.get("/v1/auth/session").status_code == 200  # a sync route: still works, via a thread
        assert thread_hops


def test_reads_answer_the_error_model_for_strangers_and_others(
    container: Container, reader: tuple[TestUser, uuid.UUID]
) -> None:
    _, doc_id = reader
    stranger = make_user(container)
    with TestClient(create_app(container), headers=FROM_APP) as client:
        assert client.get("/v1/documents").json()["error"]["code"] == "UNAUTHENTICATED"
        client.cookies.update(stranger.cookies)
        missing = client.get(f"/v1/documents/{doc_id}")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
        assert client.get("/v1/documents").json() == {"items": [], "next_cursor": None}


def _checkouts(pool: Any) -> int:
    requested: int = pool.get_stats().get("requests_num", 0)
    return requested


def test_a_read_checks_out_one_pooled_connection(container: Container, reader: tuple[TestUser, uuid.UUID]) -> None:
    user, doc_id = reader
    paths = [path.format(doc_id=doc_id) for path in READS]
    with TestClient(create_app(container), headers=FROM_APP) as client:
        assert client.portal is not None
        pool = client.portal.call(container.async_db)  # the pool of the loop the app runs on
        for path in paths:  # no credential: refused before any checkout
            before = _checkouts(pool)
            assert client.get(path).status_code == 401, path
            assert _checkouts(pool) == before, path
        client.cookies.update(user.cookies)
        for path in paths:
            before = _checkouts(pool)
            assert client.get(path).status_code == 200, path
            assert _checkouts(pool) - before == 1, path
        before = _checkouts(pool)
        assert client.get(f"/v1/documents/{uuid.uuid4()}").status_code == 404
        assert _checkouts(pool) - before == 1
        assert pool.get_stats()["pool_available"] == pool.get_stats()["pool_size"]  # every one given back


def test_a_connection_the_route_never_used_goes_back_when_the_request_ends(
    container: Container, reader: tuple[TestUser, uuid.UUID]
) -> None:
    """The caller is looked up (a connection lent) before the parameters are checked, as FastAPI
    orders it; a request refused for its parameters still gives the connection back."""
    user, _ = reader
    with TestClient(create_app(container), headers=FROM_APP, cookies=user.cookies) as client:
        assert client.portal is not None
        pool = client.portal.call(container.async_db)
        size = pool.get_stats()["pool_size"]
        bad = ["/v1/documents?limit=0", "/v1/search?q=a&limit=0", "/v1/reviews/due?limit=999", "/v1/search"]
        for n in range(3 * (pool.max_size or 10)):  # more refusals than the pool has connections
            path = bad[n % len(bad)]
            before = _checkouts(pool)
            assert client.get(path).status_code == 400, path
            assert _checkouts(pool) - before == 1, path
        assert pool.get_stats()["pool_available"] == size
        assert client.get("/v1/documents").status_code == 200


class CountingCursor(AsyncCursor[TupleRow]):
    statements = 0

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        CountingCursor.statements += 1
        return await super().execute(*args, **kwargs)


async def _statements_for_list(url: str, user_id: uuid.UUID, limit: int) -> tuple[int, int]:
    async with await AsyncConnection.connect(url, autocommit=True, cursor_factory=CountingCursor) as conn:
        CountingCursor.statements = 0
        page = await list_documents_async(conn, user_id=user_id, limit=limit, before=None)
        return CountingCursor.statements, len(page)


@pytest.mark.parametrize("documents", [1, 25])
def test_a_list_page_is_one_statement_whatever_its_size(
    container: Container, database_url: str, documents: int
) -> None:
    user = make_user(container)
    for _ in range(documents):
        seed_document(container, user_id=user.user_id, structure=lecture(pages=1))
    statements, shown = asyncio.run(_statements_for_list(database_url, user.user_id, limit=documents + 1))
    assert (statements, shown) == (1, documents)


def test_a_detail_is_one_statement_with_stages_and_assets(container: Container, database_url: str) -> None:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=1))
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO media_assets (id, document_id, user_id, kind, blob_url) VALUES (%s, %s, %s, 'image', %s)",
            (uuid.uuid4(), doc_id, user.user_id, f"media/{user.user_id}/{doc_id}/a.png"),
        )

    async def read() -> tuple[int, Any]:
        async with await AsyncConnection.connect(database_url, autocommit=True, cursor_factory=CountingCursor) as conn:
            CountingCursor.statements = 0
            full = await get_document_full_async(conn, doc_id=doc_id, user_id=user.user_id)
            return CountingCursor.statements, full

    statements, full = asyncio.run(read())
    assert statements == 1 and full is not None
    assert [s.stage for s in full.stages] == ["ingest"] and [a.kind for a in full.assets] == ["image"]


def _gone(url: str, backend_pid: int) -> bool:
    """Whether the server has let the connection of `backend_pid` go (it notices a closed socket at once)."""
    with psycopg.connect(url, autocommit=True) as admin:
        for _ in range(50):
            found = admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (backend_pid,)).fetchone()
            if found is None:
                return True
            time.sleep(0.05)
    return False


def test_the_async_pool_is_per_loop_opened_lazily_and_closed(container: Container, database_url: str) -> None:
    fresh = Container(container.settings)
    assert not fresh._async_pools  # nothing connects until a read needs it

    async def pool_and_backend() -> tuple[Any, int]:
        pool = await fresh.async_db()
        assert await fresh.async_db() is pool
        async with pool.connection() as conn:
            return pool, conn.info.backend_pid

    first, first_backend = asyncio.run(pool_and_backend())
    second, _ = asyncio.run(pool_and_backend())  # another loop: another pool; the dead loop's is discarded
    assert second is not first
    assert list(fresh._async_pools.values()) == [second]
    assert _gone(database_url, first_backend)
    fresh.close()
    assert not fresh._async_pools


def test_the_gateways_lifespan_closes_the_pool_of_its_loop(
    container: Container, database_url: str, reader: tuple[TestUser, uuid.UUID]
) -> None:
    """Left open, the pool's worker tasks die with the loop ("Task was destroyed but it is pending")."""
    user, doc_id = reader
    fresh = Container(container.settings)
    with TestClient(create_app(fresh), cookies=user.cookies, headers=FROM_APP) as client:
        assert client.get(f"/v1/documents/{doc_id}").status_code == 200
        [pool] = fresh._async_pools.values()
        backends = [conn.info.backend_pid for conn in pool._pool]
        assert backends
    assert pool.closed
    assert all(_gone(database_url, pid) for pid in backends)
    fresh.close()
