"""Stage throughput: messages per minute per replica for each stream the stage image runs.

One process drains one stream at a time with the real handlers and the deployed tunables
(infra-bicep/app-settings.json: DRAIN_CONCURRENCY, video size, preset, ...), exactly as
`studyaid worker <stream>` does in its Container App: N documents (the first 10 pages of a real
lecture) are published as `ingest.request`; the ingest drain runs until all N are acknowledged,
then the AI drain on the `ai.request` entries ingest published, then the media drain on the
`media.request` entries AI published. Providers are the ones the image has without cloud
credentials (local generator, espeak-ng); docs/operations.md says how Azure's differ.

Two numbers per stage: wall-clock messages per minute of this process on this machine, and CPU
seconds per message of the whole process tree (the extraction fork server, LibreOffice,
ffmpeg and espeak-ng children included), which gives the rate of a 1-vCPU replica.

    .venv/bin/python -m bench.stage_throughput [--documents 4] [--record]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pymupdf

from bench.harness import migrated_database, services
from devtools.devhost.stack import Stack
from shared.container import Container
from shared.documents.service import create_document, request_ingest
from shared.settings import Settings
from shared.workers import run_drain

ROOT = Path(__file__).resolve().parents[1]
LECTURE = ROOT.parent / "shared" / "corpus" / "chalmers-ai-lecture3.pdf"
RESULTS = ROOT / "bench" / "RESULTS.md"
STAGES = ("ingest.request", "ai.request", "media.request")
#: Tunables that decide the work per message; the rest of app-settings.json is for Azure services.
TUNED = ("DRAIN_CONCURRENCY", "VIDEO_WIDTH", "VIDEO_HEIGHT", "VIDEO_FPS", "VIDEO_CRF", "VIDEO_PRESET", "AUDIO_BITRATE")
TUNED += ("MEDIA_MAX_SLIDES", "OCR_DPI", "EXTRACT_MAX_PAGES", "AI_CHUNK_TOKENS")


@dataclass(frozen=True)
class StageRun:
    stream: str
    document: str
    messages: int
    wall_s: float
    cpu_s: float

    @property
    def per_minute(self) -> float:
        return 60 * self.messages / self.wall_s

    @property
    def cpu_per_message(self) -> float:
        return self.cpu_s / self.messages

    @property
    def per_minute_one_vcpu(self) -> float:
        """CPU-bound rate of one vCPU; the wall rate on a shared machine says more about its load."""
        return 60 / self.cpu_per_message


def tree_cpu_seconds(root: int) -> float:
    """CPU time of a process and its live descendants, each with what its reaped children used."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it exited while we looked; its parent's reaped-children time has it
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(value) for value in fields[11:15]) / tick
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(times.get(pid, 0.0) for pid in tree)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=4)
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    data = _ten_pages()
    with services() as stack, migrated_database(stack) as url:
        container = Container(_settings(stack, url))
        container.blobs.ensure_containers()
        user_id = _user(container)
        _publish(container, user_id, data, 1)  # warm-up: fork server, LibreOffice-free path, fonts, caches
        for stream in STAGES:
            _drain_all(container, stream, 1)
        _publish(container, user_id, data, args.documents)
        runs = [_drain_all(container, stream, args.documents, "10 text pages") for stream in STAGES]
        # Scanned pages take the OCR path (Tesseract at OCR_DPI): ingest only, the rest is alike.
        _publish(container, user_id, _scanned(data), args.documents)
        runs.insert(1, _drain_all(container, "ingest.request", args.documents, "10 scanned pages (OCR)"))
        container.close()
    table = _report(runs, settings=_tuned())
    print(table)
    if args.record:
        with RESULTS.open("a") as results:
            results.write(table)


def _drain_all(container: Container, stream: str, expected: int, document: str = "warm-up") -> StageRun:
    started, cpu_before = time.perf_counter(), tree_cpu_seconds(os.getpid())
    acked = 0
    while acked < expected:
        # A drain finishes the batch it read whatever its budget; a short budget stops it from
        # blocking on an empty stream once the batch is done, so the wall clock is the work's.
        report = run_drain(container, stream, budget_s=0.05)
        if report.dead or report.retried:
            raise RuntimeError(f"{stream}: {report}")
        acked += report.acked
        if time.perf_counter() - started > 900:
            raise RuntimeError(f"{stream}: {acked} of {expected} after 900 s")
    wall = time.perf_counter() - started
    return StageRun(stream, document, expected, wall, tree_cpu_seconds(os.getpid()) - cpu_before)


def _publish(container: Container, user_id: uuid.UUID, data: bytes, count: int) -> None:
    for number in range(count):
        with container.db.connection() as conn:
            row = create_document(
                conn=conn,
                blobs=container.blobs,
                user_id=user_id,
                title=f"Lecture {number}",
                filename="lecture.pdf",
                kind="pdf",
                size=len(data),
                course_id=None,
                source="upload",
                data=data,
            )
            request_ingest(conn=conn, publisher=container.publisher, doc_id=row.id, user_id=user_id)


def _ten_pages() -> bytes:
    with pymupdf.open(LECTURE) as doc:  # type: ignore[no-untyped-call]  # pymupdf is partly annotated
        doc.select(list(range(10)))
        return bytes(doc.tobytes())


def _scanned(data: bytes) -> bytes:
    """The same pages as images only (150 dpi greyscale), as a scanner makes them."""
    with pymupdf.open(stream=data, filetype="pdf") as text, pymupdf.open() as scan:  # type: ignore[no-untyped-call]
        for page in text:
            image = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
            scan.new_page(width=page.rect.width, height=page.rect.height).insert_image(
                page.rect, stream=image.tobytes("jpeg", jpg_quality=75)
            )
        return bytes(scan.tobytes())


def _tuned() -> dict[str, str]:
    document = json.loads((ROOT / "infra-bicep" / "app-settings.json").read_text())
    return {item["name"]: item["value"] for item in document["settings"] if item["name"] in TUNED}


def _settings(stack: Stack, url: str) -> Settings:
    tessdata = sorted(Path("/usr/share/tesseract-ocr").glob("*/tessdata"))
    return Settings.model_validate(
        {
            **stack.environ(),
            **_tuned(),
            "POSTGRES_URL": url,
            "APP_ENV": "local",
            "AI_PROVIDER": "local",
            "TTS_PROVIDER": "espeak",
            "STREAM_PREFIX": f"bench{uuid.uuid4().hex[:8]}:",
            "LOG_LEVEL": "WARNING",
            **({"TESSDATA_PREFIX": str(tessdata[0])} if tessdata else {}),
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


def _report(runs: list[StageRun], *, settings: dict[str, str]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    tuned = ", ".join(f"{name}={value}" for name, value in settings.items())
    lines = [
        "",
        f"## Stage throughput per replica ({when})",
        "",
        f"Command: `.venv/bin/python -m bench.stage_throughput --documents {runs[0].messages} --record`. "
        f"Machine: {os.cpu_count()} cores shared with other work, CPython {platform.python_version()}; "
        "Postgres, Redis and Azurite on loopback; one process drains one stream at a time with the real "
        "handlers (local generator, espeak-ng); a document is the first 10 pages of "
        "`chalmers-ai-lecture3.pdf`, as text and as a scan. "
        f"Deployed tunables: {tuned}. CPU is the whole process tree's "
        "(fork server, ffmpeg, espeak-ng children included); a 1-vCPU replica's rate is "
        "60 / CPU-seconds per message (every stage here is CPU-bound; the wall rate depends on the "
        f"machine's load, {os.getloadavg()[0]:.1f} at the end of this run).",
        "",
        "| stream | document | messages | wall s | messages/min (this process, 2 cores) | CPU s/message"
        " | messages/min per 1-vCPU replica |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.stream} | {run.document} | {run.messages} | {run.wall_s:.1f} | {run.per_minute:.1f} | "
            f"{run.cpu_per_message:.2f} | {run.per_minute_one_vcpu:.1f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
