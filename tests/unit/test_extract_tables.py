"""Tables without ruling lines (or with a rule under the header only) are read from the text layout,
and every table keeps its cells: a pipe table in the Markdown, rows of cells with the page in the
structure. Side-by-side prose, aligned equations and bullets are not tables."""

from __future__ import annotations

import uuid

import pytest

from shared.documents.extract.base import Extraction, clean_text
from shared.documents.extract.docx import extract_docx
from shared.documents.extract.pdf import OcrConfig, extract_pdf
from shared.documents.extract.pptx import extract_pptx
from shared.documents.ingest.pipeline import tessdata_prefix
from shared.documents.ingest.render import render
from shared.documents.settings import DocumentsSettings
from tests.support import documents_files as files


def tables_of(extraction: Extraction) -> list[tuple[int | None, list[list[str]]]]:
    return [(table.page, table.rows) for section in extraction.sections for table in section.tables]


def pdf(data: bytes) -> Extraction:
    return extract_pdf(data, max_pages=10, ocr=None)


@pytest.mark.parametrize("header_rule", [False, True], ids=["borderless", "header-rule"])
def test_text_in_columns_is_read_as_a_table_with_its_cells_and_page(header_rule: bool) -> None:
    extraction = pdf(files.aligned_table_pdf(files.TABLE_ROWS, header_rule=header_rule))
    assert tables_of(extraction) == [(1, files.TABLE_ROWS)]
    parts = [part for section in extraction.sections for part in section.parts]
    table = next(part for part in parts if part.startswith("|"))
    assert table.splitlines()[:3] == [
        "| Setting | Default | Unit | Meaning |",
        "|---|---|---|---|",
        "| timeout | 30 | s | Seconds before a request is abandoned |",
    ]
    text = "\n".join(parts)
    assert "An opening paragraph" in text and "A closing paragraph" in text  # the prose around stays prose
    assert "Seconds before" not in text.replace(table, "")  # the cells are not repeated as paragraphs


def test_a_cell_wrapped_onto_a_second_line_stays_in_its_row() -> None:
    assert tables_of(pdf(files.aligned_table_pdf(files.TABLE_ROWS, wrap_last=True))) == [(1, files.TABLE_ROWS)]


@pytest.mark.parametrize(
    "data",
    [
        files.two_column_pdf(),
        files.equations_pdf(),
        files.bullet_slide_pdf(),
        files.reference_list_pdf(),
        files.margin_notes_pdf(),
        files.numbered_listing_pdf(),
        files.figure_with_axis_labels_pdf(),
        files.vector_plot_pdf(),
    ],
    ids=[
        "two-columns-and-aside",
        "aligned-equations",
        "bullets",
        "reference-list",
        "margin-notes",
        "listing",
        "axis-labels",
        "vector-plot",
    ],
)
def test_side_by_side_prose_equations_and_bullets_are_not_tables(data: bytes) -> None:
    extraction = pdf(data)
    assert tables_of(extraction) == []
    assert not any(part.startswith("|") for section in extraction.sections for part in section.parts)


def test_two_columns_and_an_aside_read_sentence_by_sentence() -> None:
    text = " ".join(part for section in pdf(files.two_column_pdf()).sections for part in section.parts)
    sentence = "Column text goes on here with enough words to fill a line or two of the column."
    assert text.count(sentence) == 15
    assert text.count("Aside in a box, a few short remarks for the reader.") == 3


def test_structure_carries_table_rows_with_the_page_beside_the_markdown() -> None:
    extraction = pdf(files.aligned_table_pdf([*files.TABLE_ROWS, ["pipe", "a|b", "-", "Cells may hold a | sign"]]))
    doc = uuid.uuid4()
    rendered = render(user_id=doc, doc_id=doc, title="Settings", kind="pdf", summary=extraction.summary(), images={},
                      media_address=lambda path: f"media/{path}")  # fmt: skip
    tables = [table for section in rendered.structure.sections for table in section.tables]
    assert [(t.page, t.rows[-1]) for t in tables] == [(1, ["pipe", "a|b", "-", "Cells may hold a | sign"])]
    assert "| pipe | a\\|b | - | Cells may hold a \\| sign |" in rendered.markdown


def test_docx_and_pptx_tables_are_in_the_structure_too() -> None:
    docx_tables = tables_of(extract_docx(files.corpus("docling-word-sample.docx")))
    assert docx_tables and all(page is None and len(rows) >= 2 for page, rows in docx_tables)
    pptx_tables = tables_of(extract_pptx(files.corpus("markitdown-test.pptx")))
    assert pptx_tables and all(page is not None and page >= 1 for page, _ in pptx_tables)


def test_a_table_in_one_column_of_a_two_column_page_leaves_the_prose_beside_it_alone() -> None:
    extraction = pdf(files.table_beside_prose_pdf())
    assert tables_of(extraction) == [(1, [row[:3] for row in files.TABLE_ROWS])]
    text = " ".join(part for section in extraction.sections for part in section.parts if not part.startswith("|"))
    assert text.count("column text goes on here") == 8 and "it ends." in text


def test_two_tables_of_one_width_with_prose_between_are_two_tables() -> None:
    tables = tables_of(pdf(files.booktabs_pair_pdf()))
    assert tables == [(1, files.booktabs_rows(1)), (1, files.booktabs_rows(2))]  # the sub-row stays a row


def test_ligatures_read_as_their_letters() -> None:
    assert clean_text("stuﬀed ﬂoat deﬁnitely oﬃce") == "stuffed float definitely office"


def test_a_tableau_with_double_rules_partial_rules_and_an_unruled_column_keeps_its_columns() -> None:
    assert tables_of(pdf(files.ruled_tableau_pdf())) == [(1, files.TABLEAU_ROWS)]


def test_a_header_of_stacked_lines_beside_a_centred_label_is_one_row() -> None:
    tables = tables_of(pdf(files.stacked_header_pdf()))
    assert len(tables) == 1
    header, *body = tables[0][1]
    assert [" ".join(cell.replace("[", " ").split()) for cell in header] == ["n", "n 0", "n 1", "n 2", "n 3"]
    assert body == [
        ["0", "1", "", "", ""],
        ["1", "1", "1", "", ""],
        ["2", "1", "2", "1", ""],
        ["3", "1", "3", "3", "1"],
    ]


def test_math_signs_in_the_header_alone_do_not_make_a_table_an_equation() -> None:
    rows = [
        ["n", "n ± 1", "n ÷ 2", "Kind"],
        ["1", "0 2", "0.5", "odd"],
        ["2", "1 3", "1", "even"],
        ["3", "2 4", "1.5", "odd"],
    ]
    assert tables_of(pdf(files.aligned_table_pdf(rows))) == [(1, rows)]


def test_lines_of_source_set_in_columns_in_a_typewriter_font_are_code_not_a_table() -> None:
    extraction = pdf(files.verbatim_columns_pdf())
    assert tables_of(extraction) == []
    text = " ".join(part for section in extraction.sections for part in section.parts)
    assert "& stuffed" in text


def test_a_scanned_table_read_by_ocr_is_a_table() -> None:
    """The scan under OCR's text is no picture with labels around it, and the text layer's fixed-pitch
    font says nothing of the type on the page."""
    found = tessdata_prefix(DocumentsSettings())
    if found is None:
        pytest.skip("tesseract language data is not installed (scripts/bootstrap.sh installs it)")
    extraction = extract_pdf(
        files.scanned_pdf(files.aligned_table_pdf(files.TABLE_ROWS)), max_pages=1, ocr=OcrConfig(found)
    )
    assert [rows[0] for _, rows in tables_of(extraction)] == [files.TABLE_ROWS[0]]
