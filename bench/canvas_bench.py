"""Canvas sync against the stub school: wall time and Canvas requests, cold and warm.

Runs the real sync (`execute_sync`, as the canvas.sync drain calls it) against the stub Canvas
on loopback, with real Postgres, Redis and Azurite, and prints a Markdown table. `--record`
appends it to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from shared.canvas.adapters.crypto import new_key_text
from shared.canvas.adapters.documents import ServiceDocuments
from shared.canvas.contracts import CanvasSyncRequest, SyncResult
from shared.canvas.service import finish_connect, start_connect
from shared.canvas.store.runs import create_run, get_run
from shared.canvas.sync.run import execute_sync
from shared.container import Container
from shared.platform.migrate import apply_migrations
from tests.conftest import make_settings
from tests.support.canvas_stub import FIXTURES, REDIRECT_URI, approve
from tests.support.services import free_port, resolve_stack, scratch_database
from tests.support.users import make_user

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Row:
    label: str
    seconds: list[float]
    requests: int
    result: SyncResult


class RemoteStub:
    """The stub Canvas in its own process, as a real Canvas would be (no GIL shared with the client)."""

    def __init__(self) -> None:
        self.port, self.files_port = free_port(), free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.files_url = f"http://127.0.0.2:{self.files_port}"
        command = [sys.executable, "-m", "devtools.canvas_stub", "--port", str(self.port),
                   "--files-port", str(self.files_port), "--fixtures", str(FIXTURES)]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        if self.process.stdout is None or "running" not in self.process.stdout.readline():
            raise SystemExit("the stub Canvas did not start")

    def overrides(self, per_page: int) -> dict[str, object]:
        values = canvas_overrides_for(self.base_url, self.files_url)
        values["CANVAS_PER_PAGE"] = per_page
        return values

    def touch(self, file_id: int) -> None:
        httpx.post(f"{self.base_url}/__stub/files/{file_id}/touch", trust_env=False).raise_for_status()

    def requests(self) -> int:
        counts = httpx.get(f"{self.base_url}/__stub/requests", trust_env=False).json()
        return int(counts["api"]) + int(counts["files"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def canvas_overrides_for(base_url: str, files_url: str) -> dict[str, object]:
    return {
        "CANVAS_BASE_URL": base_url,
        "CANVAS_CLIENT_ID": "stub-client-id",
        "CANVAS_CLIENT_SECRET": "stub-client-secret",
        "CANVAS_REDIRECT_URI": REDIRECT_URI,
        "CANVAS_FILE_HOSTS": [files_url],
        "CANVAS_ALLOW_PRIVATE_HOSTS": True,
        "TOKEN_ENCRYPTION_KEYS": new_key_text("bench"),
        "TOKEN_ENCRYPTION_ACTIVE_KEY": "bench",
    }


@contextmanager
def environment(per_page: int) -> Iterator[tuple[Container, RemoteStub]]:
    stack = resolve_stack(Path(tempfile.mkdtemp(prefix="canvas-bench-")))
    stub = RemoteStub()
    try:
        with scratch_database(stack.postgres_url) as url:
            apply_migrations(url)
            container = Container(make_settings(stack, url, **stub.overrides(per_page)))
            container.blobs.ensure_containers()
            try:
                yield container, stub
            finally:
                container.close()
    finally:
        stub.stop()
        stack.stop()


def connect(container: Container) -> uuid.UUID:
    user = make_user(container)
    with container.db.connection() as conn:
        started = start_connect(conn=conn, canvas=container.canvas, user_id=user.user_id, now=container.clock.now())
    query = approve(started.authorize_url)
    with container.db.connection() as conn:
        finish_connect(conn=conn, canvas=container.canvas, code=query.get("code"), state=query.get("state"),
                       error=None, now=container.clock.now(), signed_in=user.user_id)  # fmt: skip
    return user.user_id


def one_sync(container: Container, stub: RemoteStub, user_id: uuid.UUID) -> tuple[float, int, SyncResult]:
    run_id = uuid.uuid4()
    with container.db.connection() as conn:
        create_run(conn, run_id=run_id, user_id=user_id, now=container.clock.now())
    before = stub.requests()
    documents = ServiceDocuments(blobs=container.blobs, publisher=container.publisher)
    started = time.perf_counter()
    execute_sync(
        request=CanvasSyncRequest(sync_id=run_id, user_id=user_id), db=container.db, clock=container.clock,
        canvas=lambda: container.canvas, documents=documents, settings=container.settings,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    with container.db.connection() as conn:
        run = get_run(conn, run_id=run_id, user_id=user_id)
    if run is None or run.status != "done" or run.result is None:
        raise SystemExit(f"sync did not finish: {run}")
    seen = stub.requests() - before
    return seconds, seen, SyncResult.model_validate(run.result)


def measure(per_page: int, repeats: int) -> list[Row]:
    rows: list[Row] = []
    with environment(per_page) as (container, stub):
        for _ in range(repeats):
            user_id = connect(container)  # a fresh student each time: a cold first sync
            cold = one_sync(container, stub, user_id)
            warm = one_sync(container, stub, user_id)
            stub.touch(101)
            changed = one_sync(container, stub, user_id)
            for label, sample in (
                ("first sync", cold),
                ("re-sync, nothing changed", warm),
                ("re-sync, 1 file changed", changed),
            ):
                rows.append(Row(f"{label} (per_page={per_page})", [sample[0]], sample[1], sample[2]))
    return _merge(rows)


def _merge(rows: list[Row]) -> list[Row]:
    merged: dict[str, Row] = {}
    for row in rows:
        if row.label in merged:
            merged[row.label].seconds.extend(row.seconds)
        else:
            merged[row.label] = Row(row.label, list(row.seconds), row.requests, row.result)
    return list(merged.values())


def table(rows: list[Row], command: str, repeats: int) -> str:
    lines = [
        f"## Canvas sync of the stub school ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Command: `{command}`. Machine: 2 cores, CPython {platform.python_version()}; stub Canvas, Postgres,",
        "Redis and Azurite on loopback; the stub runs in its own process. School: 7 courses, 17 assignments,",
        f"7 modules / 15 items, 10 files (7 PDF/DOCX/PPTX the sync downloads and records). Median of {repeats}",
        "runs, each with a new student; requests are counted by the stub (API calls + download hops + file host).",
        "",
        "| sync | median s | min s | Canvas requests | files downloaded | rows changed |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        counts = row.result.counts
        changed = counts.courses_changed + counts.assignments_changed
        lines.append(
            f"| {row.label} | {statistics.median(row.seconds):.3f} | {min(row.seconds):.3f} | {row.requests}"
            f" | {counts.files_ingested} | {changed} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--per-page", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    rows = [row for per_page in args.per_page for row in measure(per_page, args.repeats)]
    pages = " ".join(str(p) for p in args.per_page)
    command = f".venv/bin/python -m bench.canvas_bench --repeats {args.repeats} --per-page {pages}"
    output = table(rows, command, args.repeats)
    print(output)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a") as results:
            results.write("\n" + output)


if __name__ == "__main__":
    main()
