"""What the Functions door, our middleware and the framework cost per request, in process (no
sockets, no uvicorn, no load driver sharing the cores).

The same gateway is called three ways on one event loop (as the Functions worker has one):
- directly as an ASGI app, with the scope uvicorn would build;
- through `azure.functions.AsgiFunctionApp`, with `func.HttpRequest` objects, exactly as the
  host's worker calls the registered `http_app_func` (the adapter builds the scope, collects the
  body and makes a `func.HttpResponse`);
- directly, on a copy of the gateway without our middleware (security headers, CORS, body limit,
  CSRF; the request context stays, since the reads give their connection back through it), so
  their own cost shows;
and beside them the reference (`bench/reference_app.py`: raw ASGI, the same statements and JSON),
so each read's CPU can be read as a share of the floor without the noise of a load test: the
ratio "reference ÷ ours" is the requests/s per CPU-second ours achieves against it.

Each is timed in interleaved blocks (CPU time of this process; Postgres is another process);
the adapter's cost is the difference between the first two, the middleware's between the first
and the third. Against real Postgres, Redis and Azurite, one seeded user (20 documents, five of
them indexed for search, 100 cards due).

    .venv/bin/python -m bench.functions_bench [--requests 600] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import azure.functions as func

from bench.api_bench import SEARCH_QUERY
from bench.api_bench import _seed as seed_users
from bench.harness import RESULTS, migrated_database, services
from shared.auth.tokens import SESSION_COOKIE
from shared.platform.middleware import RequestContextMiddleware

Call = Callable[[str], Awaitable[int]]
BLOCKS = 6
REFERENCE = "reference (raw ASGI)"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="requests per route and door")
    parser.add_argument("--record", action="store_true", help="append the section to bench/RESULTS.md")
    args = parser.parse_args()
    with services() as stack, migrated_database(stack) as url:
        token, doc_id = _seed(url)
        os.environ.update({**stack.environ(), "POSTGRES_URL": url, "APP_ENV": "local", "LOG_LEVEL": "WARNING"})
        os.environ["STREAM_PREFIX"] = f"fnbench{uuid.uuid4().hex[:6]}:"
        report = _report(asyncio.run(_measure(args.requests, token, doc_id)))
    print(report)
    if args.record:
        with RESULTS.open("a") as out:
            out.write(report + "\n")


def _seed(url: str) -> tuple[str, uuid.UUID]:
    """One user of the gateway bench: a live session, 20 documents with stages and image assets, cards due."""
    user = seed_users(url, users=1, documents=20)[0]
    return user.token, user.doc_ids[0]


async def _measure(requests: int, token: str, doc_id: uuid.UUID) -> dict[str, dict[str, float]]:
    from bench.reference_app import create_app as reference_app
    from shared.container import Container
    from shared.gateway import create_app
    from shared.settings import load_settings

    container = Container(load_settings())
    gateway, bare = create_app(container), create_app(container)
    # The stack is built on the first call: this copy runs without ours but the request context.
    bare.user_middleware = [m for m in bare.user_middleware if m.cls is RequestContextMiddleware]
    adapter = func.AsgiFunctionApp(app=create_app(container), http_auth_level=func.AuthLevel.ANONYMOUS)
    http_app_func = next(f for f in adapter.get_functions() if f.get_function_name() == "http_app_func")
    user_function = http_app_func.get_user_function()
    cookie = f"{SESSION_COOKIE}={token}"
    doors: dict[str, Call] = {
        "ASGI, direct": _direct(gateway, cookie),
        "AsgiFunctionApp + func.HttpRequest": _functions(user_function, cookie),
        "ASGI, direct, without our middleware": _direct(bare, cookie),
        REFERENCE: _direct(reference_app(), cookie),
    }
    routes = {"GET /health": "/health", "GET /v1/documents/{id}": f"/v1/documents/{doc_id}",
              "GET /v1/documents (20 items)": "/v1/documents",
              "GET /v1/search (10 hits)": f"/v1/search?q={SEARCH_QUERY}",
              "GET /v1/reviews/due (50 cards)": "/v1/reviews/due"}  # fmt: skip
    results: dict[str, dict[str, float]] = {}
    try:
        for label, path in routes.items():
            for call in doors.values():
                for _ in range(30):  # warm: pools open, first-use caches filled
                    assert await call(path) == 200
            per_door: dict[str, list[float]] = {door: [] for door in doors}
            for _ in range(BLOCKS):
                for door, call in doors.items():
                    per_door[door].append(await _block(call, path, requests // BLOCKS))
            results[label] = {door: statistics.median(us) for door, us in per_door.items()}
    finally:
        if adapter.startup_task_done:  # the lifespan ends on this loop, not in __del__'s asyncio.run()
            await adapter.middleware.notify_shutdown()
            adapter.startup_task_done = False
        container.close()
    return results


async def _block(call: Call, path: str, n: int) -> float:
    started = time.process_time()
    for _ in range(n):
        await call(path)
    return (time.process_time() - started) * 1e6 / n


def _direct(app: Any, cookie: str) -> Call:
    async def call(path: str) -> int:
        status = [0]

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]

        await app(_scope(path, cookie), receive, send)
        return status[0]

    return call


def _scope(path: str, cookie: str) -> dict[str, Any]:
    """What uvicorn hands the app for a GET on a keep-alive connection."""
    path, _, query = path.partition("?")
    return {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
        "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000), "scheme": "http", "method": "GET",
        "root_path": "", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"cookie", cookie.encode())], "state": {},
    }  # fmt: skip


def _functions(user_function: Callable[..., Awaitable[func.HttpResponse]], cookie: str) -> Call:
    """The worker's call; the `HttpRequest` is built once per path (the host's work, not the adapter's)."""
    made: dict[str, func.HttpRequest] = {}

    async def call(path: str) -> int:
        request = made.get(path)
        if request is None:
            request = func.HttpRequest("GET", f"http://127.0.0.1:7071{path}", headers={"cookie": cookie}, body=b"")
            made[path] = request
        response = await user_function(request, None)
        return response.status_code

    return call


def _report(results: dict[str, dict[str, float]]) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"\n## Functions door and middleware, in process ({stamp})\n",
        "Command: `.venv/bin/python -m bench.functions_bench " + " ".join(sys.argv[1:]) + "`. "
        f"In process, CPython {platform.python_version()}, one event loop; CPU µs per request of the calling "
        f"process (median of {BLOCKS} interleaved blocks). Load average: "
        + " ".join(f"{v:.1f}" for v in os.getloadavg())
        + "\n",
        "| route | ASGI, direct | AsgiFunctionApp + func.HttpRequest | adapter's own cost"
        " | without our middleware | our middleware's cost | reference | reference ÷ ours |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, doors in results.items():
        direct = doors["ASGI, direct"]
        adapter = doors["AsgiFunctionApp + func.HttpRequest"]
        bare = doors["ASGI, direct, without our middleware"]
        floor = doors[REFERENCE]
        lines.append(
            f"| {label} | {direct:.0f} | {adapter:.0f} | {adapter - direct:+.0f} | {bare:.0f} | {direct - bare:+.0f}"
            f" | {floor:.0f} | {floor / direct:.2f}x |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
