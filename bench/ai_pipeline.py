"""AI pipeline benchmark: `ingest.request` published → notes row committed, local generator.

For each 10+-page PDF of the corpus (and its first 10 pages, cut in memory), a document is
created, `ingest.request` is published, and the running workers (the real drains, one loop per
stream in threads, as `studyaid worker` runs them) ingest it and generate its study aids. The
clock stops when the `notes` row is visible. Side by side: when the ingest stage turned `done`,
and the local generator alone on the same structure in-process.

    .venv/bin/python -m bench.ai_pipeline [--runs 3]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pymupdf

from bench.harness import migrated_database, services
from devtools.devhost.stack import Stack
from shared.ai.local.generator import LocalGenerator
from shared.container import Container
from shared.documents.contracts import Structure
from shared.documents.service import create_document, request_ingest
from shared.settings import Settings
from shared.workers import run_drain

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "RESULTS.md"
TARGET_S = 3.0


@dataclass(frozen=True)
class Sample:
    total_s: float
    ingest_s: float
    generator_s: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = int(parser.parse_args().runs)
    logging.basicConfig(level=logging.WARNING)
    inputs = _inputs()
    with services() as stack, migrated_database(stack) as url:
        container = Container(_settings(stack, url))
        container.blobs.ensure_containers()
        user_id = _user(container)
        with _workers(container):
            _measure(container, user_id, "warm-up.pdf", inputs[0][2])
            rows = [
                (label, pages, [_measure(container, user_id, label, data) for _ in range(runs)])
                for label, pages, data in inputs
            ]
        container.close()
    _report(rows, runs=runs)


def _inputs() -> list[tuple[str, int, bytes]]:
    """(label, pages, bytes): each 10+-page corpus PDF whole, and its first 10 pages."""
    found: list[tuple[str, int, bytes]] = []
    for path in sorted(CORPUS.glob("*.pdf")):
        with pymupdf.open(path) as doc:  # type: ignore[no-untyped-call]  # pymupdf is partly annotated
            if doc.page_count < 10:
                continue
            found.append((path.name, doc.page_count, path.read_bytes()))
            doc.select(list(range(10)))
            found.append((f"{path.name} (pages 1-10)", 10, doc.tobytes()))
    return found


def _measure(container: Container, user_id: uuid.UUID, label: str, data: bytes) -> Sample:
    with container.db.connection() as conn:
        row = create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=user_id,
            title=label,
            filename="bench.pdf",
            kind="pdf",
            size=len(data),
            course_id=None,
            source="upload",
            data=data,
        )
    started = time.perf_counter()
    with container.db.connection() as conn:
        request_ingest(conn=conn, publisher=container.publisher, doc_id=row.id, user_id=user_id)
    ingest_s = total_s = 0.0
    while not total_s:
        time.sleep(0.005)
        ingest_done, notes = _progress(container, row.id)
        now = time.perf_counter() - started
        ingest_s = ingest_s or (now if ingest_done else 0.0)
        total_s = now if notes else 0.0
        if now > 120:
            raise RuntimeError(f"{label}: no notes after 120 s (see the workers' log)")
    return Sample(total_s=total_s, ingest_s=ingest_s, generator_s=_generator_alone(container, user_id, row.id))


def _progress(container: Container, doc_id: uuid.UUID) -> tuple[bool, bool]:
    with container.db.connection() as conn:
        found = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM document_stages WHERE document_id = %(d)s"
            "   AND stage = 'ingest' AND status = 'done'),"
            " EXISTS (SELECT 1 FROM notes WHERE document_id = %(d)s)",
            {"d": doc_id},
        ).fetchone()
    return (bool(found[0]), bool(found[1])) if found else (False, False)


def _generator_alone(container: Container, user_id: uuid.UUID, doc_id: uuid.UUID) -> float:
    raw = container.blobs.get(container="derived", path=f"{user_id}/{doc_id}/structure.json")
    structure = Structure.model_validate_json(raw)
    started = time.perf_counter()
    LocalGenerator().generate(structure)
    return time.perf_counter() - started


@contextmanager
def _workers(container: Container) -> Iterator[None]:
    """One drain loop per stream in a thread, like `studyaid worker ingest` / `worker ai`."""
    stop = threading.Event()

    def loop(stream: str) -> None:
        while not stop.is_set():
            run_drain(container, stream, budget_s=0.5)

    threads = [threading.Thread(target=loop, args=(s,), daemon=True) for s in ("ingest.request", "ai.request")]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)


def _settings(stack: Stack, url: str) -> Settings:
    return Settings.model_validate(
        {
            **stack.environ(),
            "POSTGRES_URL": url,
            "APP_ENV": "local",
            "AI_PROVIDER": "local",
            "STREAM_PREFIX": f"bench{uuid.uuid4().hex[:8]}:",
            "LOG_LEVEL": "WARNING",
        }
    )


def _user(container: Container) -> uuid.UUID:
    user_id = uuid.uuid4()
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO users (id, email, display_name, role) VALUES (%s, %s, 'Bench', 'student')",
            (user_id, f"{user_id.hex[:10]}@bench.example"),
        )
    return user_id


def _report(rows: list[tuple[str, int, list[Sample]]], *, runs: int) -> None:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "",
        f"## AI pipeline: ingest.request → notes written, local generator ({when})",
        "",
        f"Command: `.venv/bin/python -m bench.ai_pipeline` (from `make bench`). Machine: {os.cpu_count()} cores, "
        f"CPython {platform.python_version()}; Postgres, Redis and Azurite on loopback; the real drains "
        f"running in threads (ingest and ai, one loop each); {runs} runs per PDF, median (max).",
        "",
        "| PDF | pages | published → notes row, s | ingest done at, s | AI stage (notes minus ingest), s"
        " | local generator alone, s | ms/page | target < 3 s (10 pages) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, pages, samples in rows:
        total = [s.total_s for s in samples]
        median = statistics.median(total)
        verdict = ("meets" if median < TARGET_S else "misses") if pages == 10 else "-"
        ingest = statistics.median(s.ingest_s for s in samples)
        alone = statistics.median(s.generator_s for s in samples)
        lines.append(
            f"| {label} | {pages} | {median:.3f} ({max(total):.3f}) | {ingest:.3f} | {median - ingest:.3f}"
            f" | {alone:.3f} | {1000 * median / pages:.0f} | {verdict} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(text)


if __name__ == "__main__":
    main()
