"""The local generator: deterministic, extractive, labelled "local", every item citing a real page."""

from __future__ import annotations

from collections import Counter

import pytest

from shared.ai.cards import card_id, normalise_front
from shared.ai.contracts.aids import MAX_BULLETS, Citation, StudyAids
from shared.ai.errors import GenerationFailed
from shared.ai.language.statements import is_statement
from shared.ai.local.generator import LocalGenerator
from shared.documents.contracts import Section, Source, Structure
from tests.support.ai_docs import lecture


def _citations(aids: StudyAids) -> list[Citation]:
    notes = aids.notes
    return [
        *[k.source for k in notes.key_points],
        *[g.source for g in notes.glossary],
        *[s.source for s in aids.slides],
        *[c.source for c in aids.cards],
        *notes.overview_sources,
    ]


def test_every_item_cites_a_section_and_page_of_the_document() -> None:
    structure = lecture(pages=8)
    aids = LocalGenerator().generate(structure)
    known = {(s.heading, s.source.page) for s in structure.sections}
    citations = _citations(aids)
    assert aids.notes.key_points and aids.cards and len(aids.slides) > 1
    assert all((c.section, c.page) in known for c in citations), [
        c for c in citations if (c.section, c.page) not in known
    ]


def test_key_points_and_cards_are_sentences_of_their_cited_section() -> None:
    structure = lecture(pages=4)
    text_of = {(s.heading, s.source.page): s.text for s in structure.sections}
    aids = LocalGenerator().generate(structure)
    for point in aids.notes.key_points:
        assert point.text in text_of[(point.source.section, point.source.page)]
    for card in aids.cards:
        if "definition" in card.tags:
            assert card.back.rstrip(".")[1:] in text_of[(card.source.section, card.source.page)]


def test_everything_is_labelled_local() -> None:
    aids = LocalGenerator().generate(lecture())
    generators = {aids.generator, aids.notes.generator}
    generators |= {k.generator for k in aids.notes.key_points} | {g.generator for g in aids.notes.glossary}
    generators |= {s.generator for s in aids.slides} | {c.generator for c in aids.cards}
    assert generators == {"local"}
    assert aids.usage.requests == 0 and aids.usage.total_tokens == 0


def test_output_is_deterministic_and_card_ids_are_stable() -> None:
    first = LocalGenerator().generate(lecture(pages=6))
    second = LocalGenerator().generate(lecture(pages=6))
    assert first == second
    assert [c.id for c in first.cards] == [card_id(c.front) for c in first.cards]
    assert len({c.id for c in first.cards}) == len(first.cards)


def test_card_id_ignores_case_spacing_and_punctuation() -> None:
    assert normalise_front("  What is  an Admissible heuristic?") == "what is an admissible heuristic"
    assert card_id("What is an admissible heuristic?") == card_id("what is an  admissible heuristic")
    assert card_id("What is A*?") != card_id("What is IDA*?")


def test_definitions_become_glossary_entries_and_cards() -> None:
    aids = LocalGenerator().generate(lecture())
    terms = {g.term.lower() for g in aids.notes.glossary}
    assert {"search problem", "heuristic"} <= terms
    cards = {c.front: c for c in aids.cards}
    card = cards["What is meant by “heuristic”?"]
    # The whole defining sentence, a complete statement, rather than the bare noun phrase after "is".
    assert card.back == "A heuristic is a function that estimates the cost from a node to the nearest goal."
    assert card.source.section == "Heuristics" and card.source.page == 2


def test_cloze_cards_blank_a_term_that_the_back_restores() -> None:
    aids = LocalGenerator().generate(lecture(pages=8))
    cloze = [c for c in aids.cards if "cloze" in c.tags]
    assert cloze
    for card in cloze:
        assert "_____" in card.front
        assert card.front.replace("_____", card.back, 1) in " ".join(s.text for s in lecture(pages=8).sections)


def test_slides_follow_the_sections_with_at_most_six_bullets_and_narration() -> None:
    structure = lecture(pages=4)
    aids = LocalGenerator().generate(structure)
    assert aids.slides[0].title == "Informed search"
    assert [s.title for s in aids.slides[1:]] == [s.heading for s in structure.sections]
    assert [s.index for s in aids.slides] == list(range(1, len(aids.slides) + 1))
    assert all(len(s.bullets) <= MAX_BULLETS and s.narration for s in aids.slides)


def test_a_document_without_sentences_fails_clearly() -> None:
    empty = Structure(title="Scan", sections=[Section(heading="", text="  \n", source=Source(kind="pdf", page=1))])
    with pytest.raises(GenerationFailed) as raised:
        LocalGenerator().generate(empty)
    assert raised.value.code == "NO_TEXT"


def test_docx_sections_without_pages_cite_the_section_only() -> None:
    structure = lecture()
    docx = Structure(
        title="Notes",
        sections=[s.model_copy(update={"source": Source(kind="docx")}) for s in structure.sections],
    )
    aids = LocalGenerator().generate(docx)
    assert all(c.page is None for c in _citations(aids))


def test_running_headers_tables_of_contents_and_code_are_never_key_points() -> None:
    header = "Row and Column Access Control Support in IBM DB2 for i"
    pages = [
        Section(
            heading=f"Topic {n}",
            text=f"{header}\n{text}\nContents and more. . . . . . . . . . 12\nSELECT NAME FROM EMPLOYEES WHERE ID = 1;",
            source=Source(kind="pdf", page=n),
        )
        for n, text in enumerate(
            [
                "A row permission is a database object that decides which rows a user may read.",
                "A column mask is a database object that decides what value a user sees in a column.",
                "Separation of duties keeps the security administrator away from the data itself.",
            ],
            start=1,
        )
    ]
    aids = LocalGenerator().generate(Structure(title="RCAC", sections=pages))
    texts = [k.text for k in aids.notes.key_points] + [c.back for c in aids.cards] + [aids.notes.overview]
    assert not any(header in t or ". . ." in t or "SELECT" in t for t in texts), texts
    assert {k.source.page for k in aids.notes.key_points} == {1, 2, 3}


def test_cards_are_statements_with_varied_answers_covering_every_section() -> None:
    structure = lecture(pages=4)
    aids = LocalGenerator().generate(structure)
    backs = [c.back for c in aids.cards if "cloze" not in c.tags]
    assert backs and all(is_statement(b) for b in backs)
    answers = Counter(c.back.casefold() for c in aids.cards if "cloze" in c.tags)
    assert answers and max(answers.values()) <= 2
    cited = {c.source for c in aids.cards} | {k.source for k in aids.notes.key_points}
    assert {(s.heading, s.source.page) for s in structure.sections} == {(c.section, c.page) for c in cited}


def test_a_deck_of_scraps_still_gets_key_points_and_an_overview_that_is_a_sentence() -> None:
    text = (
        "- Overfitting and underfitting of models\n- Bias and variance of an estimator\n- Double descent in deep nets"
    )
    sections = [Section(heading="Performance", level=1, text=text, source=Source(kind="pptx", page=1))]
    aids = LocalGenerator().generate(Structure(title="Deck", sections=sections, page_count=1))
    assert [k.text for k in aids.notes.key_points][:1] and aids.notes.overview == "This document covers “Performance”."
    assert is_statement(aids.notes.overview)
