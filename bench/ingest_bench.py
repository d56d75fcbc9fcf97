"""Ingestion benchmark: this extractor (sandboxed, as the worker runs it) vs MarkItDown and pymupdf4llm.

Every file of ../shared/corpus in one run. Per file and in total: wall time, pages (slides) per
second, and fidelity counts read from each tool's Markdown (headings, table rows, images,
characters) plus, for ours, sections carrying a page number. Prints a Markdown table.

    .venv/bin/python bench/ingest_bench.py [--append bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

from shared.documents.pipeline import extract_document  # noqa: E402
from shared.documents.render import render  # noqa: E402
from shared.documents.settings import DocumentsSettings  # noqa: E402

_TABLE_SEP = re.compile(r"^\|?\s*:?-{3,}")


@dataclass
class Run:
    seconds: float
    headings: int
    table_rows: int
    images: int
    chars: int
    paged_sections: str = "-"


def counts(markdown: str, seconds: float, images: int | None = None) -> Run:
    lines = markdown.splitlines()
    headings = sum(1 for ln in lines if re.match(r"^#{1,6} \S", ln))
    rows = sum(1 for ln in lines if ln.startswith("|") and not _TABLE_SEP.match(ln))
    found = images if images is not None else markdown.count("![")
    return Run(seconds, headings, rows, found, len(markdown))


def ours(path: Path) -> tuple[Run, int | None]:
    settings = DocumentsSettings.model_validate({})
    start = time.perf_counter()
    extracted = extract_document(path.read_bytes(), filename=path.name, settings=settings)
    doc = uuid.uuid4()
    rendered = render(
        user_id=doc,
        doc_id=doc,
        title=path.stem,
        kind=extracted.kind,
        summary=extracted.result.summary,
        images=extracted.result.images,
    )
    seconds = time.perf_counter() - start
    run = counts(rendered.markdown, seconds, images=len(rendered.assets))
    sections = rendered.structure.sections
    run.paged_sections = f"{sum(1 for s in sections if s.source.page)}/{len(sections)}"
    return run, rendered.structure.page_count


def markitdown(path: Path) -> Run:
    from markitdown import MarkItDown

    start = time.perf_counter()
    text = MarkItDown().convert(str(path)).text_content
    return counts(text, time.perf_counter() - start)


def pymupdf4llm(path: Path) -> Run | None:
    if path.suffix != ".pdf":
        return None
    import pymupdf4llm as tool

    start = time.perf_counter()
    text = tool.to_markdown(str(path), write_images=False, show_progress=False)
    return counts(text, time.perf_counter() - start)


def safely(fn: Callable[[Path], Run | None], path: Path) -> Run | str | None:
    try:
        return fn(path)
    except Exception as exc:  # a peer failing on a file is a result, not a crash of the bench
        return f"error: {type(exc).__name__}"


def cell(run: Run | str | None, pages: int | None) -> str:
    if run is None:
        return "n/a"
    if isinstance(run, str):
        return run
    rate = f"{pages / run.seconds:.0f} p/s" if pages else "-"
    return f"{run.seconds:.2f}s · {rate} · H{run.headings} T{run.table_rows} I{run.images} C{run.chars} P{run.paged_sections}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", type=Path)
    args = parser.parse_args()
    rows, totals = [], {"ours": 0.0, "markitdown": 0.0, "pymupdf4llm": 0.0}
    text_pdf_pages, text_pdf_time = 0, 0.0
    for path in sorted(CORPUS.iterdir()):
        if path.suffix not in (".pdf", ".docx", ".pptx", ".doc", ".ppt"):
            continue
        mine, pages = ours(path)
        peer_md, peer_llm = safely(markitdown, path), safely(pymupdf4llm, path)
        totals["ours"] += mine.seconds
        for name, run in (("markitdown", peer_md), ("pymupdf4llm", peer_llm)):
            if isinstance(run, Run):
                totals[name] += run.seconds
        if path.suffix == ".pdf" and "scanned" not in path.name:
            text_pdf_pages, text_pdf_time = text_pdf_pages + (pages or 0), text_pdf_time + mine.seconds
        rows.append(
            f"| {path.name} | {pages or '-'} | {cell(mine, pages)} | {cell(peer_md, pages)} | {cell(peer_llm, pages)} |"
        )
    out = [
        "| file | pages | ours (sandboxed) | MarkItDown | pymupdf4llm |",
        "|---|---|---|---|---|",
        *rows,
        f"| **total** | | {totals['ours']:.2f}s | {totals['markitdown']:.2f}s | {totals['pymupdf4llm']:.2f}s (PDFs only) |",
        "",
        f"Text PDFs (ours, sandboxed, incl. child start-up): {text_pdf_pages} pages in {text_pdf_time:.2f}s"
        f" = {text_pdf_pages / text_pdf_time:.0f} pages/s.",
        "Counts: H headings, T table rows, I images written, C characters of Markdown, P sections with a page number.",
    ]
    text = "\n".join(out)
    print(text)
    if args.append:
        with args.append.open("a") as handle:
            handle.write(
                "\n## Ingestion (documents)\n\nCommand: `.venv/bin/python bench/ingest_bench.py --append bench/RESULTS.md`"
                f" (2 cores, {time.strftime('%Y-%m-%d')})\n\n{text}\n"
            )


if __name__ == "__main__":
    main()
