"""Small course documents the stub makes itself: a PDF, a DOCX and a PPTX per request."""

from __future__ import annotations

import io

import docx
import pptx
import pymupdf


def make_pdf(title: str, *, version: int = 1, pages: int = 2) -> bytes:
    document = pymupdf.Document()  # type: ignore[no-untyped-call]  # PyMuPDF ships no annotations here
    for number in range(1, pages + 1):
        page = document.new_page()
        page.insert_text((72, 72), f"{title} (version {version})", fontsize=18)
        body = f"Page {number}. Key idea {number}: spaced practice beats cramming for long-term recall."
        page.insert_text((72, 110), body, fontsize=11)
    data: bytes = document.tobytes(deflate=True)  # type: ignore[no-untyped-call]  # as above
    document.close()  # type: ignore[no-untyped-call]  # as above
    return data


def make_docx(title: str, *, version: int = 1) -> bytes:
    document = docx.Document()
    document.add_heading(f"{title} (version {version})", level=1)
    document.add_paragraph("Read this before the seminar. It introduces the week's main terms.")
    document.add_heading("Terms", level=2)
    document.add_paragraph("Retrieval practice: recalling facts from memory strengthens them.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pptx(title: str, *, version: int = 1, slides: int = 3) -> bytes:
    presentation = pptx.Presentation()
    layout = presentation.slide_layouts[1]
    for number in range(1, slides + 1):
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text = f"{title}: slide {number} (version {version})"
        slide.placeholders[1].text = f"Point {number}: worked examples first, then practice problems."
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


MAKERS = {"pdf": make_pdf, "docx": make_docx, "pptx": make_pptx}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
}


def make_file(kind: str, title: str, *, version: int = 1) -> bytes:
    maker = MAKERS.get(kind)
    if maker is None:
        return f"{title} (version {version}): a file of kind {kind} the stub fills with text.\n".encode()
    return maker(title, version=version)
