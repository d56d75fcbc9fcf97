"""PDF to sections with PyMuPDF: reading order, headings, paragraphs, lists, tables, images, OCR."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf

from shared.documents.extract.base import Extraction, RawSection, Rejected, language_tag
from shared.documents.extract.pdf_headings import drop_furniture, mark_font_headings, mark_outline_headings
from shared.documents.extract.pdf_images import ImagePicker
from shared.documents.extract.pdf_page import TEXT_FLAGS, PageContent, read_page
from shared.documents.extract.pdf_sections import build_sections


@dataclass(frozen=True)
class OcrConfig:
    tessdata: str | None
    language: str = "eng"
    dpi: int = 200


def open_pdf(data: bytes, *, max_pages: int) -> pymupdf.Document:
    if b"%%EOF" not in data[-2048:]:
        raise Rejected("CORRUPT_FILE", "the PDF is truncated: it has no end-of-file marker")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise Rejected("CORRUPT_FILE", f"the PDF cannot be opened: {exc}") from exc
    if doc.needs_pass:
        raise Rejected("ENCRYPTED_PDF", "the PDF is password-protected; upload an unprotected copy")
    if doc.page_count == 0:
        raise Rejected("CORRUPT_FILE", "the PDF has no pages")
    if doc.page_count > max_pages:
        raise Rejected("FILE_TOO_LARGE", f"the PDF has {doc.page_count} pages (limit {max_pages})")
    return doc


def extract_pdf(data: bytes, *, max_pages: int, ocr: OcrConfig | None) -> Extraction:
    doc = open_pdf(data, max_pages=max_pages)
    extraction = Extraction(kind="pdf", title=(doc.metadata or {}).get("title") or "", page_count=doc.page_count)
    extraction.language = _declared_language(doc)
    try:
        pages = [_read(doc.load_page(i), ocr, extraction) for i in range(doc.page_count)]
    except RuntimeError as exc:
        raise Rejected("CORRUPT_FILE", f"the PDF is damaged: {exc}") from exc
    drop_furniture(pages)
    toc = [entry for entry in doc.get_toc(simple=True) if str(entry[1]).strip()]
    missing = mark_outline_headings(pages, toc) if toc else []
    if not toc:
        mark_font_headings(pages)
    images = ImagePicker(doc, pages)
    build_sections(extraction, pages, missing_headings=missing, images=images)
    _note_unread_pages(extraction)
    return extraction


def _declared_language(doc: pymupdf.Document) -> str | None:
    """The catalog's /Lang entry (PDF 32000 14.9.2), which tagged PDFs carry."""
    kind, value = doc.xref_get_key(doc.pdf_catalog(), "Lang")
    return language_tag(value) if kind == "string" else None  # PyMuPDF decodes (...) and <hex> strings


def _note_unread_pages(extraction: Extraction) -> None:
    """A scanned page without OCR still gets a section, saying why it has no text."""
    note = "_This page is a scanned image; its text was not read (OCR is not available)._"
    for number in extraction.needs_ocr_pages:
        existing = next((s for s in extraction.sections if s.page == number), None)
        if existing is not None:
            existing.parts.insert(0, note)
            continue
        section = RawSection(heading=f"Page {number}", level=1, page=number, continued=True, parts=[note])
        at = next((i for i, s in enumerate(extraction.sections) if (s.page or 0) > number), len(extraction.sections))
        extraction.sections.insert(at, section)


def _read(page: pymupdf.Page, ocr: OcrConfig | None, extraction: Extraction) -> PageContent:
    text_dict = page.get_text("dict", flags=TEXT_FLAGS)
    content = read_page(page, text_dict=text_dict)
    if sum(len(line.text) for line in content.lines) >= 20 or not content.images:
        return content
    if ocr is None:
        extraction.needs_ocr_pages.append(content.number)
        return content
    textpage = page.get_textpage_ocr(
        flags=TEXT_FLAGS, language=ocr.language, dpi=ocr.dpi, full=True, tessdata=ocr.tessdata
    )
    scanned = read_page(page, text_dict=page.get_text("dict", flags=TEXT_FLAGS, textpage=textpage), ocr=True)
    scanned.ocr = True
    extraction.ocr_pages.append(content.number)
    return scanned
