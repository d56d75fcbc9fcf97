"""The documents the study-aid quality benchmark reads, as the ingest stage would structure them.

Extraction runs in-process (no sandbox: these are known files), then the same `render` the ingest
worker uses turns it into the `Structure` the generators read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from shared.documents.contracts import Structure
from shared.documents.extract.base import Extraction
from shared.documents.extract.docx import extract_docx
from shared.documents.extract.pdf import extract_pdf
from shared.documents.extract.pptx import extract_pptx
from shared.documents.ingest.render import render

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class CorpusDocument:
    name: str
    file: str
    what: str
    max_pages: int | None = None


DOCUMENTS = (
    CorpusDocument("chalmers-lecture3", "chalmers-ai-lecture3.pdf", "lecture deck (PDF, 45 pages)"),
    CorpusDocument("udl-performance", "udl-cm20315-08-performance.pptx", "lecture deck (PPTX, 40 slides)"),
    CorpusDocument("udl-booklet-50", "udl-answer-booklet.pdf", "booklet (PDF, first 50 pages)", max_pages=50),
    CorpusDocument("doj-handbook", "doj-ch13-trustee-handbook.docx", "long DOCX (8,140 paragraphs)"),
    CorpusDocument("docling-pptx-notes", "docling-powerpoint-sample.pptx", "slides with speaker notes (PPTX)"),
    CorpusDocument("ibm-redpaper", "ibm-redp5110-sampled.pdf", "technical paper (PDF, 18 pages)"),
)


def load(document: CorpusDocument) -> Structure:
    data = (CORPUS / document.file).read_bytes()
    extraction = _extract(data, document)
    title = extraction.title or Path(document.file).stem
    rendered = render(
        user_id=uuid.UUID(int=0),
        doc_id=uuid.UUID(int=1),
        title=title,
        kind=extraction.kind,
        summary=extraction.summary(),
        images={},
    )
    return rendered.structure


def _first_pages(data: bytes, pages: int | None) -> bytes:
    if pages is None:
        return data
    with pymupdf.open(stream=data, filetype="pdf") as doc:  # type: ignore[no-untyped-call]  # partly annotated
        doc.select(list(range(min(pages, doc.page_count))))
        return bytes(doc.tobytes())


def _extract(data: bytes, document: CorpusDocument) -> Extraction:
    suffix = Path(document.file).suffix
    if suffix == ".pdf":
        return extract_pdf(_first_pages(data, document.max_pages), max_pages=2000, ocr=None)
    if suffix == ".docx":
        return extract_docx(data)
    return extract_pptx(data)
