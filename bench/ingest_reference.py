"""Reference headings for the ingestion benchmark: what the document itself declares as headings.

PDF: its outline (bookmarks), if any. DOCX: paragraphs styled Title / Heading N. PPTX: slide titles.
A tool's Markdown headings are scored against them: recall (reference headings found as headings)
and precision (Markdown headings that are reference headings).
"""

from __future__ import annotations

import re
from pathlib import Path

_WORDS = re.compile(r"[^a-z0-9]+")


def norm(text: str) -> str:
    return _WORDS.sub("", text.lower())


def reference_headings(path: Path) -> list[str] | None:
    if path.suffix == ".pdf":
        import pymupdf

        toc = pymupdf.open(path).get_toc()
        return [str(entry[1]) for entry in toc] or None
    if path.suffix == ".docx":
        import docx

        paragraphs = docx.Document(str(path)).paragraphs
        names = [(p.style.name if p.style is not None else "", p.text) for p in paragraphs]
        return [t for n, t in names if t.strip() and (n.startswith("Heading") or n == "Title")] or None
    if path.suffix == ".pptx":
        import pptx

        slides = pptx.Presentation(str(path)).slides
        return [
            s.shapes.title.text for s in slides if s.shapes.title is not None and s.shapes.title.text.strip()
        ] or None
    return None


def markdown_headings(markdown: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^#{1,6} (.+)$", markdown, flags=re.M)]


def score(markdown: str, reference: list[str] | None) -> str:
    """`found/total (precision%)`, or `-` when the file declares no headings."""
    if not reference:
        return "-"
    wanted = [norm(r) for r in reference if norm(r)]
    got = [norm(h) for h in markdown_headings(markdown) if norm(h)]
    found = sum(1 for w in wanted if w in got)
    matching = sum(1 for g in got if g in set(wanted))
    precision = f"{100 * matching / len(got):.0f}%" if got else "n/a"
    return f"{found}/{len(wanted)} ({precision})"
