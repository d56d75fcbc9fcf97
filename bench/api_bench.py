"""Gateway read benchmark: P50/P95/P99 and req/s of API reads at 50 concurrent clients.

Serves the real gateway with uvicorn (one worker, its own process) against real Postgres,
Redis and Azurite, seeds users with live sessions and documents (stages, image assets, derived
paths, so detail reads sign URLs), and drives closed-loop clients (asyncio + httpx, or bare
streams with `--driver raw`; one connection and one user each) on `GET /health` (the framework
floor) and authenticated reads (document detail, the 20-item list, search, reviews due). Side
by side in one run, per route: one client (no queueing), 50 clients pausing between requests like
users (`--think-ms`), and 50 clients flat out (the server saturated: latency = clients / throughput).

In the same run, the same driver also drives `bench/reference_app.py` (raw ASGI and psycopg's
async pool doing the same statements and answering the same JSON, served the same way): the
floor of this stack on this machine. The report gives the gateway's req/s as a ratio to it.

    .venv/bin/python -m bench.api_bench [--clients 50] [--requests 4000] [--think-ms 1000 250]
        [--driver httpx|raw] [--record]
    .venv/bin/python -m bench.api_bench --driver raw --profile stacks.txt   # py-spy, detail read
    PYTHONPATH=dir .venv/bin/python -m bench.api_bench --app module:factory  # measure a variant
    .venv/bin/python -m bench.api_bench --baseline DIR  # an earlier commit's worktree, side by side
    .venv/bin/python -m bench.api_bench --no-reference  # without the reference app
    .venv/bin/python -m bench.api_bench --pool-max 20  # every server with a 20-connection pool
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.harness import (
    RESULTS,
    Client,
    HttpxClient,
    RawClient,
    Run,
    baseline_ratios,
    drive,
    migrated_database,
    py_spy,
    services,
    uvicorn_server,
)
from shared.auth.tokens import SESSION_COOKIE, hash_token
from shared.search.indexing import index_document_sections
from tests.support.ai_docs import lecture
from tests.support.services import free_port

TARGET_P95_MS = 20.0
TARGET_REFERENCE_RATIO = 0.6
REFERENCE_APP = "bench.reference_app:create_app"
INDEXED_DOCUMENTS = 5  # per user, 6 sections each: what the search route searches
DUE_CARDS, LATER_CARDS = 100, 50  # per user: a full 50-card page of due cards plus the count
SEARCH_QUERY = "admissible%20heuristic"


@dataclass(frozen=True)
class User:
    token: str
    doc_ids: list[uuid.UUID]


def main() -> None:
    args = _arguments()
    with services() as stack, migrated_database(stack) as url:
        users = _seed(url, users=args.clients, documents=args.documents)
        env = {**stack.environ(), "POSTGRES_URL": url, "LOG_LEVEL": "WARNING"}
        if args.pool_max is not None:  # every server's pool (gateway, baseline, reference) at this size
            env["POSTGRES_POOL_MAX"] = str(args.pool_max)
        env["STREAM_PREFIX"] = f"apibench{uuid.uuid4().hex[:6]}:"
        baseline = (
            uvicorn_server(env, port=args.baseline_port, checkout=args.baseline) if args.baseline else nullcontext()
        )
        reference = _reference_server(env, args.reference_port) if args.reference else nullcontext()
        with uvicorn_server(env, port=args.port, app=args.app) as server, baseline as base, reference as ref:
            if args.profile:
                asyncio.run(_profile(args, users, server.pid))
                return
            servers = [Server("", args.port, server.pid)]
            if base is not None:
                servers.append(Server(BASELINE, args.baseline_port, base.pid))
            if ref is not None:
                servers.append(Server(REFERENCE, args.reference_port, ref.pid))
            if ref is not None:
                args.same_bodies = _same_bodies(users[0], args.port, args.reference_port)
            runs = asyncio.run(_measure(args, users, servers))
    report = _report(args, runs)
    print(report)
    if args.record:
        with RESULTS.open("a") as out:
            out.write(report)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients, one user each")
    parser.add_argument("--documents", type=int, default=20, help="documents per user")
    parser.add_argument("--requests", type=int, default=4000, help="requests per measured run")
    parser.add_argument("--max-seconds", type=float, default=15.0, help="cap per measured run")
    parser.add_argument(
        "--think-ms", type=float, nargs="*", default=[1000.0, 250.0], help="pause per client in the paced runs"
    )
    parser.add_argument("--port", type=int, default=0, help="0 = a free port")
    parser.add_argument("--driver", choices=["httpx", "raw"], default="httpx", help="the clients' HTTP code")
    parser.add_argument("--app", default="shared.gateway:process_app", help="the app factory to serve (a variant)")
    parser.add_argument("--routes", nargs="*", help="only these routes (names as in the table)")
    parser.add_argument("--record", action="store_true", help="append the section to bench/RESULTS.md")
    parser.add_argument("--profile", type=Path, help="py-spy stacks of one read flat out (first of --routes)")
    parser.add_argument("--baseline", type=Path, help="a checkout of earlier code to serve and measure alongside")
    parser.add_argument("--pool-max", type=int, help="POSTGRES_POOL_MAX of every server (default: the setting's)")
    parser.add_argument("--no-reference", dest="reference", action="store_false", help="skip the reference app")
    args = parser.parse_args()
    args.port = args.port or free_port()
    args.baseline_port = free_port()
    args.reference_port = free_port()
    return args


def _same_bodies(user: User, ours: int, reference: int) -> str:
    """Whether the reference answers each route with the gateway's JSON (signed URLs without their SAS query,
    which holds the signing time)."""
    paths = [f"/v1/documents/{user.doc_ids[0]}", "/v1/documents", f"/v1/search?q={SEARCH_QUERY}", "/v1/reviews/due"]
    cookies = {SESSION_COOKIE: user.token}
    differ = []
    for path in paths:
        bodies = [httpx.get(f"http://127.0.0.1:{port}{path}", cookies=cookies).json() for port in (ours, reference)]
        if _unsigned(bodies[0]) != _unsigned(bodies[1]):
            differ.append(path)
    return "the same JSON as the gateway's on every route" if not differ else "DIFFERENT JSON on " + ", ".join(differ)


def _unsigned(body: Any) -> Any:
    if isinstance(body, dict):
        return {key: _unsigned(value) for key, value in body.items()}
    if isinstance(body, list):
        return [_unsigned(value) for value in body]
    if isinstance(body, str) and body.startswith("http") and "?" in body:
        return body.split("?", 1)[0]
    return body


@contextmanager
def _reference_server(env: dict[str, str], port: int) -> Iterator[Any]:
    """`bench/reference_app.py` under uvicorn exactly as the gateway is served (this checkout on the path)."""
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]), previous]))
    try:
        with uvicorn_server(env, port=port, app=REFERENCE_APP) as server:
            yield server
    finally:
        if previous is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = previous


def _seed(url: str, *, users: int, documents: int) -> list[User]:
    seeded = []
    with psycopg.connect(url) as conn:
        for n in range(users):
            seeded.append(_seed_user(conn, n, documents))
        conn.execute("ANALYZE")
    return seeded


def _seed_user(conn: psycopg.Connection[tuple[Any, ...]], n: int, documents: int) -> User:
    user_id, token = uuid.uuid4(), secrets.token_urlsafe(32)
    conn.execute("INSERT INTO users (id, email) VALUES (%s, %s)", (user_id, f"api-bench-{n}-{user_id.hex[:6]}@x.edu"))
    expires = datetime.now(UTC) + timedelta(hours=2)
    conn.execute(
        "INSERT INTO sessions (id, user_id, token_hash, expires_at) VALUES (%s, %s, %s, %s)",
        (uuid.uuid4(), user_id, hash_token(token), expires),
    )
    doc_ids = [_seed_document(conn, user_id, d) for d in range(documents)]
    for doc_id in doc_ids[:INDEXED_DOCUMENTS]:
        structure = lecture(pages=6, title=f"Lecture {doc_id.hex[:6]}")
        index_document_sections(conn, doc_id=doc_id, user_id=user_id, structure=structure)
    _seed_cards(conn, user_id, doc_ids)
    return User(token=token, doc_ids=doc_ids)


def _seed_cards(conn: psycopg.Connection[tuple[Any, ...]], user_id: uuid.UUID, doc_ids: list[uuid.UUID]) -> None:
    now = datetime.now(UTC)
    sql = "COPY review_cards (user_id, document_id, card_id, front, back, section, page, state, due) FROM STDIN"
    with conn.cursor().copy(sql) as copy:
        for i in range(DUE_CARDS + LATER_CARDS):
            due = now + (timedelta(days=-1, minutes=i) if i < DUE_CARDS else timedelta(days=7))
            copy.write_row((user_id, doc_ids[i % len(doc_ids)], f"c{i:05d}", f"Question {i}?", f"Answer {i}.",
                            "Intro", 1 + i % 30, 2, due))  # fmt: skip


def _seed_document(conn: psycopg.Connection[tuple[Any, ...]], user_id: uuid.UUID, d: int) -> uuid.UUID:
    doc_id = uuid.uuid4()
    base = f"{user_id}/{doc_id}"
    conn.execute(
        "INSERT INTO documents (id, user_id, title, filename, kind, size_bytes, raw_blob_path, markdown_path,"
        " structure_path, page_count) VALUES (%s, %s, %s, %s, 'pdf', 123456, %s, %s, %s, 12)",
        (doc_id, user_id, f"Lecture {d}", f"lecture-{d}.pdf", f"{base}/lecture-{d}.pdf",
         f"derived/{base}/document.md", f"derived/{base}/structure.json"),
    )  # fmt: skip
    for stage in ("ingest", "ai", "media"):
        conn.execute(
            "INSERT INTO document_stages (document_id, stage, status, attempts) VALUES (%s, %s, 'done', 1)",
            (doc_id, stage),
        )
    for _ in range(2):
        asset = uuid.uuid4()
        conn.execute(
            "INSERT INTO media_assets (id, document_id, user_id, kind, blob_url) VALUES (%s, %s, %s, 'image', %s)",
            (asset, doc_id, user_id, f"media/{base}/{asset}.png"),
        )
    return doc_id


@dataclass(frozen=True)
class Server:
    suffix: str  # "" for this code, " (baseline)" for the earlier one
    port: int
    pid: int


@dataclass(frozen=True)
class Caller:
    http: Client
    user: User


Request = Callable[[Caller, int], Awaitable[int]]


async def _health(caller: Caller, _n: int) -> int:
    return await caller.http.get("/health")


async def _document_detail(caller: Caller, n: int) -> int:
    doc_ids = caller.user.doc_ids
    return await caller.http.get(f"/v1/documents/{doc_ids[n % len(doc_ids)]}")


async def _document_list(caller: Caller, _n: int) -> int:
    return await caller.http.get("/v1/documents")


async def _search(caller: Caller, _n: int) -> int:
    return await caller.http.get(f"/v1/search?q={SEARCH_QUERY}")


async def _reviews_due(caller: Caller, _n: int) -> int:
    return await caller.http.get("/v1/reviews/due")


ROUTES: list[tuple[str, Request]] = [
    ("GET /health", _health),
    ("GET /v1/documents/{id}", _document_detail),
    ("GET /v1/documents (20 items)", _document_list),
    ("GET /v1/search (10 hits)", _search),
    ("GET /v1/reviews/due (50 cards)", _reviews_due),
]


@dataclass(frozen=True)
class Mode:
    label: str
    clients: int  # 0 = all
    think_ms: float
    max_s: float


def _modes(args: argparse.Namespace) -> list[Mode]:
    """Side by side: no queueing (1 client), paced loads, then the server flat out."""
    modes = [Mode("1 client", 1, 0.0, args.max_seconds / 2)]
    modes += [Mode(f"{args.clients} clients, {t:.0f} ms think", 0, t, args.max_seconds) for t in args.think_ms]
    return [*modes, Mode(f"{args.clients} clients flat out", 0, 0.0, args.max_seconds)]


async def _measure(args: argparse.Namespace, users: list[User], servers: list[Server]) -> list[Run]:
    callers = {server: [_caller(args, user, server.port) for user in users] for server in servers}
    runs: list[Run] = []
    try:
        for label, request in ROUTES:
            if args.routes and label not in args.routes:
                continue
            for server in servers:
                await drive(callers[server], request, name="warm-up", total=len(users) * 4, max_s=10)
            for mode in _modes(args):
                for server in servers:  # alternating, so drift in the machine hits both
                    chosen = callers[server][: mode.clients] if mode.clients else callers[server]
                    run = await drive(
                        chosen, request, name=f"{label} | {mode.label}{server.suffix}", total=args.requests,
                        max_s=mode.max_s, think_s=mode.think_ms / 1000, server_pid=server.pid,
                    )  # fmt: skip
                    runs.append(run)
    finally:
        for server_callers in callers.values():
            for caller in server_callers:
                await caller.http.close()
    return runs


async def _profile(args: argparse.Namespace, users: list[User], server_pid: int) -> None:
    """py-spy on the server while the first of `--routes` (default: the detail read) runs flat out."""
    callers = [_caller(args, user, args.port) for user in users]
    request = dict(ROUTES)[args.routes[0]] if args.routes else _document_detail
    try:
        await drive(callers, request, name="warm-up", total=len(callers) * 4, max_s=10)
        with py_spy(server_pid, args.profile):
            await drive(callers, request, name="profile", total=args.requests, max_s=args.max_seconds)
    finally:
        for caller in callers:
            await caller.http.close()


def _caller(args: argparse.Namespace, user: User, port: int) -> Caller:
    cookies = {SESSION_COOKIE: user.token}
    if args.driver == "raw":
        return Caller(RawClient("127.0.0.1", port, cookies=cookies), user)
    return Caller(HttpxClient(f"http://127.0.0.1:{port}", cookies=cookies), user)


def _report(args: argparse.Namespace, runs: list[Run]) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = ".venv/bin/python -m bench.api_bench " + " ".join(sys.argv[1:])
    floor = {_mode_of(run): run for run in runs if run.name.startswith("GET /health")}
    rows = [_row(run, floor.get(_mode_of(run))) for run in runs]
    verdicts = [_verdict(run) for run in runs if not run.name.startswith("GET /health") and _ours(run)]
    return "\n".join(
        [
            f"\n## Gateway reads at {args.clients} concurrent clients ({stamp})\n",
            f"Command: `{command.strip()}` (from `make bench`). Machine: {os.cpu_count()} cores, "
            f"{platform.python_implementation()} {platform.python_version()}; uvicorn, 1 worker, own process; "
            "Postgres, Redis and Azurite on loopback; the load driver (" + args.driver + ") runs on the same cores. "
            f"{args.clients} users with a live session and {args.documents} documents each (3 stages, 2 image "
            "assets); closed-loop clients, one connection and one user each, up to "
            f"{args.requests} requests or {args.max_seconds:.0f} s per run. Load average at the end: {_load()}.\n",
            "| route | load | n | P50 ms | P95 ms | P99 ms | max ms | req/s | server CPU ms/req"
            " | driver CPU ms/req | machine busy | P95 / floor | req/s / floor | errors |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Floor = `GET /health` at the same load. Target P95 < {TARGET_P95_MS:.0f} ms for authenticated reads:",
            *verdicts,
            "",
            *_reference_ratios(args, runs),
            *_ratios(args, runs),
        ]
    )


BASELINE = " (baseline)"
REFERENCE = " (reference)"


def _ours(run: Run) -> bool:
    return not run.name.endswith((BASELINE, REFERENCE))


def _ratios(args: argparse.Namespace, runs: list[Run]) -> list[str]:
    base = {run.name.removesuffix(BASELINE): run for run in runs if run.name.endswith(BASELINE)}
    pairs = [(run.name.replace(" | ", ", "), run, base[run.name]) for run in runs if _ours(run) and run.name in base]
    return baseline_ratios(args.baseline, pairs)


def _reference_ratios(args: argparse.Namespace, runs: list[Run]) -> list[str]:
    """Per route and load: this gateway (and the baseline) as a share of the reference app's req/s."""
    ref = {run.name.removesuffix(REFERENCE): run for run in runs if run.name.endswith(REFERENCE)}
    if not ref:
        return []
    base = {run.name.removesuffix(BASELINE): run for run in runs if run.name.endswith(BASELINE)}
    lines = [
        f"Against the reference app (`{REFERENCE_APP}`: raw ASGI, the same statements and JSON), same run; "
        f"target ≥ {TARGET_REFERENCE_RATIO}x its req/s for the authenticated reads. Its answers: "
        f"{getattr(args, 'same_bodies', '-')}.\n",
        "| route | load | req/s (ref) | ours ÷ ref | baseline ÷ ref | P95 ms ours / ref | CPU ms/req ours / ref |"
        " verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        other = ref.get(run.name)
        if not _ours(run) or other is None or run.name.startswith("GET /health"):
            continue
        earlier = base.get(run.name)
        ratio = run.rate / other.rate
        cells = [
            *run.name.split(" | ", 1), f"{other.rate:.0f}", f"{ratio:.2f}x",
            f"{earlier.rate / other.rate:.2f}x" if earlier else "-", f"{run.p(95):.1f} / {other.p(95):.1f}",
            f"{_cpu(run):.2f} / {_cpu(other):.2f}", "meets" if ratio >= TARGET_REFERENCE_RATIO else "misses",
        ]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _cpu(run: Run) -> float:
    return run.server_cpu_s * 1000 / (len(run.ms) or 1)


def _mode_of(run: Run) -> str:
    return run.name.split(" | ", 1)[1]


def _row(run: Run, floor: Run | None) -> str:
    n = len(run.ms) or 1
    cells = [
        *run.name.split(" | ", 1), str(len(run.ms)), f"{run.p(50):.1f}", f"{run.p(95):.1f}", f"{run.p(99):.1f}",
        f"{max(run.ms, default=0):.1f}", f"{run.rate:.0f}", f"{run.server_cpu_s * 1000 / n:.2f}",
        f"{run.driver_cpu_s * 1000 / n:.2f}", f"{run.machine_busy:.0%}",
        f"{run.p(95) / floor.p(95):.1f}x" if floor else "-", f"{run.rate / floor.rate:.2f}x" if floor else "-",
        str(run.errors),
    ]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def _verdict(run: Run) -> str:
    p95 = run.p(95)
    return f"- {run.name.replace(' | ', ', ')}: P95 {p95:.1f} ms ({'meets' if p95 < TARGET_P95_MS else 'misses'})"


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
