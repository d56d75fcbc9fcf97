"""Tables without ruling lines, or with only a rule under the header, read from the text layout.

The page's text pieces (a line cut where its spans leave a gap) are grouped into visual rows. A
table is a run of close rows, at least three of which have two or more pieces, where some vertical
strips of the page stay empty in every such row: those strips are the column gaps. Rows with a
single piece inside one column belong to the table too (a wrapped cell, a group label).

Other things line up too and are not tables: columns of prose side by side (a paper's columns, a
box beside the body, a cover's sidebar: the checks here), and aligned equations, code, lists,
indexes and margin notes (`pdf_lookalikes.py`). A column of flowing prose, or of notes in the
margin, at the edge of a candidate is set aside and the rest read again (a table in one column of
a paper is still found).
Nothing is drawn or re-read: a page of prose costs a sort and a scan.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

from shared.documents.extract.paragraphs import list_marker
from shared.documents.extract.pdf_grid import Box, looks_tabular
from shared.documents.extract.pdf_lookalikes import looks_like_something_else

Piece = tuple[str, Box]
MIN_MULTI_ROWS = 3
MAX_ROW_GAP = 1.5  # line heights between two rows of one table
MAX_SINGLE_RUN = 3  # consecutive one-piece rows a table may hold (a cell wrapped over four lines)
PROSE_WORDS = 5  # a column whose typical piece has this many words holds sentences
STACKED = 0.25  # share of a line height by which two rows overlap when they are one row
TALL = 1.5  # a glyph this many times the page's usual text height spans rows (a math bracket)


@dataclass
class _Row:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(box[1] for _, box in self.pieces)

    @property
    def bottom(self) -> float:
        return max(box[3] for _, box in self.pieces)

    @property
    def height(self) -> float:
        return max(box[3] - box[1] for _, box in self.pieces)


def aligned_tables(pieces: list[Piece]) -> list[tuple[Box, list[list[str]]]]:
    """Tables found in `pieces`: (bbox, rows of cell texts, header first)."""
    beside: list[Piece] = []
    margin = _body_left(pieces) - 2
    tables = _scan(_rows(pieces), margin, beside)
    if beside:  # prose or margin notes ran beside a table, or beside the body text: read again without
        aside = set(beside)
        tables = _scan(_rows([piece for piece in pieces if piece not in aside]), margin, [])
    return tables


def _body_left(pieces: list[Piece]) -> float:
    """Where the page's lines of prose start (its widest lines): anything wholly left of it sits in the
    margin. Without such lines there is no margin to speak of."""
    if not pieces:
        return float("-inf")
    span = max(box[2] for _, box in pieces) - min(box[0] for _, box in pieces)
    starts = Counter(round(box[0]) for _, box in pieces if box[2] - box[0] >= 0.5 * span)
    return float(starts.most_common(1)[0][0]) if starts else float("-inf")


def _scan(rows: list[_Row], margin: float, beside: list[Piece]) -> list[tuple[Box, list[list[str]]]]:
    tables: list[tuple[Box, list[list[str]]]] = []
    start = 0
    while start < len(rows):
        found = _table_at(rows, start, margin, beside) if len(rows[start].pieces) > 1 else None
        if found is None:
            start += 1
            continue
        end, table = found
        tables.append(table)
        start = end
    return tables


def _rows(pieces: list[Piece]) -> list[_Row]:
    """Pieces grouped by vertical position, left to right; a bullet or number alone joins its text."""
    rows: list[_Row] = []
    anchor = (0.0, 0.0)  # the centre and height of the row's first piece (a row must not grow by chaining)
    for piece in sorted(pieces, key=lambda p: (p[1][1] + p[1][3]) / 2):
        centre, height = (piece[1][1] + piece[1][3]) / 2, piece[1][3] - piece[1][1]
        if rows and abs(centre - anchor[0]) <= 0.35 * max(anchor[1], height):
            rows[-1].pieces.append(piece)
        else:
            rows.append(_Row([piece]))
            anchor = (centre, height)
    for row in rows:
        row.pieces = _join_markers(sorted(row.pieces, key=lambda p: p[1][0]))
    return _stacked(rows)


def _stacked(rows: list[_Row]) -> list[_Row]:
    """Rows whose lines overlap by a quarter of a line or more, beside a glyph that spans them, are one
    row set on several lines (a binomial in brackets, a label centred beside it); their pieces read
    top to bottom. Without such a glyph, lines of two sizes side by side (code beside its output)
    overlap too, and are not one row."""
    heights = sorted(box[3] - box[1] for row in rows for _, box in row.pieces)
    tall = TALL * heights[len(heights) // 2] if heights else 0.0
    merged: list[_Row] = []
    for row in rows:
        if merged:
            above = merged[-1]
            overlap = above.bottom - row.top
            spanned = any(box[3] - box[1] >= tall for _, box in [*above.pieces, *row.pieces])
            if spanned and overlap >= STACKED * min(above.bottom - above.top, row.bottom - row.top):
                above.pieces += row.pieces
                continue
        merged.append(row)
    return merged


def _join_markers(pieces: list[Piece]) -> list[Piece]:
    joined: list[Piece] = []
    for text, box in pieces:
        near = joined and box[0] - joined[-1][1][2] <= 2 * (box[3] - box[1])  # a dash alone in a cell is far off
        if joined and near and _marker_only(joined[-1][0]):
            previous, (a, b, _, d) = joined[-1]
            joined[-1] = (f"{previous} {text}", (a, min(b, box[1]), box[2], max(d, box[3])))
        else:
            joined.append((text, box))
    return joined


def _marker_only(text: str) -> bool:
    """A bullet glyph or an item number with nothing after it (the item's text is the next piece).
    A glyph with no text (a tall bracket of a math font) is no bullet."""
    if "\ufffd" in text:
        return False
    marker = list_marker(f"{text} x")
    return marker is not None and marker[1] == "x"


def _table_at(
    rows: list[_Row], start: int, margin: float, beside: list[Piece]
) -> tuple[int, tuple[Box, list[list[str]]]] | None:
    """The table whose first row is `rows[start]` (a row of two or more pieces): (end row, table).
    Prose in the first or last column, or notes in the left margin, go to `beside` (to read again without)."""
    fitted = _fit(rows, start, _run_end(rows, start))
    if fitted is None:
        return None
    end, columns = fitted
    members = rows[start:end]
    while members and len(members[-1].pieces) == 1 and _column_of(members[-1].pieces[0][1], columns) == 0:
        members.pop()  # a short line under the table, not a wrapped cell
    if sum(1 for row in members if len(row.pieces) > 1) < MIN_MULTI_ROWS:
        return None
    flowing = _flowing(members, columns)
    if columns[0][1] < margin:
        flowing.add(0)  # notes in the margin beside the body text
    if flowing:
        edge = sorted(flowing) in ([*range(len(flowing))], [*range(len(columns) - len(flowing), len(columns))])
        if edge and len(flowing) < len(columns):
            beside += [piece for row in members for piece in row.pieces if _column_of(piece[1], columns) in flowing]
        return None
    if _prose([row for row in members if len(row.pieces) > 1], columns):
        return None
    cells = _cells(members, columns)
    if len(cells) < MIN_MULTI_ROWS or not looks_tabular(cells) or looks_like_something_else(cells):
        return None
    boxes = [box for row in members for _, box in row.pieces]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    visible = _visible(cells)
    return (start + len(members), (bbox, visible)) if looks_tabular(visible) else None


def _fit(rows: list[_Row], start: int, end: int) -> tuple[int, list[tuple[float, float]]] | None:
    """The columns of `rows[start:end]`, cut short at the first row with a piece across a column gap
    (the columns of what is left may differ, so again): (end, columns), or None for no table."""
    for _ in range(3):
        multi = [row for row in rows[start:end] if len(row.pieces) > 1]
        if len(multi) < MIN_MULTI_ROWS:
            return None
        columns = _columns(multi)
        if len(columns) < 2:
            return None
        misfit = (i for i in range(start, end) if any(_column_of(box, columns) is None for _, box in rows[i].pieces))
        fitting = next(misfit, end)
        if fitting == end:
            return end, columns
        end = fitting
    return None


def _run_end(rows: list[_Row], start: int) -> int:
    """Rows after `start` that follow each other closely, with at most a few one-piece rows in a row."""
    end, singles = start + 1, 0
    while end < len(rows):
        row, above = rows[end], rows[end - 1]
        if row.top - above.bottom > MAX_ROW_GAP * max(row.height, above.height):
            break
        singles = singles + 1 if len(row.pieces) == 1 else 0
        if singles > MAX_SINGLE_RUN:
            break
        end += 1
    return end


def _columns(multi: list[_Row]) -> list[tuple[float, float]]:
    """Horizontal extents covered by the pieces of the multi-piece rows; the gaps between are empty."""
    spans = sorted((box[0], box[2]) for row in multi for _, box in row.pieces)
    columns: list[tuple[float, float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1] = (columns[-1][0], max(columns[-1][1], x1))
        else:
            columns.append((x0, x1))
    return columns


def _prose(multi: list[_Row], columns: list[tuple[float, float]]) -> bool:
    """Side-by-side text (two columns of a paper, a box beside the body): every column holds sentences."""
    for index in range(len(columns)):
        words = sorted(
            len(text.split()) for row in multi for text, box in row.pieces if _column_of(box, columns) == index
        )
        if words and words[len(words) // 2] < PROSE_WORDS:
            return False
    return True


def _flowing(members: list[_Row], columns: list[tuple[float, float]]) -> set[int]:
    """Columns of a page layout beside each other (a cover's sidebar, a paper's columns): the columns
    holding lines of sentences that fill their width and mostly go on from the line above (lower-case)."""
    found: set[int] = set()
    for j, (x0, x1) in enumerate(columns):
        boxed = [(text, box) for row in members for text, box in row.pieces if _column_of(box, columns) == j]
        pieces = [text for text, _ in boxed]
        full = [text for text, box in boxed if box[2] - box[0] >= 0.85 * (x1 - x0)]
        words = sorted(len(text.split()) for text in pieces)
        if len(pieces) < 3 or words[len(words) // 2] < PROSE_WORDS or len(full) * 2 < len(pieces):
            continue
        if sum(1 for text in pieces[1:] if text[0].islower()) * 2 >= len(pieces) - 1:
            found.add(j)
    return found


def _visible(cells: list[list[str]]) -> list[list[str]]:
    """The cells without the glyphs that have no text (a math font's tall brackets), and without the
    columns that held nothing else."""
    rows = [[" ".join(cell.replace("\ufffd", " ").split()) for cell in row] for row in cells]
    kept = [j for j in range(len(rows[0])) if any(row[j] for row in rows)]
    return [[row[j] for j in kept] for row in rows]


def _column_of(box: Box, columns: list[tuple[float, float]]) -> int | None:
    """The column `box` overlaps without reaching a neighbouring column (a wrapped cell may be wider)."""
    for index, (x0, x1) in enumerate(columns):
        if box[2] < x0 or box[0] > x1:
            continue
        after_left = index == 0 or box[0] > columns[index - 1][1]
        before_right = index == len(columns) - 1 or box[2] < columns[index + 1][0]
        return index if after_left and before_right else None
    return None


def _cells(members: list[_Row], columns: list[tuple[float, float]]) -> list[list[str]]:
    """Rows of cell texts. A row with nothing in the first column continues the row above it when it
    holds a single cell (a wrapped line) or sits closer to it than rows sit to each other."""
    gaps = sorted(below.top - above.bottom for above, below in itertools.pairwise(members))
    usual = gaps[len(gaps) // 2] if gaps else 0.0
    table: list[list[str]] = []
    for index, row in enumerate(members):
        cells = [""] * len(columns)
        for text, box in row.pieces:
            column = _column_of(box, columns)
            if column is not None:
                cells[column] = f"{cells[column]} {text}".strip()
        close = index > 0 and row.top - members[index - 1].bottom < 0.7 * usual
        if table and not cells[0] and (sum(1 for c in cells if c) == 1 or close):
            table[-1] = [f"{a} {b}".strip() for a, b in zip(table[-1], cells, strict=True)]
        else:
            table.append(cells)
    return table
