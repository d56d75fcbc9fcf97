"""Text that lines up in columns without being a table: code, equations, lists, indexes, margin notes.

Each check looks at the cells a candidate table would have (header row first).
"""

from __future__ import annotations

import re
import unicodedata

MATH_SHARE = 0.04  # math symbols (=, +, ∂, ...) or unmapped glyphs past this share of the characters
_LABEL = re.compile(r"\[[^\]]{1,24}\]|\(?(\d{1,4}|[a-zA-Z]|[ivxlc]{1,6})[.):]|\d{1,5}")
_LINE_NUMBER = re.compile(r"(\d{1,5})(?:\s|$)")
_LEADER = re.compile(r"(\. ?){3,}")
_MATH_CATEGORIES = {"Sm", "Co"}  # math symbols; private-use glyphs of math fonts


def looks_like_something_else(cells: list[list[str]]) -> bool:
    checks = (sparse, _math, _labelled_list, _leaders, _listing, _margin_notes)
    return any(check(cells) for check in checks)


def sparse(cells: list[list[str]]) -> bool:
    """Indented code or a list with a stray aside, or the labels inside a plot's grid of rules: fewer
    than two columns filled in half the rows."""
    body = cells[1:]
    filled = sum(1 for j in range(len(cells[0])) if sum(1 for row in body if row[j]) * 2 >= len(body))
    return filled < 2


def _labelled_list(cells: list[list[str]]) -> bool:
    """A reference list, a numbered list with hanging indents or a listing with line numbers: labels
    (`[3]`, `4.`, `(b)`, `12`) then text, with no header."""
    return len(cells[0]) == 2 and all(_LABEL.fullmatch(row[0]) for row in cells)


def _listing(cells: list[list[str]]) -> bool:
    """Code with line numbers (indentation makes columns): two rows in three start with a number
    that follows the number above or precedes the one below."""
    matches = [_LINE_NUMBER.match(row[0]) for row in cells]
    numbers = [int(match.group(1)) if match else None for match in matches]
    neighbours = list(zip([None, *numbers[:-1]], numbers, [*numbers[1:], None], strict=True))
    in_sequence = sum(1 for above, n, below in neighbours if n is not None and (n - 1 == above or n + 1 == below))
    return len(cells[0]) <= 3 and in_sequence * 3 >= 2 * len(cells)  # a numbered table has more columns


def _margin_notes(cells: list[list[str]]) -> bool:
    """Notes in the margin beside the body text (ltxdoc, mathtools...): many rows hold a note alone."""
    alone = sum(1 for row in cells if row[0] and not any(row[1:]))
    return alone * 3 >= len(cells)


def _leaders(cells: list[list[str]]) -> bool:
    """An index or a table of contents: entries joined to page numbers by dot leaders."""
    return sum(1 for row in cells if any(_LEADER.search(cell) for cell in row)) * 4 >= len(cells)


def _math(cells: list[list[str]]) -> bool:
    """Aligned display equations (`f = ...` lines) line up like a table; their symbols give them away.
    A table's header may hold math (binomials, signs), so only the symbols under it count."""
    text = "".join(cell for row in cells for cell in row if not cell.isspace())
    body = "".join(cell for row in cells[1:] for cell in row)
    symbols = sum(1 for ch in body if unicodedata.category(ch) in _MATH_CATEGORIES or ch == "\ufffd")
    return symbols > MATH_SHARE * max(len(text), 1)
