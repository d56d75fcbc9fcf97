"""Ingestion benchmark: this extractor (sandboxed, as the worker runs it) vs MarkItDown and pymupdf4llm.

Every file of ../shared/corpus in one run. Per file and in total: wall time, CPU time, pages (slides)
per CPU-second, and fidelity counts read from each tool's Markdown (headings, table rows, images,
characters) plus, for ours, sections carrying a page number. CPU time is reported beside wall time
because the 2-core machine is shared: wall time there measures the neighbours as much as the code.
Ours counts the worker's CPU, the sandboxed child's (reported by the child) and LibreOffice's.

    .venv/bin/python bench/ingest_bench.py [--append bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

from shared.documents.ingest.pipeline import extract_document  # noqa: E402
from shared.documents.ingest.render import Rendered, render  # noqa: E402
from shared.documents.settings import DocumentsSettings  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from ingest_reference import reference_headings, score  # noqa: E402

REFERENCE: dict[str, list[str] | None] = {}

_TABLE_SEP = re.compile(r"^\|?\s*:?-{3,}")
PEERS = ("markitdown", "pymupdf4llm")


@dataclass
class Run:
    wall: float
    cpu: float
    headings: int
    table_rows: int
    images: int
    chars: int
    paged: str = "-"
    match: str = "-"


def counts(markdown: str, wall: float, cpu: float, images: int | None = None) -> Run:
    lines = markdown.splitlines()
    headings = sum(1 for ln in lines if re.match(r"^#{1,6} \S", ln))
    rows = sum(1 for ln in lines if ln.startswith("|") and not _TABLE_SEP.match(ln))
    found = images if images is not None else markdown.count("![")
    return Run(wall, cpu, headings, rows, found, len(markdown), match=score(markdown, REFERENCE.get("current")))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ours_rendered(path: Path, settings: DocumentsSettings) -> tuple[Rendered, float, float]:
    """The pipeline as the worker runs it: (rendered output, wall seconds, CPU seconds of every process)."""
    wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    extracted = extract_document(path.read_bytes(), filename=path.name, settings=settings)
    doc = uuid.uuid4()
    rendered = render(
        user_id=doc,
        doc_id=doc,
        title=path.stem,
        kind=extracted.kind,
        summary=extracted.result.summary,
        images=extracted.result.images,
        media_address=lambda path: f"media/{path}",
    )
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu + _children_cpu() - children + float(extracted.result.summary["cpu_s"])
    return rendered, wall, cpu


def ours(path: Path, settings: DocumentsSettings) -> tuple[Run, int | None]:
    rendered, wall, cpu = ours_rendered(path, settings)
    run = counts(rendered.markdown, wall, cpu, images=len(rendered.assets))
    sections = rendered.structure.sections
    run.paged = f"{sum(1 for s in sections if s.source.page)}/{len(sections)}"
    return run, rendered.structure.page_count


def plain_text_cpu(path: Path) -> float:
    """CPU seconds of PyMuPDF's unstructured `page.get_text()` over the file: the speed floor."""
    import pymupdf

    cpu = time.process_time()
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text()
    return time.process_time() - cpu


def markitdown(path: Path) -> Run:
    from markitdown import MarkItDown

    wall, cpu = time.perf_counter(), time.process_time()
    text = MarkItDown().convert(str(path)).text_content
    return counts(text, time.perf_counter() - wall, time.process_time() - cpu)


def pymupdf4llm(path: Path) -> Run | None:
    if path.suffix != ".pdf":
        return None
    import pymupdf4llm as tool

    wall, cpu = time.perf_counter(), time.process_time()
    text = tool.to_markdown(str(path), write_images=False, show_progress=False)
    return counts(text, time.perf_counter() - wall, time.process_time() - cpu)


def safely(fn: Callable[[Path], Run | None], path: Path) -> Run | str | None:
    try:
        return fn(path)
    except Exception as exc:  # a peer failing on a file is a result, not a crash of the bench
        return f"error: {type(exc).__name__}"


def cell(run: Run | str | None, pages: int | None) -> str:
    if run is None or isinstance(run, str):
        return run or "n/a"
    rate = f"{pages / run.cpu:.0f} p/cpu-s" if pages else "-"
    counted = f"H{run.headings} R{run.match} T{run.table_rows} I{run.images} C{run.chars} P{run.paged}"
    return f"{run.wall:.2f}s wall, {run.cpu:.2f}s cpu, {rate}; {counted}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", type=Path)
    parser.add_argument("--only", default="", help="only files whose name contains this")
    parser.add_argument("--no-peers", action="store_true", help="skip MarkItDown and pymupdf4llm (quick look)")
    args = parser.parse_args()
    settings = DocumentsSettings.model_validate({})
    rows: list[str] = []
    totals = {name: [0.0, 0.0] for name in ("ours", *PEERS)}
    text_pdf = [0, 0.0, 0.0]
    floor_cpu = 0.0
    for path in sorted(CORPUS.iterdir()):
        if path.suffix not in (".pdf", ".docx", ".pptx", ".doc", ".ppt") or args.only not in path.name:
            continue
        REFERENCE["current"] = reference_headings(path)
        mine, pages = ours(path, settings)
        peers: dict[str, Run | str | None] = {"markitdown": None, "pymupdf4llm": None}
        if not args.no_peers:
            peers = {"markitdown": safely(markitdown, path), "pymupdf4llm": safely(pymupdf4llm, path)}
        for name, run in (("ours", mine), *peers.items()):
            if isinstance(run, Run):
                totals[name][0] += run.wall
                totals[name][1] += run.cpu
        if path.suffix == ".pdf" and "scanned" not in path.name:
            text_pdf = [text_pdf[0] + (pages or 0), text_pdf[1] + mine.cpu, text_pdf[2] + mine.wall]
            floor_cpu += plain_text_cpu(path)
        cells = [cell(mine, pages), cell(peers["markitdown"], pages), cell(peers["pymupdf4llm"], pages)]
        rows.append(f"| {path.name} | {pages or '-'} | " + " | ".join(cells) + " |")
    total = " | ".join(f"{w:.2f}s wall, {c:.2f}s cpu" for w, c in totals.values())
    out = [
        "| file | pages | ours (sandboxed) | MarkItDown | pymupdf4llm (PDF only) |",
        "|---|---|---|---|---|",
        *rows,
        f"| **total** | | {total} |",
        "",
        f"Text PDFs, ours: {text_pdf[0]} pages, {text_pdf[1]:.2f}s cpu = **{text_pdf[0] / text_pdf[1]:.0f} pages per"
        f" cpu-second** ({text_pdf[0] / text_pdf[2]:.0f} pages per wall-second on the shared machine); PyMuPDF's"
        f" plain `page.get_text()` floor: {text_pdf[0] / max(floor_cpu, 1e-9):.0f} pages per cpu-second.",
        "H headings; R reference headings (PDF outline, DOCX heading styles, PPTX slide titles) found as"
        " headings, with the share of all emitted headings that are reference headings; T table rows;"
        " I images written; C characters of Markdown; P sections with a page number.",
    ]
    text = "\n".join(out)
    print(text)
    if args.append:
        with args.append.open("a") as handle:
            command = ".venv/bin/python bench/ingest_bench.py --append bench/RESULTS.md"
            handle.write(
                f"\n## Ingestion (documents)\n\nCommand: `{command}` ({time.strftime('%Y-%m-%d %H:%M')})\n\n{text}\n"
            )


if __name__ == "__main__":
    main()
