"""The search use case over scripted index pages: the full-text first page, the fall back to
heading similarity, paging with a cursor bound to its query, and how hits are rendered."""

from __future__ import annotations

import uuid

import pytest

from shared.platform.errors import InvalidArgument
from shared.search.service import search_hits
from shared.search.store.hits import Filters
from shared.search.text import START, STOP
from tests.support.fakes_documents import ScriptedHitPages, hit_row

OWNER = Filters(user_id=uuid.uuid4())


def test_full_text_hits_come_best_first_with_their_matches_marked() -> None:
    pages = ScriptedHitPages(fulltext_rows=[hit_row(0.2, snippet=f"the {START}entropy{STOP} of <gas>"), hit_row(0.9)])
    page = search_hits(pages=pages, text="entropy", filters=OWNER, cursor=None, limit=10)
    assert page.match == "fulltext" and page.next_cursor is None
    assert [hit.score for hit in page.hits] == [0.9, 0.2]
    assert page.hits[1].snippet == "the <mark>entropy</mark> of &lt;gas&gt;"
    assert [call.mode for call in pages.calls] == ["fulltext"]


def test_no_full_text_hit_falls_back_to_heading_similarity_rendered_plain() -> None:
    pages = ScriptedHitPages(fuzzy_rows=[hit_row(0.5, heading="Entropy <b>", snippet="Body")])
    page = search_hits(pages=pages, text="entropi", filters=OWNER, cursor=None, limit=10)
    assert page.match == "fuzzy"
    assert [call.mode for call in pages.calls] == ["fulltext", "fuzzy"]
    [hit] = page.hits
    assert hit.heading == "Entropy &lt;b&gt;" and hit.match == "fuzzy"


def test_a_hit_without_a_heading_is_titled_by_its_citation() -> None:
    pages = ScriptedHitPages(fulltext_rows=[hit_row(0.5, heading="")])
    [hit] = search_hits(pages=pages, text="entropy", filters=OWNER, cursor=None, limit=10).hits
    assert hit.heading == "2.1 Entropy" and (hit.citation.section, hit.citation.page) == ("2.1 Entropy", 3)


def test_the_cursor_pages_through_every_hit_once_asking_one_row_more_than_it_shows() -> None:
    rows = [hit_row(score) for score in (0.9, 0.8, 0.8, 0.8, 0.1)]
    pages = ScriptedHitPages(fulltext_rows=rows)
    seen: list[uuid.UUID] = []
    cursor: str | None = None
    while True:
        page = search_hits(pages=pages, text="entropy", filters=OWNER, cursor=cursor, limit=2)
        seen.extend(hit.id for hit in page.hits)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(row.id for row in rows) and len(seen) == len(rows)
    assert {call.limit for call in pages.calls} == {3}


def test_a_fuzzy_cursor_stays_fuzzy_and_a_later_empty_full_text_page_does_not_switch() -> None:
    pages = ScriptedHitPages(fuzzy_rows=[hit_row(0.7), hit_row(0.6)])
    first = search_hits(pages=pages, text="entropi", filters=OWNER, cursor=None, limit=1)
    second = search_hits(pages=pages, text="entropi", filters=OWNER, cursor=first.next_cursor, limit=1)
    assert second.match == "fuzzy" and [call.mode for call in pages.calls] == ["fulltext", "fuzzy", "fuzzy"]
    assert pages.calls[-1].after is not None and pages.calls[-1].after.score == 0.7


def test_a_cursor_belongs_to_its_query_filters_and_page_size() -> None:
    pages = ScriptedHitPages(fulltext_rows=[hit_row(0.9), hit_row(0.8)])
    cursor = search_hits(pages=pages, text="entropy", filters=OWNER, cursor=None, limit=1).next_cursor
    assert cursor is not None
    other_course = Filters(user_id=OWNER.user_id, course_id=uuid.uuid4())
    for text, filters, limit in (("enthalpy", OWNER, 1), ("entropy", other_course, 1), ("entropy", OWNER, 2)):
        with pytest.raises(InvalidArgument, match="another query"):
            search_hits(pages=pages, text=text, filters=filters, cursor=cursor, limit=limit)


def test_the_filters_reach_the_index_unchanged() -> None:
    filters = Filters(user_id=uuid.uuid4(), document_id=uuid.uuid4(), kinds=("glossary",))
    pages = ScriptedHitPages()
    search_hits(pages=pages, text="entropy", filters=filters, cursor=None, limit=5)
    assert {call.filters for call in pages.calls} == {filters}
    assert pages.calls[0].query.text == "entropy"
