"""Hostile and broken files for the ingest tests, built in the tests (never stored in the repo)."""

from __future__ import annotations

import io
import zipfile

import docx
import pymupdf

from tests.conftest import SHARED_DIR

CORPUS = SHARED_DIR / "corpus"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def text_pdf(pages: int = 10) -> bytes:
    """A text PDF with one large heading and two paragraphs per page."""
    doc = pymupdf.open()
    for number in range(1, pages + 1):
        page = doc.new_page()
        page.insert_text((72, 90), f"Chapter {number} Heading", fontsize=22, fontname="helv")
        for line in range(6):
            page.insert_text(
                (72, 140 + 16 * line),
                f"Body text of page {number}, line {line + 1}, about topic {number}.",
                fontsize=11,
            )
    return bytes(doc.tobytes())


def encrypted_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret")
    return bytes(
        doc.tobytes(
            encryption=pymupdf.PDF_ENCRYPT_AES_256,  # type: ignore[attr-defined]  # constant missing from the stubs
            user_pw="user",
            owner_pw="owner",
        )
    )


def truncated_pdf() -> bytes:
    data = text_pdf(3)
    return data[: len(data) // 2]


def zip_bomb_docx() -> bytes:
    """A DOCX-shaped zip whose one member expands 1000x (250 MiB of zeros in ~250 KiB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(250):
                member.write(chunk)
    return buffer.getvalue()


def xml_bomb_docx() -> bytes:
    """A DOCX whose document.xml is a billion-laughs entity bomb."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document xmlns:w="{_W}">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>'
)


def pdf_declaring(lang: str | None) -> bytes:
    """A one-page PDF whose catalog declares `lang` as its /Lang (none when None)."""
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Bonjour tout le monde")
    if lang is not None:
        doc.xref_set_key(doc.pdf_catalog(), "Lang", pymupdf.get_pdf_str(lang))
    return bytes(doc.tobytes())


def docx_declaring(core_language: str) -> bytes:
    """A one-paragraph DOCX whose core properties declare `core_language` (empty: none)."""
    document = docx.Document()
    document.add_paragraph("Hallo Welt")
    document.core_properties.language = core_language
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
