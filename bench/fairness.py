"""Fair share: other students' upload-to-first-note while one student has hundreds queued.

Three scenarios in one run, each on fresh streams and fresh users, with the real ingest and AI
drains running in threads (DRAIN_CONCURRENCY as deployed, local generator, media not drained):

- idle: OTHERS students upload one small PDF each on an otherwise empty system;
- fifo: one student has HEAVY documents queued (`FAIR_SHARE=false`: plain FIFO streams), then
  the same OTHERS uploads;
- fair: the same with per-user windows (`FAIR_SHARE=true`, the default).

The figure is each other student's time from `request_ingest` to its AI stage `done` (the
notes row written), P50/P95/max, and the ratio of each scenario's P95 to the idle one's.

    .venv/bin/python -m bench.fairness [--heavy 500] [--others 50] [--record]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pymupdf

from bench.harness import RESULTS, migrated_database, percentile, services
from bench.stage_throughput import _settings, _user
from devtools.devhost.stack import Stack
from shared.container import Container
from shared.documents.service import create_document, request_ingest
from shared.workers import run_drain

STREAMS = ("ingest.request", "ai.request")


@dataclass(frozen=True)
class Outcome:
    name: str
    latencies_s: list[float]
    heavy_done: int

    def p(self, pct: float) -> float:
        return percentile(self.latencies_s, pct)


def small_pdf() -> bytes:
    doc = pymupdf.open()  # type: ignore[no-untyped-call]  # pymupdf is partly annotated
    page = doc.new_page()
    page.insert_text((72, 90), "Week 3: Search", fontsize=22, fontname="helv")
    for line in range(8):
        text = f"Breadth-first search expands the shallowest node first; line {line + 1} of the handout."
        page.insert_text((72, 140 + 16 * line), text, fontsize=11)
    return bytes(doc.tobytes())  # type: ignore[no-untyped-call]


def upload(container: Container, user_id: uuid.UUID, data: bytes) -> tuple[uuid.UUID, datetime]:
    with container.db.connection() as conn:
        row = create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=user_id,
            title="Handout",
            filename="handout.pdf",
            kind="pdf",
            size=len(data),
            course_id=None,
            source="upload",
            data=data,
        )
        at = datetime.now(UTC)
        request_ingest(conn=conn, publisher=container.publisher, doc_id=row.id, user_id=user_id)
    return row.id, at


class Drains:
    """The ingest and AI drains, each looping in its own thread as `studyaid worker` does."""

    def __init__(self, container: Container) -> None:
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, args=(container, s), daemon=True) for s in STREAMS]

    def _loop(self, container: Container, stream: str) -> None:
        while not self._stop.is_set():
            run_drain(container, stream, budget_s=0.5)

    def __enter__(self) -> Drains:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


def scenario(stack: Stack, url: str, *, name: str, heavy: int, others: int, fair: bool, data: bytes) -> Outcome:
    container = Container(_settings(stack, url).model_copy(update={"fair_share": fair}))
    container.blobs.ensure_containers()
    try:
        heavy_user = _user(container)
        heavy_docs = [upload(container, heavy_user, data)[0] for _ in range(heavy)]
        with Drains(container):
            uploads = dict(upload(container, _user(container), data) for _ in range(others))
            done = _wait_for_notes(container, list(uploads))
            heavy_done = len(_notes_at(container, heavy_docs))
        latencies = [(done[doc] - at).total_seconds() for doc, at in uploads.items()]
        return Outcome(name, latencies, heavy_done)
    finally:
        keys = list(container.redis.scan_iter(match=f"{container.settings.stream_prefix}*", count=1000))
        if keys:
            container.redis.delete(*keys)
        container.close()


def _notes_at(container: Container, doc_ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    with container.db.connection() as conn:
        rows = conn.execute(
            "SELECT document_id, updated_at FROM document_stages"
            " WHERE document_id = ANY(%(ids)s) AND stage = 'ai' AND status = 'done'",
            {"ids": doc_ids},
        ).fetchall()
    return dict(rows)


def _wait_for_notes(container: Container, doc_ids: list[uuid.UUID], timeout_s: float = 1800) -> dict[uuid.UUID, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = _notes_at(container, doc_ids)
        if len(done) == len(doc_ids):
            return done
        time.sleep(0.2)
    raise RuntimeError(f"{len(doc_ids) - len(_notes_at(container, doc_ids))} documents got no notes in {timeout_s} s")


def report(outcomes: list[Outcome], *, heavy: int, others: int) -> str:
    idle = outcomes[0]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "",
        f"## Fair share: other students' upload → first note behind one student's backlog ({when})",
        "",
        f"Command: `.venv/bin/python -m bench.fairness --heavy {heavy} --others {others} --record`. Machine: "
        f"{os.cpu_count()} cores shared with other work, CPython {platform.python_version()}; Postgres, Redis "
        "and Azurite on loopback; the real ingest and AI drains in threads (deployed DRAIN_CONCURRENCY, local "
        "generator, media not drained); a one-page PDF per document. `fifo` is `FAIR_SHARE=false`, `fair` the "
        "default per-user windows (FAIR_WINDOW=2). Latency: `request_ingest` → AI stage `done`, for each of the "
        "others.",
        "",
        "| scenario | one student's queued documents | others P50 s | others P95 s | others max s | "
        "P95 / idle P95 | backlog documents done meanwhile |",
        "|---|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        backlog = 0 if outcome.name == "idle" else heavy
        lines.append(
            f"| {outcome.name} | {backlog} | {outcome.p(50):.2f} | {outcome.p(95):.2f} | {max(outcome.latencies_s):.2f}"
            f" | {outcome.p(95) / idle.p(95):.2f}x | {outcome.heavy_done} |"
        )
    return "\n".join([*lines, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--heavy", type=int, default=500)
    parser.add_argument("--others", type=int, default=50)
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    data = small_pdf()
    with services() as stack, migrated_database(stack) as url:
        scenario(stack, url, name="warm-up", heavy=0, others=2, fair=True, data=data)
        runs = [
            scenario(stack, url, name="idle", heavy=0, others=args.others, fair=True, data=data),
            scenario(stack, url, name="fair", heavy=args.heavy, others=args.others, fair=True, data=data),
            scenario(stack, url, name="fifo", heavy=args.heavy, others=args.others, fair=False, data=data),
        ]
    table = report(runs, heavy=args.heavy, others=args.others)
    print(table)
    if args.record:
        with RESULTS.open("a") as results:
            results.write(table)


if __name__ == "__main__":
    main()
