"""Reads `derived/{user}/{doc}/slides.md` (the AI stage's Marp-style deck) into narration scripts.

One slide per line `---`; `# Title`; `- bullet` lines; `<small>Source: Section, p. N</small>`;
narration in `<!-- narration: ... -->`. Plain paragraphs count as narration when no comment is there.
"""

from __future__ import annotations

import re

from shared.media.contracts import SlideScript
from shared.platform.markdown_text import plain_text

_SEPARATOR = re.compile(r"^---\s*$", re.MULTILINE)
_NARRATION = re.compile(r"<!--\s*narration:(.*?)-->", re.DOTALL | re.IGNORECASE)
_PAGE = re.compile(r"\bp(?:age|\.)\s*(\d+)", re.IGNORECASE)
_SOURCE = re.compile(r"^(?:<small>)?\s*Source:.*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_TAGS = re.compile(r"</?(?:small|b|i|em|strong|span|br|u|sub|sup|mark)\b[^>]*>", re.IGNORECASE)


def parse_slides(markdown: str) -> list[SlideScript]:
    """Every slide with a title or any text; numbered from 1 in deck order."""
    slides: list[SlideScript] = []
    for chunk in _SEPARATOR.split(markdown):
        slide = _slide(chunk, index=len(slides) + 1)
        if slide is not None:
            slides.append(slide)
    return slides


def _slide(chunk: str, *, index: int) -> SlideScript | None:
    narrations = [" ".join(plain_text(m).split()) for m in _NARRATION.findall(chunk)]
    body = _NARRATION.sub("", chunk)
    title, bullets, paragraphs, page = "", [], [], None
    for line in (raw.strip() for raw in body.splitlines()):
        if not line:
            continue
        if _SOURCE.match(line):
            found = _PAGE.search(line)
            page = int(found.group(1)) if found else page
        elif (heading := _HEADING.match(line)) and not title:
            title = _clean(heading.group(1))
        elif bullet := _BULLET.match(line):
            bullets.append(_clean(bullet.group(1)))
        else:
            paragraphs.append(_clean(line))
    narration = " ".join(narrations) or " ".join(paragraphs)
    if not (title or bullets or narration):
        return None
    title = title or (bullets[0] if bullets else f"Slide {index}")
    return SlideScript(index=index, title=title, bullets=bullets, narration=narration, source_page=page)


def _clean(text: str) -> str:
    return " ".join(plain_text(_TAGS.sub("", text)).replace("**", "").replace("__", "").split())
