"""One PDF page read into lines, tables and images (positions kept for ordering and headings)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pymupdf

from shared.documents.extract.base import clean_text
from shared.documents.extract.pdf_tables import PageTable, find_page_tables, inside_any

TEXT_FLAGS = (
    pymupdf.TEXT_PRESERVE_LIGATURES
    | pymupdf.TEXT_PRESERVE_WHITESPACE
    | pymupdf.TEXT_MEDIABOX_CLIP
    | pymupdf.TEXT_DEHYPHENATE
)
BOLD_FLAG = 16
MONO_FLAG = 8
#: Typewriter fonts whose files do not set the fixed-pitch flag (Latin Modern, cm-super, Courier...).
MONO_FONT = re.compile(r"mono|courier|typewriter|consol|(?:^|\+)(?:cm|sf|ec)tt\d", re.IGNORECASE)


@dataclass
class Line:
    text: str
    size: float
    bold: bool
    bbox: tuple[float, float, float, float]
    block: int
    heading: int = 0  # the heading level, once classified
    code: bool = False  # set wholly in a typewriter font
    #: The line cut where its spans leave a gap (table cells that MuPDF put on one line).
    pieces: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)


@dataclass
class PageImage:
    xref: int
    bbox: tuple[float, float, float, float]


@dataclass
class PageContent:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    images: list[PageImage] = field(default_factory=list)
    ocr: bool = False


def read_lines(text_dict: dict[str, Any]) -> list[Line]:
    lines: list[Line] = []
    for number, block in enumerate(text_dict.get("blocks", [])):
        seen: set[tuple[str, int, int]] = set()
        for raw in block.get("lines", []):
            line = _line(raw, number, seen)
            if line is not None and not _is_shadow(lines, line):
                lines.append(line)
    return lines


def _line(raw: dict[str, Any], block: int, seen: set[tuple[str, int, int]]) -> Line | None:
    spans = []
    for span in raw.get("spans", []):
        key = (span.get("text", ""), round(span["bbox"][0]), round(span["bbox"][1]))
        if key[0] and key not in seen:  # slide decks can repeat a span in two overlapping lines
            seen.add(key)
            spans.append(span)
    text = clean_text("".join(s["text"] for s in spans)).strip()
    if not text:
        return None
    main = max(spans, key=lambda s: len(s["text"].strip()))
    visible = [s for s in spans if s["text"].strip()]
    bold = all(s["flags"] & BOLD_FLAG or "bold" in s["font"].lower() for s in visible)
    size = round(float(main["size"]), 1)
    code = all(s["flags"] & MONO_FLAG or MONO_FONT.search(s["font"]) for s in visible)
    return Line(text, size, bold, tuple(raw["bbox"]), block, code=code, pieces=_pieces(spans, size))


def _pieces(spans: list[dict[str, Any]], size: float) -> list[tuple[str, tuple[float, float, float, float]]]:
    pieces: list[tuple[str, tuple[float, float, float, float]]] = []
    for span in spans:
        x0, y0, x1, y1 = span["bbox"]
        if pieces and x0 - pieces[-1][1][2] < 0.6 * size:
            text, (a, b, _, d) = pieces[-1]
            pieces[-1] = (text + span["text"], (a, min(b, y0), x1, max(d, y1)))
        else:
            pieces.append((span["text"], (x0, y0, x1, y1)))
    return [(clean_text(t).strip(), box) for t, box in pieces if clean_text(t).strip()]


def _is_shadow(lines: list[Line], line: Line) -> bool:
    """Slides often draw a title twice (text plus its shadow): keep one copy."""
    for prior in lines[-3:]:
        near = abs(prior.bbox[1] - line.bbox[1]) < line.size and abs(prior.bbox[0] - line.bbox[0]) < line.size
        if prior.text == line.text and near:
            return True
    return False


def read_page(page: pymupdf.Page, *, text_dict: dict[str, Any], ocr: bool = False) -> PageContent:
    """`ocr`: the text was read by OCR from the page's scan. The scan is then no picture that text sits
    on, and the text layer's fixed-pitch font says nothing of the type on the page."""
    content = PageContent(number=page.number + 1, height=float(page.rect.height))
    lines = read_lines(text_dict)
    listed = [] if ocr else page.get_images(full=True)
    if listed:
        content.images = _placed_images(page, listed)
    pieces = [piece for ln in lines for piece in ln.pieces]
    code = set() if ocr else {box for ln in lines if ln.code for _, box in ln.pieces}
    content.tables = find_page_tables(page, pieces, pictures=[image.bbox for image in content.images], code=code)
    content.lines = [ln for ln in lines if not inside_any(ln.bbox, [t.bbox for t in content.tables])]
    return content


def _placed_images(page: pymupdf.Page, listed: list[tuple[Any, ...]]) -> list[PageImage]:
    """Images with their positions. `get_image_info(xrefs=True)` hashes every image (slow), so
    positions are matched to xrefs by pixel size, asking MuPDF only when sizes are ambiguous."""
    by_size: dict[tuple[int, int], list[int]] = {}
    for item in listed:
        by_size.setdefault((int(item[2]), int(item[3])), []).append(int(item[0]))
    placed: list[PageImage] = []
    for info in page.get_image_info():
        xrefs = by_size.get((int(info["width"]), int(info["height"])), [])
        if len(xrefs) == 1:
            placed.append(PageImage(xrefs[0], tuple(info["bbox"])))
    ambiguous = [x for xrefs in by_size.values() if len(xrefs) > 1 for x in xrefs]
    for xref in ambiguous:
        placed.extend(PageImage(xref, tuple(rect)) for rect in page.get_image_rects(xref))
    return placed
