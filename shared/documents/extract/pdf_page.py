"""One PDF page read into lines, tables and images (positions kept for ordering and headings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pymupdf

from shared.documents.extract.base import clean_text
from shared.documents.extract.pdf_tables import PageTable, find_page_tables

TEXT_FLAGS = (
    pymupdf.TEXT_PRESERVE_LIGATURES
    | pymupdf.TEXT_PRESERVE_WHITESPACE
    | pymupdf.TEXT_MEDIABOX_CLIP
    | pymupdf.TEXT_DEHYPHENATE
)
BOLD_FLAG = 16


@dataclass
class Line:
    text: str
    size: float
    bold: bool
    bbox: tuple[float, float, float, float]
    block: int
    heading: int = 0  # the heading level, once classified


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
        for raw in block.get("lines", []):
            line = _line(raw, number)
            if line is not None and not _is_shadow(lines, line):
                lines.append(line)
    return lines


def _line(raw: dict[str, Any], block: int) -> Line | None:
    spans = [s for s in raw.get("spans", []) if s.get("text")]
    text = clean_text("".join(s["text"] for s in spans)).strip()
    if not text:
        return None
    main = max(spans, key=lambda s: len(s["text"].strip()))
    visible = [s for s in spans if s["text"].strip()]
    bold = all(s["flags"] & BOLD_FLAG or "bold" in s["font"].lower() for s in visible)
    return Line(text, round(float(main["size"]), 1), bold, tuple(raw["bbox"]), block)


def _is_shadow(lines: list[Line], line: Line) -> bool:
    """Slides often draw a title twice (text plus its shadow): keep one copy."""
    for prior in lines[-3:]:
        if prior.text == line.text and abs(prior.bbox[1] - line.bbox[1]) < line.size:
            return True
    return False


def read_page(page: pymupdf.Page, *, text_dict: dict[str, Any]) -> PageContent:
    content = PageContent(number=page.number + 1, height=float(page.rect.height))
    content.tables = find_page_tables(page)
    lines = read_lines(text_dict)
    content.lines = [ln for ln in lines if not _inside_any(ln.bbox, [t.bbox for t in content.tables])]
    if page.get_images():
        content.images = [
            PageImage(int(info["xref"]), tuple(info["bbox"]))
            for info in page.get_image_info(xrefs=True)
            if info.get("xref")
        ]
    return content


def _inside_any(bbox: tuple[float, float, float, float], regions: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in regions)
