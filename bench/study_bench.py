"""Study benchmark: reviews due under paced load, the plan, and the local `/v1/ask`, through uvicorn.

Seeds a scratch database with `--users` students (default 50) holding `--cards` review cards
each (default 10,000, over 20 documents in 5 courses), one planner with 6 courses and 60
upcoming assignments, and one reader with 50 indexed documents. Side by side, in one run:

- `GET /health` at the paced load: the floor of the server and the driver;
- `GET /v1/documents` (20 items) at the paced load: the gateway's existing authenticated read;
- `GET /v1/reviews/due` at 1 client, at `--clients` clients pausing 0.5-1.5 x `--think-ms`
  between requests (a student flipping cards), the same filtered by course, and flat out;
- `build_plan` in process and `GET /v1/plan` over HTTP, 1 client;
- `POST /v1/ask` with the local generator, 1 client, a fixed list of questions.

    .venv/bin/python -m bench.study_bench [--users 50] [--cards 10000] [--clients 50] [--think-ms 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
import psycopg

from bench.harness import RESULTS, RawClient, Run, drive, migrated_database, percentile, services, uvicorn_server
from shared.auth.tokens import SESSION_COOKIE, hash_token
from shared.search.indexing import index_document_sections
from shared.study.plan.service import build_plan
from tests.support.ai_docs import lecture

PORT = 40611
TARGETS_MS = {"reviews due": 20.0, "plan": 50.0, "ask": 300.0}
QUESTIONS = [
    "What does an admissible heuristic never do?",
    "How does A* search order the frontier?",
    "Why can hill climbing get stuck?",
    "What does breadth-first search find?",
    "What is the main practical limit of A* search?",
]
Conn = psycopg.Connection[tuple[object, ...]]


def _user(conn: Conn, n: int) -> tuple[uuid.UUID, str]:
    user_id, token = uuid.uuid4(), secrets.token_urlsafe(32)
    conn.execute("INSERT INTO users (id, email, display_name) VALUES (%s, %s, 'Bench')", (user_id, f"s{n}@bench.edu"))
    conn.execute(
        "INSERT INTO sessions (id, user_id, token_hash, expires_at) VALUES (%s, %s, %s, %s)",
        (uuid.uuid4(), user_id, hash_token(token), datetime.now(UTC) + timedelta(days=1)),
    )
    return user_id, token


def _course(conn: Conn, user_id: uuid.UUID, n: int) -> uuid.UUID:
    course_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO courses (id, user_id, canvas_id, name) VALUES (%s, %s, %s, %s)",
        (course_id, user_id, uuid.uuid4().int % 10**12, f"Course {n}"),
    )
    return course_id


def _document(conn: Conn, user_id: uuid.UUID, course_id: uuid.UUID | None, pages: int = 10) -> uuid.UUID:
    doc_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO documents (id, user_id, course_id, title, filename, kind, raw_blob_path, page_count)"
        " VALUES (%s, %s, %s, %s, 'l.pdf', 'pdf', 'x', %s)",
        (doc_id, user_id, course_id, f"Lecture {doc_id.hex[:6]}", pages),
    )
    return doc_id


def seed_reviewer(conn: Conn, n: int, cards: int) -> tuple[uuid.UUID, str, uuid.UUID]:
    """A student with `cards` cards over 20 documents in 5 courses; a third of them due now."""
    user_id, token = _user(conn, n)
    courses = [_course(conn, user_id, i) for i in range(5)]
    docs = [_document(conn, user_id, courses[i % 5]) for i in range(20)]
    now = datetime.now(UTC)
    with conn.cursor().copy(
        "COPY review_cards (user_id, document_id, card_id, front, back, section, page, state, due) FROM STDIN"
    ) as copy:
        for i in range(cards):
            due = now + timedelta(days=(i % 3) * 7 - 7, minutes=i % 60)
            copy.write_row((user_id, docs[i % 20], f"c{i:06d}", f"Question {i}?", f"Answer {i}.", "Intro", 1 + i % 30,
                            2, due))  # fmt: skip
    return user_id, token, courses[0]


def seed_planner(conn: Conn) -> tuple[uuid.UUID, str]:
    """6 courses, 60 assignments due over four weeks, 5 unread documents per course."""
    user_id, token = _user(conn, 10_000)
    now = datetime.now(UTC)
    for c in range(6):
        course_id = _course(conn, user_id, c)
        for d in range(5):
            _document(conn, user_id, course_id, pages=4 + d)
        for a in range(10):
            conn.execute(
                "INSERT INTO assignments (id, user_id, course_id, canvas_id, name, due_at) VALUES (%s,%s,%s,%s,%s,%s)",
                (uuid.uuid4(), user_id, course_id, uuid.uuid4().int % 10**12, f"A{c}.{a}",
                 now + timedelta(days=1 + (a * 27 + c) % 27, hours=c)),
            )  # fmt: skip
    return user_id, token


def seed_reader(conn: Conn) -> str:
    """A student with 50 indexed documents of 12 sections each."""
    user_id, token = _user(conn, 20_000)
    for i in range(50):
        structure = lecture(pages=12, title=f"Lecture {i}")
        doc_id = _document(conn, user_id, None, pages=12)
        index_document_sections(conn, doc_id=doc_id, user_id=user_id, structure=structure)
    return token


def _timed(n: int, call: Callable[[int], object]) -> list[float]:
    ms = []
    for i in range(n):
        started = time.perf_counter()
        call(i)
        ms.append((time.perf_counter() - started) * 1000)
    return ms


async def _paced(
    tokens: list[str], path: Callable[[int], str], *, name: str, total: int, think_s: float, pid: int
) -> Run:
    clients = [RawClient("127.0.0.1", PORT, cookies={SESSION_COOKIE: t}) for t in tokens]

    def request(client: RawClient, n: int) -> Awaitable[int]:
        return client.get(path(n))

    try:
        return await drive(clients, request, name=name, total=total, max_s=120, think_s=think_s, server_pid=pid)
    finally:
        for client in clients:
            await client.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--think-ms", type=float, default=1000)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    with services() as stack, migrated_database(stack) as url:
        with psycopg.connect(url) as conn:
            started = time.monotonic()
            reviewers = [seed_reviewer(conn, n, args.cards) for n in range(args.users)]
            planner = seed_planner(conn)
            reader = seed_reader(conn)
            conn.commit()
            conn.execute("ANALYZE")
            print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
            plan_ms = _timed(50, lambda _i: build_plan(conn, user_id=planner[0], now=datetime.now(UTC)))
        env = {
            **stack.environ(),
            "POSTGRES_URL": url,
            "LOG_LEVEL": "WARNING",
            "STUDY_AI_PER_MINUTE": "100000",
            "CORS_ORIGINS": '["http://localhost:5173"]',
        }
        with uvicorn_server(env, port=PORT) as server:
            runs = asyncio.run(_load(args, reviewers, server.pid))
            http = _http(reader, planner[1])
    _report(args, runs, plan_ms, http)


async def _load(args: argparse.Namespace, reviewers: list[tuple[uuid.UUID, str, uuid.UUID]], pid: int) -> list[Run]:
    tokens = [r[1] for r in reviewers][: args.clients]
    course = {t: r[2] for r in reviewers for t in [r[1]]}
    think = args.think_ms / 1000
    paced = f"{len(tokens)} clients, {args.think_ms:.0f} ms think"
    runs = [
        await _paced(tokens, lambda _n: "/health", name=f"GET /health, {paced}", total=args.requests, think_s=think,
                     pid=pid),
        await _paced(tokens[:1], lambda _n: "/v1/reviews/due?limit=50", name="reviews due, 1 client", total=500,
                     think_s=0, pid=pid),
        await _paced(tokens, lambda _n: "/v1/reviews/due?limit=50", name=f"reviews due, {paced}",
                     total=args.requests, think_s=think, pid=pid),
        await _paced(tokens, lambda _n: "/v1/documents?limit=20", name=f"GET /v1/documents (reference), {paced}",
                     total=args.requests, think_s=think, pid=pid),
    ]  # fmt: skip
    by_course = [RawClient("127.0.0.1", PORT, cookies={SESSION_COOKIE: t}) for t in tokens]
    paths = {id(c): f"/v1/reviews/due?limit=50&course_id={course[t]}" for c, t in zip(by_course, tokens, strict=True)}

    def filtered(client: RawClient, _n: int) -> Awaitable[int]:
        return client.get(paths[id(client)])

    runs.append(await drive(by_course, filtered, name=f"reviews due by course, {paced}", total=args.requests,
                            max_s=120, think_s=think, server_pid=pid))  # fmt: skip
    for client in by_course:
        await client.close()
    runs.append(await _paced(tokens, lambda _n: "/v1/reviews/due?limit=50", name=f"reviews due, {len(tokens)} "
                             "clients flat out", total=args.requests, think_s=0, pid=pid))  # fmt: skip
    return runs


def _http(reader: str, planner: str) -> dict[str, list[float]]:
    origin = {"Origin": "http://localhost:5173"}  # a cookie-authenticated write must come from the app (CSRF)
    with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", cookies={SESSION_COOKIE: reader}, headers=origin) as client:
        ask = _timed(100, lambda i: client.post("/v1/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]}))
        found = client.post("/v1/ask", json={"question": QUESTIONS[0]}).json()
        assert found["found"], found
    with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", cookies={SESSION_COOKIE: planner}) as client:
        plan = _timed(50, lambda _i: client.get("/v1/plan").raise_for_status())
    return {"POST /v1/ask (local), 1 client": ask, "GET /v1/plan, 1 client": plan}


def _row(name: str, ms: list[float], rate: str = "-", errors: str = "0") -> str:
    cells = [name, str(len(ms)), *(f"{percentile(ms, p):.1f}" for p in (50, 95, 99)), f"{max(ms):.1f}", rate, errors]
    return "| " + " | ".join(cells) + " |"


def _report(args: argparse.Namespace, runs: list[Run], plan_ms: list[float], http: dict[str, list[float]]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    floor, due_paced, reference = runs[0], runs[2], runs[3]
    ask = http["POST /v1/ask (local), 1 client"]
    lines = [
        f"\n## Study: reviews due, plan, ask ({stamp})\n",
        f"Command: `.venv/bin/python -m bench.study_bench {' '.join(sys.argv[1:])}`. Machine: {os.cpu_count()} cores "
        f"shared with other work (load average at the end {' '.join(f'{v:.1f}' for v in os.getloadavg())}); uvicorn, "
        f"1 worker; Postgres on loopback. Data: {args.users} students x {args.cards} review cards (a third due "
        "now), a planner with 6 courses / 60 upcoming assignments / 30 unread documents, a reader with 50 "
        "indexed documents (600 sections).\n",
        "| measure | n | P50 ms | P95 ms | P99 ms | max ms | req/s | errors |",
        "|---|---|---|---|---|---|---|---|",
        *(_row(r.name, r.ms, f"{r.rate:.0f}", str(r.errors)) for r in runs),
        _row("build_plan in process (6 courses, 60 assignments)", plan_ms),
        *(_row(name, ms) for name, ms in http.items()),
        "",
        f"- reviews due, paced: P95 {due_paced.p(95):.1f} ms against a target of {TARGETS_MS['reviews due']:.0f} ms "
        f"({'meets' if due_paced.p(95) < TARGETS_MS['reviews due'] else 'misses'}); the floor (`/health`, same "
        f"load) P95 {floor.p(95):.1f} ms; the gateway's existing authenticated read `GET /v1/documents` (20 items), "
        f"same load, P95 {reference.p(95):.1f} ms: reviews due costs {due_paced.p(95) / reference.p(95):.2f}x it at "
        f"P95 and {due_paced.p(50) / reference.p(50):.2f}x at P50.",
        *plan_and_ask_verdicts(plan_ms, ask),
        "",
    ]
    record("\n".join(lines))


def plan_and_ask_verdicts(plan_ms: list[float], ask_ms: list[float]) -> list[str]:
    """The plan's (in process) and the local ask's (over HTTP) P95 against their targets."""
    plan, asked = percentile(plan_ms, 95), percentile(ask_ms, 95)
    return [
        f"- plan: P95 {plan:.1f} ms in process against {TARGETS_MS['plan']:.0f} ms "
        f"({'meets' if plan < TARGETS_MS['plan'] else 'misses'}).",
        f"- local ask: P95 {asked:.1f} ms over HTTP against {TARGETS_MS['ask']:.0f} ms "
        f"({'meets' if asked < TARGETS_MS['ask'] else 'misses'}).",
    ]


def record(text: str) -> None:
    print(text)
    with RESULTS.open("a") as out:
        out.write(text)


if __name__ == "__main__":
    main()
