"""Paragraph styles and numbering of a DOCX: which style is a heading, which paragraph a list item."""

from __future__ import annotations

import re
from typing import Any

from shared.documents.extract.ooxml import W

_HEADING = re.compile(r"^heading\s*(\d)$", re.I)
_ORDERED = {"decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "decimalZero"}


class Styles:
    def __init__(self, document: Any) -> None:
        self._levels: dict[str, int] = {}
        self._style_num: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for style in document.styles.element.iterchildren(f"{W}style"):
            self._read_style(style)
        self._formats = _numbering_formats(document)

    def _read_style(self, style: Any) -> None:
        style_id = style.get(f"{W}styleId") or ""
        name_el = style.find(f"{W}name")
        name = (name_el.get(f"{W}val") if name_el is not None else "") or ""
        self._names[style_id] = name.lower()
        match = _HEADING.match(name.strip())
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        if match:
            self._levels[style_id] = min(int(match.group(1)), 6)
        elif name.lower() == "title":
            self._levels[style_id] = 1
        elif outline is not None and (outline.get(f"{W}val") or "9").isdigit() and int(outline.get(f"{W}val")) < 6:
            self._levels[style_id] = int(outline.get(f"{W}val")) + 1
        num = style.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is not None:
            self._style_num[style_id] = num.get(f"{W}val") or ""

    def heading_level(self, style_id: str) -> int:
        return self._levels.get(style_id, 0)

    def paragraph_props(self, p: Any) -> tuple[str, str | None, int]:
        ppr = p.find(f"{W}pPr")
        if ppr is None:
            return "", None, 0
        style = ppr.find(f"{W}pStyle")
        style_id = (style.get(f"{W}val") if style is not None else "") or ""
        num = ppr.find(f"{W}numPr/{W}numId")
        lvl = ppr.find(f"{W}numPr/{W}ilvl")
        num_id = num.get(f"{W}val") if num is not None else self._style_num.get(style_id)
        ilvl = int(lvl.get(f"{W}val") or 0) if lvl is not None else 0
        return style_id, num_id, ilvl

    def list_marker(self, style_id: str, num_id: str | None, ilvl: int) -> str | None:
        if num_id is None or num_id == "0":
            name = self._names.get(style_id, "")
            if "list bullet" in name:
                return "-"
            return "1." if "list number" in name else None
        return "1." if self._formats.get((num_id, ilvl)) in _ORDERED else "-"


def _numbering_formats(document: Any) -> dict[tuple[str, int], str]:
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for node in numbering.iterchildren(f"{W}abstractNum"):
        levels = {}
        for lvl in node.iterchildren(f"{W}lvl"):
            fmt = lvl.find(f"{W}numFmt")
            levels[int(lvl.get(f"{W}ilvl") or 0)] = (fmt.get(f"{W}val") if fmt is not None else "") or ""
        abstract[node.get(f"{W}abstractNumId") or ""] = levels
    formats: dict[tuple[str, int], str] = {}
    for num in numbering.iterchildren(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        levels = abstract.get((ref.get(f"{W}val") if ref is not None else "") or "", {})
        for ilvl, fmt in levels.items():
            formats[(num.get(f"{W}numId") or "", ilvl)] = fmt
    return formats
