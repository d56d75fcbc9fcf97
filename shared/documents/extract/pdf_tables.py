"""Tables on a PDF page. Fully ruled grids are read from their rules; tables without rules, or with
a rule under the header only, from the alignment of the text already read; `find_tables()`
(~0.2-0.5 s a page) runs only on a page whose rules look like a grid that neither of those read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pymupdf

from shared.documents.extract.base import clean_text
from shared.documents.extract.pdf_aligned import aligned_tables
from shared.documents.extract.pdf_grid import Box, grid_tables, looks_tabular
from shared.documents.extract.pdf_lookalikes import sparse

MIN_SAME_WIDTH_RULES = 5
MAX_PATH_ITEMS = 64
MIN_PICTURE = 4.0  # points a side: thinner images are rules


@dataclass
class PageTable:
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]


def find_page_tables(
    page: pymupdf.Page, lines: list[tuple[str, Box]], *, pictures: list[Box], code: set[Box]
) -> list[PageTable]:
    """`lines` are the page's text pieces (a line cut where its spans leave a gap); text in columns
    around a picture (a plot's tick labels, a colour bar's scale) is not a table, nor is text in
    columns set wholly in a typewriter font (`code`: the boxes of such pieces), which is source code."""
    ruled: list[PageTable] = []
    grid_unread = False
    if _may_have_rules(page):
        drawings = page.get_cdrawings()
        if _has_ruled_grid(drawings):
            grids = grid_tables(drawings, lines)
            ruled = [PageTable(bbox, rows) for bbox, rows in grids if not sparse(rows)]  # not a plot's grid
            grid_unread = not grids
    rest = [piece for piece in lines if not inside_any(piece[1], [t.bbox for t in ruled])]
    aligned = [
        PageTable(bbox, rows)
        for bbox, rows in aligned_tables(rest)
        if not _over_picture(bbox, pictures) and not _all_code(bbox, rest, code)
    ]
    if grid_unread and not aligned:
        return _found_tables(page)
    return sorted(ruled + aligned, key=lambda t: t.bbox[1])


def _found_tables(page: pymupdf.Page) -> list[PageTable]:
    tables: list[PageTable] = []
    for table in page.find_tables(use_layout=False).tables:
        rows = [[_cell(c) for c in row] for row in table.extract()]
        rows = [r for r in rows if any(r)]
        if not looks_tabular(rows) or sparse(rows):
            continue
        tables.append(PageTable(tuple(table.bbox), rows))
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
    return " ".join(clean_text(value or "").split())


def _over_picture(bbox: Box, pictures: list[Box]) -> bool:
    """A picture in the middle of the text, or under a quarter of it or more. Thin images are rules
    (some TeX drivers draw them as a one-pixel image stretched), not pictures."""
    area = max((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]), 1e-6)
    for x0, y0, x1, y1 in pictures:
        if x1 - x0 < MIN_PICTURE or y1 - y0 < MIN_PICTURE:
            continue
        overlap = max(0.0, min(x1, bbox[2]) - max(x0, bbox[0])) * max(0.0, min(y1, bbox[3]) - max(y0, bbox[1]))
        if overlap >= 0.25 * area or inside_any((x0, y0, x1, y1), [bbox]):
            return True
    return False


def _all_code(bbox: Box, pieces: list[tuple[str, Box]], code: set[Box]) -> bool:
    return all(box in code for _, box in pieces if inside_any(box, [bbox]))


def inside_any(bbox: Box, regions: list[Box]) -> bool:
    """Whether the centre of `bbox` lies in one of `regions`."""
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in regions)
