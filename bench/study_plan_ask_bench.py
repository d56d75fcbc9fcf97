"""Study benchmark, plan and ask only: `GET /v1/plan` with Canvas modules, and the local `/v1/ask`.

The sibling of bench/study_bench.py without its reviews-due load (measured there). Seeds one
planner with 6 courses, 60 upcoming assignments and 30 unread documents, where every assignment
is an item of one of its course's 5 Canvas modules and each module links one of the course's
documents as a Canvas file (so the plan's module query has real rows to join), and one reader
with 50 indexed documents. Measures `build_plan` in process, `GET /v1/plan` and `POST /v1/ask`
(local generator) over HTTP through uvicorn, one client each.

    .venv/bin/python -m bench.study_plan_ask_bench
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import psycopg

from bench.harness import migrated_database, services, uvicorn_server
from bench.study_bench import (
    QUESTIONS,
    Conn,
    _course,
    _document,
    _row,
    _timed,
    _user,
    plan_and_ask_verdicts,
    record,
    seed_reader,
)
from shared.auth.tokens import SESSION_COOKIE
from shared.study.plan.service import build_plan

PORT = 40612
APP_ORIGIN = "http://localhost:5173"  # the default CORS_ORIGINS of a development configuration
COURSES, MODULES, ASSIGNMENTS, DOCUMENTS = 6, 5, 10, 5


def _canvas_id() -> int:
    return uuid.uuid4().int % 10**12


def _module(conn: Conn, user_id: uuid.UUID, course_id: uuid.UUID, n: int) -> uuid.UUID:
    module_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO canvas_modules (id, user_id, course_id, canvas_id, name, position) VALUES (%s,%s,%s,%s,%s,%s)",
        (module_id, user_id, course_id, _canvas_id(), f"Week {n + 1}", n + 1),
    )
    return module_id


def _item(conn: Conn, user_id: uuid.UUID, module_id: uuid.UUID, kind: str, content_id: int) -> None:
    conn.execute(
        "INSERT INTO canvas_module_items (id, user_id, module_id, canvas_id, type, content_id)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (uuid.uuid4(), user_id, module_id, _canvas_id(), kind, content_id),
    )


def _linked_document(conn: Conn, user_id: uuid.UUID, course_id: uuid.UUID, module_id: uuid.UUID, pages: int) -> None:
    """A course document that came from a Canvas file the module links to."""
    doc_id, file_id = _document(conn, user_id, course_id, pages=pages), _canvas_id()
    conn.execute(
        "INSERT INTO canvas_files (id, user_id, course_id, canvas_id, display_name, document_id, status)"
        " VALUES (%s, %s, %s, %s, 'lecture.pdf', %s, 'ingested')",
        (uuid.uuid4(), user_id, course_id, file_id, doc_id),
    )
    _item(conn, user_id, module_id, "File", file_id)


def seed_planner_with_modules(conn: Conn) -> tuple[uuid.UUID, str]:
    user_id, token = _user(conn, 30_000)
    now = datetime.now(UTC)
    for c in range(COURSES):
        course_id = _course(conn, user_id, c)
        modules = [_module(conn, user_id, course_id, m) for m in range(MODULES)]
        for d in range(DOCUMENTS):
            _linked_document(conn, user_id, course_id, modules[d % MODULES], pages=4 + d)
        for a in range(ASSIGNMENTS):
            canvas_id = _canvas_id()
            conn.execute(
                "INSERT INTO assignments (id, user_id, course_id, canvas_id, name, due_at) VALUES (%s,%s,%s,%s,%s,%s)",
                (uuid.uuid4(), user_id, course_id, canvas_id, f"A{c}.{a}",
                 now + timedelta(days=1 + (a * 27 + c) % 27, hours=c)),
            )  # fmt: skip
            _item(conn, user_id, modules[a % MODULES], "Assignment", canvas_id)
    return user_id, token


def main() -> None:
    with services() as stack, migrated_database(stack) as url:
        with psycopg.connect(url) as conn:
            planner = seed_planner_with_modules(conn)
            reader = seed_reader(conn)
            conn.commit()
            conn.execute("ANALYZE")
            plan = build_plan(conn, user_id=planner[0], now=datetime.now(UTC))
            readings = [i for d in plan.days for i in d.items if i.kind == "reading"]
            assert readings, "the seeded plan has no readings"
            plan_ms = _timed(50, lambda _i: build_plan(conn, user_id=planner[0], now=datetime.now(UTC)))
        env = {
            **stack.environ(),
            "POSTGRES_URL": url,
            "LOG_LEVEL": "WARNING",
            "STUDY_AI_PER_MINUTE": "100000",
            "CORS_ORIGINS": f'["{APP_ORIGIN}"]',
        }
        with uvicorn_server(env, port=PORT):
            http = _http(reader, planner[1])
    _report(plan_ms, http, readings=len(readings))


def _http(reader: str, planner: str) -> dict[str, list[float]]:
    base = f"http://127.0.0.1:{PORT}"
    # A cookie-authenticated write must come from the app's origin (the CSRF check).
    with httpx.Client(base_url=base, cookies={SESSION_COOKIE: reader}, headers={"Origin": APP_ORIGIN}) as client:
        ask = _timed(100, lambda i: client.post("/v1/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]}))
        found = client.post("/v1/ask", json={"question": QUESTIONS[0]}).json()
        assert found.get("found"), found
    with httpx.Client(base_url=base, cookies={SESSION_COOKIE: planner}) as client:
        plan = _timed(50, lambda _i: client.get("/v1/plan").raise_for_status())
    return {"POST /v1/ask (local), 1 client": ask, "GET /v1/plan, 1 client": plan}


def _report(plan_ms: list[float], http: dict[str, list[float]], *, readings: int) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    ask = http["POST /v1/ask (local), 1 client"]
    lines = [
        f"\n## Study: plan with Canvas modules, ask ({stamp})\n",
        f"Command: `.venv/bin/python -m bench.study_plan_ask_bench {' '.join(sys.argv[1:])}`. Machine: "
        f"{os.cpu_count()} cores shared with other work (load average at the end "
        f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}); uvicorn, 1 worker; Postgres on loopback. Data: a "
        f"planner with {COURSES} courses / {COURSES * ASSIGNMENTS} upcoming assignments / "
        f"{COURSES * DOCUMENTS} unread documents, every assignment in one of {MODULES} Canvas modules per course "
        f"and every document a Canvas file linked from a module ({readings} reading items in the plan); a reader "
        "with 50 indexed documents (600 sections). Reviews due is measured by bench/study_bench.py.\n",
        "| measure | n | P50 ms | P95 ms | P99 ms | max ms | req/s | errors |",
        "|---|---|---|---|---|---|---|---|",
        _row(f"build_plan in process ({COURSES} courses, {COURSES * ASSIGNMENTS} assignments, modules)", plan_ms),
        *(_row(name, ms) for name, ms in http.items()),
        "",
        *plan_and_ask_verdicts(plan_ms, ask),
        "",
    ]
    record("\n".join(lines))


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"took {time.monotonic() - started:.0f} s")
