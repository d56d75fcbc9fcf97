"""Stored-XSS probe (F5): hostile DOCX/PPTX/PDF content reaches document.md, notes.md and slides.md
as text only: no raw HTML, no comment that closes early, no link but http(s)/mailto, no SVG served."""

from __future__ import annotations

import io
import re
import uuid
import zipfile

import docx
import pptx
import pymupdf
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from shared.ai.contracts.aids import Citation, GlossaryEntry, KeyPoint, NotesSummary, Slide
from shared.ai.render import notes_markdown, slides_markdown
from shared.documents.ingest.pipeline import extract_document
from shared.documents.ingest.render import Rendered, render
from shared.documents.settings import DocumentsSettings
from shared.media.slides_md import parse_slides

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40"><script>alert(3)</script>' + (
    b'<rect width="60" height="40" fill="red"/>' * 8 + b"</svg>"
)
# Any tag, comment, processing instruction or closing tag, except the page markers we write.
RAW_HTML = re.compile(r"<(?!!-- page \d+ -->)[A-Za-z/!?]")
DESTINATIONS = re.compile(r"\]\(\s*(\S*)")
SAFE = ("https://", "http://", "mailto:", "media/")


def _hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    node = OxmlElement("w:t")
    node.text = text
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def _hostile_docx() -> bytes:
    document = docx.Document()
    document.add_heading(IMG, level=1)
    document.add_paragraph(f"Body {SCRIPT} and {IMG}")
    document.add_paragraph("[click me](javascript:alert(4)) and ![x]( JaVa\\Script:alert(5))")
    document.add_paragraph("[ref]: javascript:alert(6)")
    _hyperlink(document.add_paragraph("See "), "javascript:alert(7)", "the docs")
    _hyperlink(document.add_paragraph("Read "), "https://example.edu/guide", "the guide")
    png = pymupdf.open()  # type: ignore[no-untyped-call]  # PyMuPDF's stubs leave these untyped
    pixmap: pymupdf.Pixmap = png.new_page(width=60, height=40).get_pixmap()
    document.add_picture(io.BytesIO(pixmap.tobytes("png")))  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    document.save(out)
    return _swap_image_for_svg(out.getvalue())


def _swap_image_for_svg(data: bytes) -> bytes:
    """The picture's part becomes an SVG with a script (python-docx cannot add SVG itself)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    image_part = "/" + next(n for n in source.namelist() if n.startswith("word/media/"))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename.startswith("word/media/"):
                body = SVG
            elif item.filename == "[Content_Types].xml":
                override = f'<Override PartName="{image_part}" ContentType="image/svg+xml"/></Types>'
                body = body.replace(b"</Types>", override.encode())
            target.writestr(item, body)
    return out.getvalue()


def _hostile_pptx() -> bytes:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = SCRIPT
    slide.placeholders[1].text = f"{IMG} --!><img src=y onerror=alert(8)>"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _hostile_pdf() -> bytes:
    document = pymupdf.open()  # type: ignore[no-untyped-call]  # PyMuPDF's stubs leave these untyped
    page = document.new_page()
    page.insert_text((72, 72), f"Heading {IMG}", fontsize=20)
    page.insert_text((72, 120), f"Text {SCRIPT} [x](javascript:alert(9))", fontsize=11)
    return bytes(document.tobytes())  # type: ignore[no-untyped-call]


def _rendered(data: bytes, filename: str) -> Rendered:
    extracted = extract_document(data, filename=filename, settings=DocumentsSettings())
    result = extracted.result
    return render(
        user_id=uuid.uuid4(),
        doc_id=uuid.uuid4(),
        title="t",
        kind=extracted.kind,
        summary=result.summary,
        images=result.images,
        media_address=lambda path: f"media/{path}",
    )


def _assert_text_only(markdown: str) -> None:
    assert not RAW_HTML.search(markdown), markdown
    for destination in DESTINATIONS.findall(markdown):
        assert destination.startswith(SAFE), (destination, markdown)


def test_docx_payloads_stay_text_and_svg_is_rasterised() -> None:
    rendered = _rendered(_hostile_docx(), "hostile.docx")
    _assert_text_only(rendered.markdown)
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered.markdown  # kept, as visible text
    assert "[the guide](https://example.edu/guide)" in rendered.markdown
    assert "javascript" not in " ".join(DESTINATIONS.findall(rendered.markdown)).lower()
    assert rendered.assets, "the picture is kept"
    assert {a.content_type for a in rendered.assets} == {"image/png"}
    assert all(a.data.startswith(b"\x89PNG") for a in rendered.assets)


def test_pptx_payloads_stay_text() -> None:
    rendered = _rendered(_hostile_pptx(), "hostile.pptx")
    _assert_text_only(rendered.markdown)
    assert "&lt;script&gt;" in rendered.markdown


def test_pdf_payloads_stay_text() -> None:
    rendered = _rendered(_hostile_pdf(), "hostile.pdf")
    _assert_text_only(rendered.markdown)
    assert "onerror" in rendered.markdown


def _cite(section: str) -> Citation:
    return Citation(section=section, page=2)


def test_slides_escape_titles_sources_and_the_narration_comment() -> None:
    narration = "Say this --!><img src=x onerror=alert(10)> and --> that"
    slide = Slide(
        index=1,
        title=SCRIPT,
        bullets=[IMG, "[x](javascript:alert(11))"],
        narration=narration,
        source=_cite(IMG),
        generator="local",
    )
    markdown = slides_markdown([slide])
    _assert_text_only(markdown.replace("<small>", "").replace("</small>", "").replace("<!-- narration:", ""))
    assert markdown.count("-->") == 1 and markdown.rstrip().endswith("-->")
    script = parse_slides(markdown)[0]
    assert script.narration == narration  # the narrator still reads the words themselves
    assert script.title == SCRIPT


def test_notes_escape_every_generated_string() -> None:
    notes = NotesSummary(
        title=IMG,
        overview=f"Overview {SCRIPT} [x](javascript:alert(12))",
        overview_sources=[_cite(IMG)],
        key_points=[KeyPoint(text=IMG, source=_cite(SCRIPT), generator="local")],
        glossary=[GlossaryEntry(term=SCRIPT, definition=IMG, source=_cite("s"), generator="local")],
        generator="local",
    )
    _assert_text_only(notes_markdown(notes))
