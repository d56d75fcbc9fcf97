"""Extraction fidelity on real corpus files: headings, tables, images, lists and page numbers."""
# ruff: noqa: RUF001 - the corpus headings use typographic dashes and apostrophes

from __future__ import annotations

import pymupdf

from shared.documents.extract.base import IMAGE_MARK, Extraction
from shared.documents.extract.docx import extract_docx
from shared.documents.extract.pdf import extract_pdf
from shared.documents.extract.pptx import extract_pptx
from tests.support.documents_files import (
    corpus,
    needs_shared_corpus,
    outlined_pdf,
    shadowed_title_slides_pdf,
    shared_corpus,
)


def headings(extraction: Extraction) -> list[str]:
    return [s.heading for s in extraction.sections if not s.continued]


def table_count(extraction: Extraction) -> int:
    return sum(part.count("\n|---") for s in extraction.sections for part in s.parts)


def test_pdf_with_outline_uses_its_entries_as_headings_on_their_pages() -> None:
    data = outlined_pdf()
    extraction = extract_pdf(data, max_pages=500, ocr=None)
    toc = pymupdf.open(stream=data, filetype="pdf").get_toc()
    found = {(s.heading, s.page) for s in extraction.sections if not s.continued}
    assert len(toc) == 4 and {(str(title), page) for _, title, page in toc} <= found
    assert all(s.page is not None and 1 <= s.page <= 8 for s in extraction.sections)


@needs_shared_corpus
def test_a_real_book_outline_gives_the_headings_on_their_pages() -> None:
    data = shared_corpus("udl-answer-booklet.pdf")
    extraction = extract_pdf(data, max_pages=500, ocr=None)
    toc = pymupdf.open(stream=data, filetype="pdf").get_toc()
    found = {(s.heading, s.page) for s in extraction.sections if not s.continued}
    assert {(str(title), page) for _, title, page in toc} <= found
    assert all(s.page is not None and 1 <= s.page <= 81 for s in extraction.sections)


@needs_shared_corpus
def test_pdf_without_outline_finds_chapter_headings_tables_and_figures() -> None:
    extraction = extract_pdf(shared_corpus("ibm-redp5110-sampled.pdf"), max_pages=500, ocr=None)
    by_heading = {s.heading: s.page for s in extraction.sections if not s.continued}
    assert by_heading.get("Securing and protecting IBM DB2 data") == 5
    assert by_heading.get("Preface") == 4
    assert table_count(extraction) >= 4
    pages_with_tables = {s.page for s in extraction.sections for p in s.parts if "\n|---" in p}
    assert {8, 9, 11, 12} <= pages_with_tables
    markdown = "\n".join(p for s in extraction.sections for p in s.parts)
    assert "| SET CURRENT DEGREE (SQL statement) | X |  | X |  |  |" in markdown  # cell by cell, gaps kept
    assert "| Column name | Data type | Description |" in markdown
    assert len(extraction.images) >= 3
    assert all(s.page is not None for s in extraction.sections)


def test_slide_titles_drawn_with_a_shadow_are_kept_once() -> None:
    titles = headings(extract_pdf(shadowed_title_slides_pdf(), max_pages=10, ocr=None))
    assert titles.count("HEURISTIC SEARCH (R&N 3.5-3.6)") == 1 and titles.count("LOCAL SEARCH") == 1


@needs_shared_corpus
def test_slide_pdf_drops_shadow_duplicates_and_keeps_slide_titles() -> None:
    extraction = extract_pdf(shared_corpus("chalmers-ai-lecture3.pdf"), max_pages=500, ocr=None)
    titles = headings(extraction)
    assert "HEURISTIC SEARCH (R&N 3.5–3.6)" in titles
    assert titles.count("HEURISTIC SEARCH (R&N 3.5–3.6)") == 1
    tables = [p for s in extraction.sections if s.page == 13 for p in s.parts if "\n|---" in p]
    assert len(tables) == 1  # rules drawn cell by cell, only between rows: header and last row taken in
    assert tables[0].startswith("| Search strategy | Frontier selection | Halts if solution? |")
    assert "| A* | f(n) = g(n) + h(n) | Optimal* | No | Exp |" in tables[0]


def test_docx_heading_styles_nested_lists_tables_and_images() -> None:
    lists = extract_docx(corpus("docling-docx-lists.docx"))
    assert "Test 3:" in headings(lists)
    assert "- List item 1\n- List item 2\n  - List item 1.1" in "\n\n".join(p for s in lists.sections for p in s.parts)
    sample = extract_docx(corpus("docling-word-sample.docx"))
    assert {"Swimming in the lake", "Let’s swim!", "Let’s eat"} <= set(headings(sample))
    assert table_count(sample) >= 1 and len(sample.images) >= 1
    assert all(s.page is None for s in sample.sections)


def test_docx_images_in_groups_are_found_with_alt_text_and_links_are_kept() -> None:
    grouped = extract_docx(corpus("docling-grouped-images.docx"))
    assert len(grouped.images) >= 4
    markitdown = extract_docx(corpus("markitdown-test.docx"))
    assert len(markitdown.images) == 1
    section = next(s for s in markitdown.sections if s.images)
    assert section.parts.count(f"{IMAGE_MARK}{section.images[0].ref}") == 1


def test_pptx_one_section_per_slide_with_notes_tables_and_slide_numbers() -> None:
    extraction = extract_pptx(corpus("docling-powerpoint-sample.pptx"))
    assert [s.page for s in extraction.sections] == [1, 2, 3]
    assert extraction.sections[1].heading == "Second slide title"
    assert any("Speaker notes" in p for p in extraction.sections[1].parts)
    assert table_count(extraction) >= 1
    assert "- Let’s introduce a list" in "\n".join(extraction.sections[1].parts)


def test_pptx_pictures_are_extracted_once() -> None:
    extraction = extract_pptx(corpus("markitdown-test.pptx"))
    assert extraction.page_count == 6
    assert len(extraction.images) >= 2


@needs_shared_corpus
def test_pptx_pictures_of_a_real_lecture_deck_are_extracted_once() -> None:
    extraction = extract_pptx(shared_corpus("udl-cm20315-08-performance.pptx"))
    assert extraction.page_count == 40
    assert len(extraction.images) >= 10


def _docx_with_link() -> bytes:
    import io

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("Reading list", level=2)
    paragraph = document.add_paragraph("See ")
    rid = document.part.relate_to("https://example.edu/notes", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "the notes"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    document.add_paragraph("First point", style="List Bullet")
    document.add_paragraph("Second point", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_hyperlinks_become_markdown_links_and_list_styles_become_lists() -> None:
    extraction = extract_docx(_docx_with_link())
    section = next(s for s in extraction.sections if s.heading == "Reading list")
    assert section.level == 2
    assert "See [the notes](https://example.edu/notes)" in section.parts
    assert "- First point" in "\n".join(section.parts)
    assert "1. Second point" in "\n".join(section.parts)
