"""Split long section text into passages, so each hit's snippet comes from a short text.

`ts_headline` parses the whole text it is given (a 400 KB section costs ~250 ms to
highlight, a 1000-character passage ~0.3 ms); passages of a bounded size keep every snippet
cheap and put the highlighted words near the hit. Paragraphs stay whole when they fit; longer ones break at spaces.
"""

from __future__ import annotations

from collections.abc import Iterator

PASSAGE_CHARS = 1000


def passages(text: str, *, limit: int = PASSAGE_CHARS) -> list[str]:
    """`text` as consecutive passages of at most `limit` characters (at least one, maybe empty)."""
    found: list[str] = []
    current: list[str] = []
    size = 0
    for piece in _pieces(text, limit):
        if current and size + len(piece) + 1 > limit:
            found.append("\n".join(current))
            current, size = [], 0
        current.append(piece)
        size += len(piece) + 1
    if current or not found:
        found.append("\n".join(current))
    return found


def _pieces(text: str, limit: int) -> Iterator[str]:
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        while len(paragraph) > limit:
            cut = paragraph.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            yield paragraph[:cut].rstrip()
            paragraph = paragraph[cut:].lstrip()
        if paragraph:
            yield paragraph
