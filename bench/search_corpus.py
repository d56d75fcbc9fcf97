"""Corpus files -> `Structure` for the search benchmark.

First choice: the ingestion stage's own extractor (`shared.documents.ingest.pipeline`, sandboxed,
with legacy conversion and OCR), so the benchmark indexes what production indexes. A file it
rejects falls back to a direct read with PyMuPDF, python-docx and python-pptx: one section per
PDF page (heading: the page's largest line), one per DOCX heading, one per PPTX slide.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import docx
import pptx
import pymupdf

from shared.documents.contracts import Section, Source, Structure
from shared.documents.ingest.pipeline import IngestRejected, extract_document
from shared.documents.ingest.render import render
from shared.documents.settings import DocumentsSettings

MAX_HEADING = 200
_KINDS = {".pdf": "pdf", ".docx": "docx", ".pptx": "pptx", ".doc": "doc", ".ppt": "ppt"}


def load_corpus(folder: Path) -> tuple[dict[str, Structure], dict[str, str]]:
    """Structures by file name, and which extractor read each file."""
    found: dict[str, Structure] = {}
    used: dict[str, str] = {}
    settings = DocumentsSettings()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in _KINDS:
            continue
        try:
            found[path.name], used[path.name] = _ingested(path, settings), "shared.documents"
        except IngestRejected:
            structure = _direct(path)
            if structure is not None:
                found[path.name], used[path.name] = structure, "direct"
    return found, used


def kind_of(filename: str) -> str:
    return _KINDS[Path(filename).suffix.lower()]


def _ingested(path: Path, settings: DocumentsSettings) -> Structure:
    extracted = extract_document(path.read_bytes(), filename=path.name, settings=settings)
    summary, images = extracted.result.summary, extracted.result.images
    ids = {"user_id": uuid.uuid4(), "doc_id": uuid.uuid4()}
    structure = render(
        **ids, title=path.stem, kind=extracted.kind, summary=summary, images=images, media_address=lambda p: p
    ).structure
    return structure


def _direct(path: Path) -> Structure | None:
    readers = {".pdf": _pdf, ".docx": _docx, ".pptx": _pptx}
    reader = readers.get(path.suffix.lower())
    sections = [s for s in reader(path) if s.text.strip() or s.heading.strip()] if reader else []
    return Structure(title=path.stem, sections=sections) if sections else None


def _pdf(path: Path) -> Iterator[Section]:
    with pymupdf.open(path) as pdf:  # type: ignore[no-untyped-call]  # PyMuPDF is unannotated
        for number, page in enumerate(pdf, start=1):
            lines = [
                ("".join(span["text"] for span in line["spans"]).strip(), max(span["size"] for span in line["spans"]))
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
                if line["spans"]
            ]
            lines = [(text, size) for text, size in lines if text]
            if not lines:
                continue
            heading = max(lines, key=lambda item: item[1])[0][:MAX_HEADING]
            body = "\n".join(text for text, _ in lines)
            yield Section(heading=heading, text=body, source=Source(kind="pdf", page=number))


def _docx(path: Path) -> Iterator[Section]:
    heading, level = path.stem, 1
    parts: list[str] = []
    for paragraph in docx.Document(str(path)).paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        text = paragraph.text.strip()
        if style.startswith(("Heading", "Title")) and text:
            yield Section(heading=heading, level=level, text="\n".join(parts), source=Source(kind="docx"))
            heading, parts = text[:MAX_HEADING], []
            level = int(style[-1]) if style[-1:].isdigit() and 1 <= int(style[-1]) <= 6 else 1
        elif text:
            parts.append(text)
    yield Section(heading=heading, level=level, text="\n".join(parts), source=Source(kind="docx"))


def _pptx(path: Path) -> Iterator[Section]:
    for number, slide in enumerate(pptx.Presentation(str(path)).slides, start=1):
        title = slide.shapes.title
        heading = title.text_frame.text.strip() if title is not None and title.has_text_frame else ""
        texts = [
            shape.text_frame.text.strip()
            for shape in slide.shapes
            if shape.has_text_frame and shape is not title and shape.text_frame.text.strip()
        ]
        yield Section(
            heading=heading[:MAX_HEADING] or f"Slide {number}",
            text="\n".join(texts),
            source=Source(kind="pptx", page=number),
        )
