"""Ground truth for the fidelity benchmark: PDFs drawn with PyMuPDF whose tables, headings and
sentences are known because this module placed them.

Each document mixes what real handouts, manuals and papers have: fully ruled tables, tables with
rules only above and below the header (booktabs style) or under the header, borderless tables of
aligned text (left-aligned words, right-aligned numbers, wrapped description cells), one- and
two-column body text, side boxes, figure and table captions, footnotes and running page numbers.
Everything is seeded, so the same files come out on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pymupdf

BODY, SMALL = 10.0, 8.0
WIDTH, HEIGHT = 595.0, 842.0
MARGIN = 60.0
_VOCABULARY = (
    "adaptive analysis argument balance boundary careful channel circuit climate cluster column"
    " compiler context contract current dataset decision density design device diagram dynamic"
    " element energy engine estimate evidence factor feature filter fluid format function gradient"
    " graph habitat history hybrid index input kernel lattice layer ledger lesson limit logic matrix"
    " measure memory method model module motion network notion number object option output pattern"
    " phase pipeline policy portion pressure process profile protocol quantity query reaction record"
    " region report resource response sample scale schema sector segment sensor signal source spectrum"
    " stage storage strategy stream structure student survey symbol system table tensor theory token"
    " topic trace transfer trend value variable vector velocity version volume weight window"
).split()
_LABELS = "Alpha Bravo Cobalt Delta Ember Falcon Garnet Harbor Indigo Juniper Kestrel Lumen Meridian".split()


@dataclass
class TruthTable:
    page: int
    rows: list[list[str]]
    kind: str  # ruled | header-rule | borderless


@dataclass
class Truth:
    name: str
    tables: list[TruthTable] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, name: str, seed: int) -> None:
        self.doc = pymupdf.open()
        self.truth = Truth(name)
        self.rng = random.Random(seed)
        self.page: pymupdf.Page | None = None
        self.y = MARGIN
        self.serial = 0

    # -- text ---------------------------------------------------------------------------------
    def sentence(self) -> str:
        self.serial += 1
        words = [self.rng.choice(_VOCABULARY) for _ in range(self.rng.randint(8, 18))]
        words.insert(self.rng.randint(1, len(words) - 1), f"item{self.serial}")
        return " ".join(words).capitalize() + "."

    def new_page(self) -> pymupdf.Page:
        self.page = self.doc.new_page(width=WIDTH, height=HEIGHT)
        self.page.insert_text((WIDTH / 2 - 4, HEIGHT - 30), str(self.doc.page_count), fontsize=SMALL)
        self.y = MARGIN
        return self.page

    def _page(self) -> pymupdf.Page:
        assert self.page is not None
        return self.page

    def heading(self, text: str, size: float = 15.0, *, x0: float = MARGIN, x1: float = WIDTH - MARGIN) -> None:
        self.truth.headings.append(text)
        self.text_box(text, x0=x0, x1=x1, size=size, font="hebo")
        self.y += size * 0.3

    def paragraph(
        self, sentences: int, *, x0: float = MARGIN, x1: float = WIDTH - MARGIN, size: float = BODY, truth: bool = True
    ) -> float:
        text = " ".join(self.sentence() for _ in range(sentences))
        if truth:
            self.truth.sentences += _split_sentences(text)
        return self.text_box(text, x0=x0, x1=x1, size=size)

    def text_box(self, text: str, *, x0: float, x1: float, size: float, font: str = "helv") -> float:
        """Write `text` wrapped in [x0, x1] from self.y; returns the height used."""
        page = self._page()
        height = size * 1.3 * 2
        while True:
            rect = pymupdf.Rect(x0, self.y, x1, self.y + height)
            shape = page.new_shape()
            spare = shape.insert_textbox(rect, text, fontsize=size, fontname=font)
            if spare >= 0:
                shape.commit()
                used = height - spare + size * 0.8
                self.y += used
                return used
            height += size * 1.3

    # -- tables -------------------------------------------------------------------------------
    def table(
        self,
        kind: str,
        *,
        columns: int,
        rows: int,
        wrap: bool = False,
        x0: float = MARGIN,
        tight: bool = False,
        gaps: bool = False,
    ) -> None:
        """`tight`: no padding between rows (rows as close as lines); `gaps`: some cells left empty."""
        header = [
            "Name",
            *[self.rng.choice(["Count", "Share", "Load", "Rate", "Score"]) + f" {j}" for j in range(1, columns)],
        ]
        if wrap:
            header[-1] = "Description"
        body = []
        for i in range(rows):
            row = [f"{self.rng.choice(_LABELS)} {self.serial + i}"]
            row += [
                f"{self.rng.randint(1, 9999):,}" if j % 2 else f"{self.rng.uniform(0, 100):.1f}%"
                for j in range(1, columns)
            ]
            if wrap:
                row[-1] = " ".join(self.rng.choice(_VOCABULARY) for _ in range(self.rng.choice([2, 3, 7, 9])))
            if gaps and i % 3 == 1:
                row[self.rng.randint(1, columns - 1)] = ""
            body.append(row)
        self.serial += rows
        widths = [90.0] + [62.0] * (columns - 1)
        if wrap:
            widths[-1] = 150.0
        self._draw_table(kind, [header, *body], widths, x0, pad=1.5 if tight else 5.0)
        self.truth.tables.append(TruthTable(self._page().number + 1, [header, *body], kind))

    def _draw_table(self, kind: str, rows: list[list[str]], widths: list[float], x0: float, *, pad: float) -> None:
        page = self._page()
        line = BODY * 1.25
        edges = [x0]
        for w in widths:
            edges.append(edges[-1] + w)
        top = self.y
        ys = [top]
        for r, row in enumerate(rows):
            y = ys[-1]
            heights = []
            for j, text in enumerate(row):
                left, right = edges[j] + pad, edges[j + 1] - pad
                font = "hebo" if r == 0 else "helv"
                numeric = j > 0 and not (j == len(row) - 1 and widths[j] > 100)
                lines = _wrap(text, right - left, BODY, font)
                for k, piece in enumerate(lines):
                    length = pymupdf.get_text_length(piece, fontname=font, fontsize=BODY)
                    x = right - length if numeric else left
                    page.insert_text((x, y + pad + BODY + k * line), piece, fontsize=BODY, fontname=font)
                heights.append(len(lines) * line)
            ys.append(y + max(heights) + 2 * pad)
        shape = page.new_shape()
        if kind == "ruled":
            for y in ys:
                shape.draw_line((edges[0], y), (edges[-1], y))
            for x in edges:
                shape.draw_line((x, ys[0]), (x, ys[-1]))
        elif kind == "header-rule":
            for y in (ys[0], ys[1], ys[-1]) if self.rng.random() < 0.5 else (ys[1],):
                shape.draw_line((edges[0], y), (edges[-1], y))
        shape.finish(color=(0, 0, 0), width=0.7)
        shape.commit()
        self.y = ys[-1] + 8

    def references(self, count: int) -> None:
        """A numbered reference list with hanging indents: aligned labels and text, but not a table."""
        for number in range(1, count + 1):
            authors = " and ".join(f"{self.rng.choice(_LABELS)}, {self.rng.choice('ABCDEFGHKLMR')}." for _ in range(2))
            title = " ".join(self.rng.choice(_VOCABULARY) for _ in range(self.rng.randint(4, 14))).capitalize()
            entry = (
                f"{authors} {title}. Journal of {self.rng.choice(_VOCABULARY).title()}, {self.rng.randint(1990, 2025)}."
            )
            self.truth.sentences.append(entry)
            self._page().insert_text((MARGIN, self.y + BODY), f"[{number}]", fontsize=BODY)
            self.text_box(entry, x0=MARGIN + 24, x1=WIDTH - MARGIN, size=BODY)

    def caption(self, text: str, *, x0: float = MARGIN, x1: float = WIDTH - MARGIN) -> None:
        self.truth.sentences.append(text)
        self.text_box(text, x0=x0, x1=x1, size=9.0, font="heit")

    def footnote(self, text: str) -> None:
        page = self._page()
        page.draw_line((MARGIN, HEIGHT - 92), (MARGIN + 120, HEIGHT - 92), width=0.5)
        self.truth.sentences.append(text)
        saved, self.y = self.y, HEIGHT - 88
        self.text_box("1 " + text, x0=MARGIN, x1=WIDTH - MARGIN, size=SMALL)
        self.y = saved

    def side_box(self, sentences: int, *, x0: float, x1: float) -> None:
        top = self.y
        self.y += 6
        self.paragraph(sentences, x0=x0 + 6, x1=x1 - 6, size=9.0)
        self._page().draw_rect(
            pymupdf.Rect(x0, top, x1, self.y), color=(0.2, 0.2, 0.5), fill=(0.92, 0.93, 0.98), overlay=False
        )
        self.y += 8

    def figure(self, height: float, *, x0: float = MARGIN, x1: float = WIDTH - MARGIN) -> None:
        self._page().draw_rect(
            pymupdf.Rect(x0, self.y, x1, self.y + height), color=(0.3, 0.3, 0.3), fill=(0.85, 0.9, 0.85)
        )
        self.y += height + 6


def _wrap(text: str, width: float, size: float, font: str) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and pymupdf.get_text_length(candidate, fontname=font, fontsize=size) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


def _split_sentences(text: str) -> list[str]:
    return [s.strip() + "." for s in text.split(".") if s.strip()]


def handout(seed: int) -> tuple[bytes, Truth]:
    """A course handout: one column, every kind of table, captions, footnotes."""
    w = _Writer(f"handout-{seed}", seed)
    for number, kind in enumerate(("ruled", "header-rule", "borderless", "borderless"), start=1):
        w.new_page()
        w.heading(f"Unit {seed}.{number} {w.rng.choice(_VOCABULARY).title()} and {w.rng.choice(_VOCABULARY)}")
        w.paragraph(4)
        w.caption(f"Table {number}: {w.sentence()}")
        w.table(kind, columns=w.rng.randint(3, 5), rows=w.rng.randint(5, 12))
        w.heading(f"Notes on {w.rng.choice(_VOCABULARY)} {number}", size=12.5)
        w.paragraph(3)
        w.paragraph(2)
        w.footnote(w.sentence())
    return w.doc.tobytes(), w.truth


def manual(seed: int) -> tuple[bytes, Truth]:
    """A reference manual: long borderless and header-rule tables, some with wrapped cells."""
    w = _Writer(f"manual-{seed}", seed)
    for number in range(1, 4):
        w.new_page()
        w.heading(f"{number}. {w.rng.choice(_VOCABULARY).title()} reference")
        w.paragraph(2)
        w.table(
            "borderless", columns=4, rows=w.rng.randint(10, 18), wrap=number == 2, tight=number == 3, gaps=number == 1
        )
        w.paragraph(2)
        w.table("header-rule", columns=3, rows=6, wrap=number == 3)
        w.paragraph(1)
    return w.doc.tobytes(), w.truth


def paper(seed: int) -> tuple[bytes, Truth]:
    """A two-column paper: headings inside columns, a table in one column, a side box, a figure with
    caption, footnotes, and a numbered reference list with hanging indents."""
    w = _Writer(f"paper-{seed}", seed)
    mid, gap = WIDTH / 2, 12.0
    for number in range(1, 3):
        w.new_page()
        w.heading(f"{w.rng.choice(_VOCABULARY).title()} {w.rng.choice(_VOCABULARY)} study {seed}.{number}", size=17)
        top = w.y
        w.heading(f"{number}.1 Background", size=12, x1=mid - gap)
        w.paragraph(5, x1=mid - gap)
        w.figure(90, x1=mid - gap)
        w.caption(f"Figure {number}: {w.sentence()}", x1=mid - gap)
        w.paragraph(4, x1=mid - gap)
        w.y = top
        w.heading(f"{number}.2 Method", size=12, x0=mid + gap)
        w.paragraph(4, x0=mid + gap)
        if number == 2:
            w.caption(f"Table {number}: {w.sentence()}", x0=mid + gap)
            w.table("header-rule", columns=3, rows=5, x0=mid + gap)
        w.side_box(3, x0=mid + gap, x1=WIDTH - MARGIN)
        w.paragraph(5, x0=mid + gap)
        w.footnote(w.sentence())
    w.new_page()
    w.heading("References", size=12)
    w.references(12)
    return w.doc.tobytes(), w.truth


def slides(seed: int) -> tuple[bytes, Truth]:
    """Lecture slides (landscape): a title, short lines, a small borderless table."""
    w = _Writer(f"slides-{seed}", seed)
    for number in range(1, 4):
        w.page = w.doc.new_page(width=842, height=595)
        w.y = 50
        w.heading(f"Lecture {seed} part {number}: {w.rng.choice(_VOCABULARY)}", size=26)
        for _ in range(3):
            w.paragraph(1, size=16, x1=780)
        if number == 2:
            w.table("borderless", columns=3, rows=4)
    return w.doc.tobytes(), w.truth


def documents() -> list[tuple[bytes, Truth]]:
    return [make(seed) for make in (handout, manual, paper, slides) for seed in (1, 2)]
