"""Scores for the fidelity benchmark, computed the same way from every tool's output.

- Tables, cell level: adjacency relations (the ICDAR 2013 table competition's structure measure).
  Cells are compared on letters and digits only. Each non-empty cell is paired with its next
  non-empty neighbour to the right and below; a tool scores on the relations it shares with the
  truth, so a shifted column, a merged row or a table found in prose costs precision, and a missed
  table or cell costs recall.
- Tables, table level: a found table matches a true one when it holds at least half of that
  table's relations and at least half of its own relations are true.
- Reading order: the fraction of true sentences found intact (whole, in order, uninterrupted)
  in the tool's text, compared on lower-case letters and digits only.
- Headings: Markdown headings (`#` lines) against the headings the generator drew.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

Relation = tuple[str, str, str]
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}")


def norm(text: str) -> str:
    return _NOT_WORD.sub(" ", text.replace("<br>", " ").lower()).strip()


def cell_key(text: str) -> str:
    """A cell compared on its letters and digits alone: `8,279` and `8279`, `Load 1` and `Load1` agree
    (PyMuPDF's `find_tables()` drops spaces and moves punctuation in these files)."""
    return norm(text).replace(" ", "")


def relations(rows: list[list[str]]) -> Counter[Relation]:
    cells = [[cell_key(c) for c in row] for row in rows]
    found: Counter[Relation] = Counter()
    for row in cells:
        filled = [c for c in row if c]
        found.update((a, b, "h") for a, b in itertools.pairwise(filled))
    width = max((len(r) for r in cells), default=0)
    for j in range(width):
        column = [r[j] for r in cells if j < len(r) and r[j]]
        found.update((a, b, "v") for a, b in itertools.pairwise(column))
    return found


def markdown_tables(markdown: str) -> list[list[list[str]]]:
    """Pipe tables in `markdown` as rows of cells (separator rows dropped)."""
    tables: list[list[list[str]]] = []
    lines: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith("|"):
            lines.append(stripped)
            continue
        if len(lines) >= 2 and _SEPARATOR.match(lines[1]):  # a line that merely starts with | is no table
            rows = [ln for i, ln in enumerate(lines) if i != 1]
            tables.append([[c.strip() for c in re.split(r"(?<!\\)\|", row.strip("|"))] for row in rows])
        lines = []
    return tables


@dataclass
class Tally:
    """Counts summed over documents; the ratios come at the end."""

    rel_true: int = 0
    rel_found: int = 0
    rel_shared: int = 0
    tables_true: int = 0
    tables_found: int = 0
    tables_matched_true: int = 0
    tables_matched_found: int = 0
    sentences: int = 0
    sentences_intact: int = 0
    headings_true: int = 0
    headings_found: int = 0
    headings_right: int = 0
    headings_recalled: int = 0

    def add_tables(self, truth: list[list[list[str]]], found: list[list[list[str]]]) -> None:
        true_rel = [relations(t) for t in truth]
        found_rel = [relations(t) for t in found]
        all_true = sum(true_rel, Counter[Relation]())
        all_found = sum(found_rel, Counter[Relation]())
        self.rel_true += sum(all_true.values())
        self.rel_found += sum(all_found.values())
        self.rel_shared += sum((all_true & all_found).values())
        self.tables_true += len(truth)
        self.tables_found += len(found_rel)
        matches = {(i, j) for i, t in enumerate(true_rel) for j, f in enumerate(found_rel) if _match(t, f)}
        self.tables_matched_true += len({i for i, _ in matches})
        self.tables_matched_found += len({j for _, j in matches})

    def add_text(self, sentences: list[str], text: str) -> None:
        flat = f" {norm(text)} "
        self.sentences += len(sentences)
        self.sentences_intact += sum(1 for s in sentences if f" {norm(s)} " in flat)

    def add_headings(self, truth: list[str], found: list[str]) -> None:
        wanted = {norm(h) for h in truth}
        got = [norm(h) for h in found if norm(h)]
        self.headings_true += len(wanted)
        self.headings_found += len(got)
        self.headings_right += sum(1 for g in got if g in wanted)
        self.headings_recalled += len(wanted & set(got))

    def scores(self) -> dict[str, float | None]:
        return {
            "cell_precision": _ratio(self.rel_shared, self.rel_found),
            "cell_recall": _ratio(self.rel_shared, self.rel_true),
            "table_precision": _ratio(self.tables_matched_found, self.tables_found),
            "table_recall": _ratio(self.tables_matched_true, self.tables_true),
            "reading_order": _ratio(self.sentences_intact, self.sentences),
            "heading_precision": _ratio(self.headings_right, self.headings_found),
            "heading_recall": _ratio(self.headings_recalled, self.headings_true),
        }


def _match(true: Counter[Relation], found: Counter[Relation]) -> bool:
    shared = sum((true & found).values())
    return shared >= 0.5 * max(sum(true.values()), 1) and shared >= 0.5 * max(sum(found.values()), 1)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
