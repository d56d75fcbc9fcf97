"""Which PDF lines are headings: the outline when the file has one, else font size and weight.

Running headers and footers (the same line in the page margin on many pages) are removed first.
"""

from __future__ import annotations

import re
from collections import Counter

from shared.documents.extract.pdf_page import Line, PageContent

MARGIN = 0.08
MAX_HEADING_CHARS = 160
_DIGITS = re.compile(r"\d+")
_NOT_A_TITLE = re.compile(r"^([ivxlcdm]+|[\d\W_]+)$", re.I)  # page numbers, roman or not
_WORDS = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    return _WORDS.sub("", text.lower())


def drop_furniture(pages: list[PageContent]) -> None:
    """Remove lines in the top/bottom margin that repeat on at least 40% of pages (3 or more)."""
    if len(pages) < 3:
        return
    small = body_size(pages) * 1.15  # running heads are small; a large line is a title even near the edge
    keys = Counter(key for page in pages for key in {_margin_key(page, ln, small) for ln in page.lines} if key)
    repeated = {k for k, n in keys.items() if n >= max(3, 0.4 * len(pages))}
    for page in pages:
        page.lines = [ln for ln in page.lines if _margin_key(page, ln, small) not in repeated]


def _margin_key(page: PageContent, line: Line, small: float) -> str | None:
    top, bottom = line.bbox[1], line.bbox[3]
    if line.size > small or (top > page.height * MARGIN and bottom < page.height * (1 - MARGIN)):
        return None
    return _DIGITS.sub("#", line.text.strip().lower())


def body_size(pages: list[PageContent]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def mark_font_headings(pages: list[PageContent]) -> None:
    """Large lines (>= 1.2x body) and short all-bold blocks become headings.

    Levels rank the heading sizes used inside the document; cover pages (first and last) often
    carry one-off giant type, which would otherwise push every real heading down the ranks.
    """
    body = body_size([p for p in pages if not p.ocr] or pages)
    inner = pages[1:-1] if len(pages) > 2 else pages
    ranked = sorted(
        {ln.size for p in inner if not p.ocr for ln in p.lines if ln.size >= body * 1.2 and _titleish(ln.text)},
        reverse=True,
    )
    bold_level = min(len(ranked) + 1, 6)
    ocr_repeats = Counter(ln.text.strip() for p in pages if p.ocr for ln in p.lines)
    for page in pages:
        levels: list[tuple[list[Line], int]] = []
        for block in _blocks(page.lines):
            text = " ".join(ln.text for ln in block)
            if page.ocr:  # OCR sizes are noisy and there is no weight: short capitalised lines only
                single = len(block) == 1 and ocr_repeats[block[0].text.strip()] == 1
                levels.append((block, bold_level if single and _looks_like_caps_title(text) else 0))
            else:
                levels.append((block, _block_level(block, body, ranked, bold_level)))
        _drop_side_by_side(levels, bold_level)
        for block, level in levels:
            for line in block:
                line.heading = level


def _drop_side_by_side(levels: list[tuple[list[Line], int]], bold_level: int) -> None:
    """Bold cells of one row (a table header) are not headings: headings do not sit side by side."""
    rows = Counter(round(block[0].bbox[1] / 3) for block, level in levels if level == bold_level)
    for index, (block, level) in enumerate(levels):
        if level == bold_level and rows[round(block[0].bbox[1] / 3)] > 1:
            levels[index] = (block, 0)


def _titleish(text: str) -> bool:
    return len(text) <= MAX_HEADING_CHARS and sum(ch.isalpha() for ch in text) >= 2


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks and blocks[-1][-1].block == line.block and blocks[-1][-1].size == line.size:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _block_level(block: list[Line], body: float, ranked: list[float], bold_level: int) -> int:
    text = " ".join(ln.text for ln in block)
    if len(block) > 4 or len(text) > MAX_HEADING_CHARS or sum(ch.isalpha() for ch in text) < 2:
        return 0
    if _NOT_A_TITLE.match(text.strip()):
        return 0
    size = block[0].size
    if size >= body * 1.2:
        return min(1 + sum(1 for r in ranked if r > size + 0.25), 5)
    if all(ln.bold for ln in block) and size >= body and len(block) <= 2 and len(text) <= 100:
        return bold_level if not text.rstrip().endswith((".", ",", ";")) else 0
    return 0


def _looks_like_caps_title(text: str) -> bool:
    words = text.split()
    letters = sum(ch.isalpha() for ch in text)
    return 1 <= len(words) <= 6 and letters >= 4 and text.isupper() and letters >= 0.7 * len(text.replace(" ", ""))


def mark_outline_headings(pages: list[PageContent], toc: list[list[object]]) -> list[tuple[int, int, str]]:
    """Mark the lines that show each outline entry; returns entries not found on their page."""
    missing: list[tuple[int, int, str]] = []
    for entry in toc:
        level, title, page_no = int(str(entry[0])), str(entry[1]), int(str(entry[2]))
        if not 1 <= page_no <= len(pages) or not _mark_title(pages[page_no - 1], title, min(level, 6)):
            missing.append((max(page_no, 1), min(level, 6), title.strip()))
    return missing


def _mark_title(page: PageContent, title: str, level: int) -> bool:
    wanted = normalise(title)
    if not wanted:
        return False
    for start, line in enumerate(page.lines):
        got = normalise(line.text)
        if line.heading or not got or not wanted.startswith(got):
            continue
        end = start
        while (
            got != wanted and end + 1 < len(page.lines) and wanted.startswith(got + normalise(page.lines[end + 1].text))
        ):
            end += 1
            got += normalise(page.lines[end].text)
        if got == wanted or len(got) >= 0.6 * len(wanted):
            for marked in page.lines[start : end + 1]:
                marked.heading = level
            return True
    return False
