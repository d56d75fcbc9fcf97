"""What the extraction sandbox's confinement costs: the same files through the confined fork server
(the app's) and through an unconfined one (`bench/unconfined_server.py`), interleaved in one run.

    .venv/bin/python -m bench.sandbox_bench [--repeats 7] [--record]

Per file: median wall time of `run_extraction` (legacy files: `convert_legacy` then extraction) for
each server, and the ratio confined / unconfined. The ratio is what counts on a shared machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from shared.documents.extract import sandbox
from shared.documents.extract.forkserver import ForkServer
from shared.documents.extract.sandbox import SandboxLimits, run_extraction
from shared.documents.ingest.legacy import convert_legacy

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FILES = [
    ("chalmers-ai-lecture3.pdf", "pdf"),
    ("markitdown-test.docx", "docx"),
    ("udl-cm20315-08-performance.pptx", "pptx"),
    ("legacy-sample.doc", "doc"),
]
SERVERS = {"confined": "shared.documents.extract.server", "unconfined": "bench.unconfined_server"}


def _one(data: bytes, kind: str) -> float:
    started = time.perf_counter()
    if kind == "doc":
        data, kind = convert_legacy(data, kind=kind, binary="soffice", timeout_s=120)
    run_extraction(data, kind=kind, limits=SandboxLimits())
    return time.perf_counter() - started


def _use(servers: dict[str, ForkServer], name: str) -> None:
    sandbox._server = servers[name]  # the module's one server, swapped per measurement


def measure(repeats: int) -> list[tuple[str, float, float]]:
    environ = sandbox._environment()
    servers = {name: ForkServer(environ, module=module) for name, module in SERVERS.items()}
    rows = []
    for name, kind in FILES:
        data = (CORPUS / name).read_bytes()
        times: dict[str, list[float]] = {"confined": [], "unconfined": []}
        for server in SERVERS:  # warm both servers and this file's code paths
            _use(servers, server)
            _one(data, kind)
        for _ in range(repeats):
            for server in SERVERS:
                _use(servers, server)
                times[server].append(_one(data, kind))
        rows.append((name, statistics.median(times["confined"]), statistics.median(times["unconfined"])))
    _use(servers, "confined")
    isolation = servers["confined"].isolation()
    print(f"confined server: {isolation.as_dict()}")
    return rows


def table(rows: list[tuple[str, float, float]], repeats: int) -> str:
    lines = [
        f"## Extraction sandbox confinement cost ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Command: `.venv/bin/python -m bench.sandbox_bench --repeats {repeats}`. Same files through the"
        " confined fork server (own network namespace, no privilege, empty environment) and an unconfined"
        " one, interleaved; median wall time of extraction (legacy: LibreOffice conversion + extraction).",
        "",
        "| file | confined, ms | unconfined, ms | ratio confined/unconfined |",
        "|---|---|---|---|",
    ]
    for name, confined, unconfined in rows:
        lines.append(f"| {name} | {confined * 1000:.0f} | {unconfined * 1000:.0f} | {confined / unconfined:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    text = table(measure(args.repeats), args.repeats)
    print(text)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a") as results:
            results.write("\n" + text)


if __name__ == "__main__":
    main()
