"""Tables on a PDF page. `find_tables()` costs ~0.2 s a page, so it runs only where ruling lines
form a grid-like pattern (several horizontal rules of the same width)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pymupdf

from shared.documents.extract.base import clean_text, to_markdown
from shared.documents.extract.pdf_grid import Box, grid_tables, looks_tabular

MIN_SAME_WIDTH_RULES = 5
MAX_PATH_ITEMS = 64


@dataclass
class PageTable:
    bbox: tuple[float, float, float, float]
    markdown: str
    rows: int


def find_page_tables(page: pymupdf.Page, lines: list[tuple[str, Box]]) -> list[PageTable]:
    """Fully ruled grids are read directly; other ruled tables go to `find_tables()`."""
    if not _may_have_rules(page):
        return []
    drawings = page.get_cdrawings()
    if not _has_ruled_grid(drawings):
        return []
    grids = grid_tables(drawings, lines)
    if grids:
        return [PageTable(bbox, to_markdown(rows), len(rows)) for bbox, rows in grids]
    return _found_tables(page)


def _found_tables(page: pymupdf.Page) -> list[PageTable]:
    tables: list[PageTable] = []
    for table in page.find_tables(use_layout=False).tables:
        rows = [[_cell(c) for c in row] for row in table.extract()]
        rows = [r for r in rows if any(r)]
        if not looks_tabular(rows):
            continue
        tables.append(PageTable(tuple(table.bbox), to_markdown(rows), len(rows)))
    return tables


def _may_have_rules(page: pymupdf.Page) -> bool:
    """Cheap pre-check on the page's content stream: enough line or rectangle operators to matter."""
    content: bytes = page.read_contents()
    return content.count(b" re") + content.count(b" l\n") + content.count(b" l ") >= MIN_SAME_WIDTH_RULES


def _has_ruled_grid(drawings: list[dict[str, Any]]) -> bool:
    widths: Counter[tuple[int, int]] = Counter()
    for path in drawings:
        items = path.get("items", ())
        if len(items) > MAX_PATH_ITEMS:
            continue  # vector artwork or outlined glyphs, not table rules
        for item in items:
            span = _horizontal_rule(item)
            if span is not None:
                widths[span] += 1
    return bool(widths) and widths.most_common(1)[0][1] >= MIN_SAME_WIDTH_RULES


def _horizontal_rule(item: tuple[Any, ...]) -> tuple[int, int] | None:
    if item[0] == "l":
        a, b = item[1], item[2]
        if abs(a[1] - b[1]) < 1 and abs(a[0] - b[0]) > 20:
            return (int(min(a[0], b[0])) // 4, int(max(a[0], b[0])) // 4)
    elif item[0] == "re":
        rect = pymupdf.Rect(item[1])
        if rect.height < 2 and rect.width > 20:
            return (int(rect.x0) // 4, int(rect.x1) // 4)
    return None


def _cell(value: str | None) -> str:
    return " ".join(clean_text(value or "").split()).replace("|", "\\|")
