"""The language a file declares reaches `Structure.language`, which picks the search configuration."""

from __future__ import annotations

import uuid

import pytest

from shared.documents.extract.base import language_tag
from shared.documents.extract.docx import extract_docx
from shared.documents.extract.pdf import extract_pdf
from shared.documents.extract.pptx import extract_pptx
from shared.documents.ingest.render import render
from shared.search.language import config_for
from tests.support.documents_files import corpus, docx_declaring, needs_shared_corpus, pdf_declaring, shared_corpus


def test_a_pdf_declares_its_language_in_the_catalog() -> None:
    assert extract_pdf(pdf_declaring("fr-FR"), max_pages=10, ocr=None).language == "fr-FR"
    assert extract_pdf(pdf_declaring(None), max_pages=10, ocr=None).language is None


def test_docx_core_language_wins_over_the_style_defaults() -> None:
    assert extract_docx(docx_declaring("de-DE")).language == "de-DE"
    # python-docx's template, like Word's, sets w:lang en-US in the document defaults.
    assert extract_docx(docx_declaring("")).language == "en-US"


def test_corpus_files_declare_their_languages() -> None:
    assert extract_docx(corpus("doj-ch13-trustee-handbook.docx")).language == "en-US"
    # Most runs say en-CH, a few en-US: the majority wins.
    assert extract_pptx(corpus("docling-powerpoint-sample.pptx")).language == "en-CH"


@needs_shared_corpus
def test_shared_corpus_files_declare_their_languages() -> None:
    assert extract_pptx(shared_corpus("udl-cm20315-08-performance.pptx")).language == "en-US"
    assert extract_pdf(shared_corpus("udl-answer-booklet.pdf"), max_pages=500, ocr=None).language is None


@pytest.mark.parametrize("declared", ["english; DROP TABLE x", "x", "", "a" * 40, "en US"])
def test_anything_that_is_not_a_language_tag_is_ignored(declared: str) -> None:
    assert language_tag(declared) is None
    assert extract_pdf(pdf_declaring(declared), max_pages=10, ocr=None).language is None


def test_the_declared_language_reaches_the_structure_and_its_search_configuration() -> None:
    extraction = extract_docx(docx_declaring("de-DE"))
    rendered = render(
        user_id=uuid.uuid4(),
        doc_id=uuid.uuid4(),
        title="t",
        kind="docx",
        summary=extraction.summary(),
        images={},
        media_address=str,
    )
    assert rendered.structure.language == "de-DE"
    assert config_for(rendered.structure.language) == "german"
