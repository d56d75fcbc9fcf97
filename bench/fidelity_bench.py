"""Fidelity benchmark: tables, reading order and headings against a ground truth, every tool in one run.

The truth comes from `fidelity_docs` (PDFs drawn with known tables, columns, side boxes, captions,
footnotes and headings). Ours runs as the worker runs it (sandboxed); beside it MarkItDown,
pymupdf4llm and PyMuPDF's `find_tables()` on every page (tables only). Then real files: LaTeX
manuals from Debian's `texlive-latex-recommended-doc` with their tables transcribed by hand
(`fidelity_real`), and the speed check over the shared corpus: ours against the plain
`page.get_text()` floor and `find_tables()` on every page, CPU seconds in the same run.

    .venv/bin/python bench/fidelity_bench.py [--append bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pymupdf  # noqa: E402
from fidelity_docs import Truth, documents  # noqa: E402
from fidelity_real import real_files  # noqa: E402
from fidelity_score import Relation, Tally, markdown_tables, relations  # noqa: E402
from ingest_bench import CORPUS, ours_rendered, plain_text_cpu  # noqa: E402
from ingest_reference import markdown_headings  # noqa: E402

from shared.documents.settings import DocumentsSettings  # noqa: E402

TOOLS = ("ours", "markitdown", "pymupdf4llm", "find_tables")
Output = tuple[str | None, list[list[list[str]]]]  # (Markdown, or None for tables only; tables)


def run_ours(path: Path) -> tuple[Output, float]:
    rendered, _, cpu = ours_rendered(path, DocumentsSettings.model_validate({}))
    return (rendered.markdown, markdown_tables(rendered.markdown)), cpu


def run_markitdown(path: Path) -> tuple[Output, float]:
    from markitdown import MarkItDown

    cpu = time.process_time()
    text = MarkItDown().convert(str(path)).text_content
    return (text, markdown_tables(text)), time.process_time() - cpu


def run_pymupdf4llm(path: Path) -> tuple[Output, float]:
    import pymupdf4llm

    cpu = time.process_time()
    text = pymupdf4llm.to_markdown(str(path), write_images=False, show_progress=False)
    return (text, markdown_tables(text)), time.process_time() - cpu


def run_find_tables(path: Path) -> tuple[Output, float]:
    cpu = time.process_time()
    tables: list[list[list[str]]] = []
    with pymupdf.open(path) as doc:
        for page in doc:
            for table in page.find_tables().tables:
                tables.append([[" ".join((c or "").split()) for c in row] for row in table.extract()])
    return (None, tables), time.process_time() - cpu


RUNNERS: dict[str, Callable[[Path], tuple[Output, float]]] = {
    "ours": run_ours,
    "markitdown": run_markitdown,
    "pymupdf4llm": run_pymupdf4llm,
    "find_tables": run_find_tables,
}


def kind_recall(truths: list[Truth], found: dict[str, list[Counter[Relation]]]) -> dict[str, float]:
    """Cell recall of ours by kind of table (found tables cannot be told apart by kind, truth can)."""
    shared: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for truth in truths:
        pool = sum(found[truth.name], Counter[Relation]())
        for table in truth.tables:
            rel = relations(table.rows)
            total[table.kind] += sum(rel.values())
            shared[table.kind] += sum((rel & pool).values())
    return {kind: shared[kind] / total[kind] for kind in sorted(total)}


def fidelity(folder: Path) -> list[str]:
    tallies = {name: Tally() for name in TOOLS}
    cpu = dict.fromkeys(TOOLS, 0.0)
    pages = 0
    ours_found: dict[str, list[Counter[Relation]]] = {}
    truths = []
    for data, truth in documents():
        path = folder / f"{truth.name}.pdf"
        path.write_bytes(data)
        truths.append(truth)
        with pymupdf.open(path) as doc:
            pages += doc.page_count
        for name in TOOLS:
            (markdown, tables), seconds = RUNNERS[name](path)
            cpu[name] += seconds
            tally = tallies[name]
            tally.add_tables([t.rows for t in truth.tables], tables)
            if markdown is not None:
                tally.add_text(truth.sentences, markdown)
                tally.add_headings(truth.headings, markdown_headings(markdown))
            if name == "ours":
                ours_found[truth.name] = [relations(t) for t in tables]
    out = [
        f"Ground truth: {len(truths)} generated PDFs, {pages} pages, {sum(len(t.tables) for t in truths)} tables"
        f" ({', '.join(f'{n} {k}' for k, n in sorted(Counter(t.kind for x in truths for t in x.tables).items()))}),"
        f" {sum(len(t.headings) for t in truths)} headings, {sum(len(t.sentences) for t in truths)} sentences.",
        "",
        "| tool | cell precision | cell recall | table precision | table recall | reading order"
        " | heading precision | heading recall | CPU s | pages per CPU-s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in TOOLS:
        scores = tallies[name].scores()
        cells = " | ".join("n/a" if v is None else f"{v:.3f}" for v in scores.values())
        out.append(f"| {name} | {cells} | {cpu[name]:.2f} | {pages / max(cpu[name], 1e-9):.0f} |")
    by_kind = ", ".join(f"{kind} {value:.3f}" for kind, value in kind_recall(truths, ours_found).items())
    out += ["", f"Ours, cell recall by kind of table: {by_kind}."]
    return out


def real_tables() -> list[str]:
    """Tables of real LaTeX manuals (transcribed by hand), every tool; skipped when Debian's package is absent."""
    found = real_files()
    if not found:
        return ["Real manuals: `texlive-latex-recommended-doc` is not installed here; skipped."]
    tallies = {name: Tally() for name in TOOLS}
    cpu = dict.fromkeys(TOOLS, 0.0)
    pages = 0
    for path, truth in found:
        with pymupdf.open(path) as doc:
            pages += doc.page_count
        for name in TOOLS:
            (_, tables), seconds = RUNNERS[name](path)
            cpu[name] += seconds
            tallies[name].add_tables(truth, tables)
    out = [
        f"Real manuals ({', '.join(p.name for p, _ in found)}: {pages} pages,"
        f" {sum(len(t) for _, t in found)} tables transcribed by hand; no table on any other page):",
        "",
        "| tool | cell precision | cell recall | table precision | table recall | tables found | CPU s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in TOOLS:
        scores, tally = tallies[name].scores(), tallies[name]
        cells = " | ".join(
            "n/a" if scores[k] is None else f"{scores[k]:.3f}"
            for k in ("cell_precision", "cell_recall", "table_precision", "table_recall")
        )
        out.append(f"| {name} | {cells} | {tally.tables_found} | {cpu[name]:.2f} |")
    return out


def corpus_speed() -> list[str]:
    """Text PDFs of the shared corpus: ours (sandboxed) vs the `get_text()` floor vs `find_tables()` everywhere."""
    settings = DocumentsSettings.model_validate({})
    pages, ours_cpu, floor_cpu, tables_cpu = 0, 0.0, 0.0, 0.0
    rows = []
    for path in sorted(CORPUS.glob("*.pdf")):
        if "scanned" in path.name:
            continue
        rendered, _, cpu = ours_rendered(path, settings)
        floor = plain_text_cpu(path)
        (_, found), everywhere = run_find_tables(path)
        count = rendered.structure.page_count or 0
        pages, ours_cpu, floor_cpu, tables_cpu = (
            pages + count,
            ours_cpu + cpu,
            floor_cpu + floor,
            tables_cpu + everywhere,
        )
        ours_tables = len(markdown_tables(rendered.markdown))
        rows.append(
            f"| {path.name} | {count} | {cpu:.2f} | {floor:.2f} | {everywhere:.2f} | {ours_tables} | {len(found)} |"
        )
    return [
        "| corpus text PDF | pages | ours CPU s | `get_text()` CPU s | `find_tables()` everywhere CPU s"
        " | tables (ours) | tables (`find_tables()`) |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Corpus text PDFs: {pages} pages; ours **{pages / ours_cpu:.0f} pages per CPU-second**; plain `get_text()`"
        f" floor {pages / floor_cpu:.0f} (ours at {floor_cpu / ours_cpu:.2f}x the floor's speed);"
        f" `find_tables()` on every page alone {pages / tables_cpu:.0f} pages per CPU-second.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studyaid-fidelity-") as folder:
        lines = fidelity(Path(folder))
    lines += ["", *real_tables(), "", *corpus_speed()]
    text = "\n".join(lines)
    print(text)
    if args.append:
        with args.append.open("a") as handle:
            command = ".venv/bin/python bench/fidelity_bench.py --append bench/RESULTS.md"
            handle.write(
                f"\n## Ingestion fidelity (tables, reading order, headings)\n\n"
                f"Command: `{command}` ({time.strftime('%Y-%m-%d %H:%M')} UTC)\n\n{text}\n"
            )


if __name__ == "__main__":
    main()
