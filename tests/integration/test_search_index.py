"""Indexing and searching against the real Postgres: ranking, syntax, snippets, citations, scope."""

from __future__ import annotations

import uuid

import pytest

from shared.ai.contracts.aids import Citation, Flashcard, GlossaryEntry
from shared.ai.contracts.aids import KeyPoint as AiKeyPoint
from shared.container import Container
from shared.documents.contracts import Section, Source, Structure
from shared.search.contracts import Card, GlossaryTerm, KeyPoint, SearchPage, SourceRef
from shared.search.indexing import index_document_sections, index_study_aids
from shared.search.service import search
from shared.search.store.hits import Filters
from tests.support.users import make_user

pytestmark = pytest.mark.integration


def add_document(container: Container, user_id: uuid.UUID, *, title: str, kind: str = "pdf") -> uuid.UUID:
    doc_id = uuid.uuid4()
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO documents (id, user_id, title, filename, kind, raw_blob_path)"
            " VALUES (%(id)s, %(user_id)s, %(title)s, %(filename)s, %(kind)s, %(path)s)",
            {
                "id": doc_id,
                "user_id": user_id,
                "title": title,
                "filename": f"{title}.{kind}",
                "kind": kind,
                "path": f"{user_id}/{doc_id}/{title}.{kind}",
            },
        )
    return doc_id


def structure(*sections: tuple[str, str, int | None], language: str | None = "en", kind: str = "pdf") -> Structure:
    return Structure(
        title="Lecture",
        language=language,
        sections=[Section(heading=h, text=t, source=Source(kind=kind, page=p)) for h, t, p in sections],  # type: ignore[arg-type]
    )


def index(
    container: Container, user_id: uuid.UUID, doc_id: uuid.UUID, built: Structure, course_id: uuid.UUID | None = None
) -> None:
    with container.db.connection() as conn:
        index_document_sections(conn, doc_id=doc_id, user_id=user_id, course_id=course_id, structure=built)


def find(container: Container, user_id: uuid.UUID, text: str, **filters: object) -> SearchPage:
    with container.db.connection() as conn:
        return search(conn, text=text, filters=Filters(user_id=user_id, **filters))  # type: ignore[arg-type]


LECTURE = structure(
    ("Introduction", "This course covers optimisation. Gradient descent appears in week three.", 1),
    ("Gradient descent", "We follow the negative slope of the loss to reach a minimum.", 4),
    ("Neural networks", "Deep neural networks stack layers. Training uses back-propagation.", 7),
    ("Network security", "Firewalls protect a network from intruders.", 9),
)


@pytest.fixture
def owner(container: Container) -> tuple[uuid.UUID, uuid.UUID]:
    user = make_user(container)
    doc_id = add_document(container, user.user_id, title="Machine learning lecture 3")
    index(container, user.user_id, doc_id, LECTURE)
    return user.user_id, doc_id


def headings(page: SearchPage) -> list[str]:
    return [hit.citation.section for hit in page.hits]


def test_a_heading_hit_ranks_above_a_body_hit(container: Container, owner: tuple[uuid.UUID, uuid.UUID]) -> None:
    page = find(container, owner[0], "gradient descent")
    assert headings(page) == ["Gradient descent", "Introduction"]


def test_citation_points_at_the_section_and_its_page(container: Container, owner: tuple[uuid.UUID, uuid.UUID]) -> None:
    hit = find(container, owner[0], "back-propagation").hits[0]
    assert (hit.citation.section, hit.citation.page, hit.citation.unit) == ("Neural networks", 7, "page")
    assert hit.document.id == owner[1] and hit.document.title == "Machine learning lecture 3"
    assert hit.kind == "section" and hit.match == "fulltext"


def test_phrase_exclusion_and_or_syntax(container: Container, owner: tuple[uuid.UUID, uuid.UUID]) -> None:
    user_id = owner[0]
    assert headings(find(container, user_id, '"neural networks"')) == ["Neural networks"]
    assert find(container, user_id, '"networks neural"').match == "fuzzy"  # full text found no such phrase
    assert headings(find(container, user_id, "network -firewalls")) == ["Neural networks"]
    assert set(headings(find(container, user_id, "firewalls or slope"))) == {"Network security", "Gradient descent"}


def test_snippets_highlight_the_terms(container: Container, owner: tuple[uuid.UUID, uuid.UUID]) -> None:
    hit = find(container, owner[0], "firewalls").hits[0]
    assert "<mark>Firewalls</mark> protect" in hit.snippet
    heading_hit = find(container, owner[0], "security ").hits[0]
    assert heading_hit.heading == "Network <mark>security</mark>"


def test_the_last_word_matches_as_a_prefix(container: Container, owner: tuple[uuid.UUID, uuid.UUID]) -> None:
    assert headings(find(container, owner[0], "negative slo")) == ["Gradient descent"]
    assert headings(find(container, owner[0], "intrud")) == ["Network security"]


def test_typos_fall_back_to_trigram_similarity_on_headings(
    container: Container, owner: tuple[uuid.UUID, uuid.UUID]
) -> None:
    page = find(container, owner[0], "gradeint descnet ")
    assert page.match == "fuzzy"
    assert headings(page)[0] == "Gradient descent"
    assert page.hits[0].citation.page == 4


def test_english_documents_are_stemmed_and_unknown_languages_are_not(container: Container) -> None:
    user = make_user(container)
    english = add_document(container, user.user_id, title="english")
    unknown = add_document(container, user.user_id, title="unknown")
    index(container, user.user_id, english, structure(("Sorting", "Students were sorting arrays.", 1)))
    index(container, user.user_id, unknown, structure(("Sorting", "Students were sorting lists.", 1), language=None))
    hits = find(container, user.user_id, "sorted arrays ").hits
    assert [hit.document.title for hit in hits] == ["english"]
    assert {hit.document.title for hit in find(container, user.user_id, "sorting ").hits} == {"english", "unknown"}


def test_reindexing_replaces_rows_and_deleting_removes_them(
    container: Container, owner: tuple[uuid.UUID, uuid.UUID]
) -> None:
    user_id, doc_id = owner
    index(container, user_id, doc_id, LECTURE)
    index(container, user_id, doc_id, LECTURE)
    assert len(find(container, user_id, "firewalls").hits) == 1
    with container.db.connection() as conn:
        conn.execute("DELETE FROM documents WHERE id = %(id)s", {"id": doc_id})
        left = conn.execute("SELECT count(*) FROM search_entries WHERE document_id = %(id)s", {"id": doc_id}).fetchone()
    assert left == (0,)
    assert find(container, user_id, "firewalls").hits == []


def test_another_user_never_sees_the_hits(container: Container, owner: tuple[uuid.UUID, uuid.UUID]) -> None:
    stranger = make_user(container)
    assert find(container, stranger.user_id, "firewalls").hits == []
    assert find(container, stranger.user_id, "firewals ").hits == []  # nor through the fuzzy path
    assert find(container, stranger.user_id, "firewalls", document_id=owner[1]).hits == []


def test_study_aids_are_searchable_with_kind_and_slide_citations(container: Container) -> None:
    user = make_user(container)
    deck = add_document(container, user.user_id, title="deck", kind="pptx")
    index(container, user.user_id, deck, structure(("Caches", "Memory hierarchy.", 2), kind="pptx"))
    source = SourceRef(section="Caches", page=2)
    with container.db.connection() as conn:
        index_study_aids(
            conn,
            doc_id=deck,
            user_id=user.user_id,
            course_id=None,
            key_points=[KeyPoint(text="Locality makes caches effective.", source=source)],
            glossary=[GlossaryTerm(term="Cache line", definition="The unit of transfer.", source=source)],
            cards=[Card(front="What is temporal locality?", back="Reuse of recent data.", source=source)],
        )
    kinds = {hit.kind: hit for hit in find(container, user.user_id, "locality").hits}
    assert set(kinds) == {"key_point", "flashcard"}
    assert (kinds["flashcard"].citation.section, kinds["flashcard"].citation.page) == ("Caches", 2)
    assert kinds["flashcard"].citation.unit == "slide"
    glossary = find(container, user.user_id, "cache line", kinds=("glossary",)).hits
    assert [hit.heading for hit in glossary] == ["<mark>Cache</mark> <mark>line</mark>"]


def test_filters_by_course_document_and_kind(container: Container) -> None:
    user = make_user(container)
    course = uuid.uuid4()
    first = add_document(container, user.user_id, title="first")
    second = add_document(container, user.user_id, title="second")
    index(container, user.user_id, first, structure(("Entropy", "Entropy of a source.", 1)), course_id=course)
    index(container, user.user_id, second, structure(("Entropy", "Entropy again.", 1)))
    assert [h.document.title for h in find(container, user.user_id, "entropy", course_id=course).hits] == ["first"]
    assert [h.document.title for h in find(container, user.user_id, "entropy", document_id=second).hits] == ["second"]
    assert find(container, user.user_id, "entropy", kinds=("flashcard",)).hits == []


def test_the_study_aid_models_index_as_they_are_and_inherit_the_course(container: Container) -> None:
    user = make_user(container)
    course = uuid.uuid4()
    doc_id = add_document(container, user.user_id, title="notes")
    with container.db.connection() as conn:
        conn.execute("UPDATE documents SET course_id = %(c)s WHERE id = %(d)s", {"c": course, "d": doc_id})
    cite = Citation(section="Sorting", page=3)
    point = AiKeyPoint(text="Merge sort is stable.", source=cite, generator="local")
    term = GlossaryEntry(
        term="Stability", definition="A stable sort keeps equal keys in order.", source=cite, generator="local"
    )
    card = Flashcard(id="c1", front="Is merge sort stable?", back="Yes.", source=cite, generator="local")
    for _ in range(2):  # a re-run replaces
        with container.db.connection() as conn:
            index_study_aids(
                conn, doc_id=doc_id, user_id=user.user_id, key_points=[point], glossary=[term], cards=[card]
            )
    hits = find(container, user.user_id, "stable", course_id=course).hits
    assert sorted(hit.kind for hit in hits) == ["flashcard", "glossary", "key_point"]
    assert {(hit.citation.section, hit.citation.page, hit.citation.unit) for hit in hits} == {("Sorting", 3, "page")}
