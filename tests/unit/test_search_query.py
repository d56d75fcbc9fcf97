"""Parsing what the user typed, the paging cursor, language configs and snippet HTML."""

from __future__ import annotations

import uuid

import pytest

from shared.platform.errors import InvalidArgument
from shared.search.cursor import Cursor, decode_cursor, encode_cursor
from shared.search.language import config_for
from shared.search.passages import passages
from shared.search.query import MAX_QUERY_CHARS, parse_query
from shared.search.text import START, STOP, clean, marked_html


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("x" * (MAX_QUERY_CHARS + 1), "longer than"),
        ("neural\x00network", "control characters"),
        ("-training", "at least one word"),
        ('-"deep learning"', "at least one word"),
        ("!!! ??? ...", "at least one word"),
        (" ".join(["word"] * 40), "more than"),
    ],
)
def test_bad_queries_are_refused_with_a_reason(raw: str, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        parse_query(raw)


def test_the_last_word_typed_becomes_a_prefix() -> None:
    parsed = parse_query("gradient desc")
    assert (parsed.head, parsed.prefix, parsed.joiner) == ("gradient", "desc", "and")


def test_a_finished_word_is_no_prefix() -> None:
    parsed = parse_query("gradient descent ")
    assert (parsed.head, parsed.prefix) == ("gradient descent", None)


def test_or_before_the_last_word_joins_it_with_or() -> None:
    parsed = parse_query("cats OR dog")
    assert (parsed.head, parsed.prefix, parsed.joiner) == ("cats", "dog", "or")


@pytest.mark.parametrize("raw", ['"deep learn', "neural -train", "cats or", "x:*", "it's", "neural ne"])
def test_no_prefix_inside_quotes_after_minus_or_on_operators(raw: str) -> None:
    assert parse_query(raw).prefix is None


def test_positive_words_feed_the_fuzzy_fallback() -> None:
    assert parse_query('"gradeint descnet" -noise or momentum').words == "gradeint descnet momentum"


def test_cursor_round_trips_and_is_bound_to_its_query() -> None:
    cursor = Cursor(mode="fulltext", score=0.1000000014901161, after_id=uuid.uuid4())
    token = encode_cursor(cursor, fingerprint="abc")
    assert decode_cursor(token, fingerprint="abc") == cursor
    with pytest.raises(InvalidArgument, match="another query"):
        decode_cursor(token, fingerprint="other")


@pytest.mark.parametrize("token", ["not base64 !!", "e30", "W10", "x" * 600, "eyJtIjoiemlwIn0"])
def test_tampered_cursors_are_invalid_arguments(token: str) -> None:
    with pytest.raises(InvalidArgument):
        decode_cursor(token, fingerprint="abc")


@pytest.mark.parametrize(
    ("language", "config"),
    [("en", "english"), ("en-GB", "english"), ("de_DE", "german"), ("french", "french"), (None, "simple")],
)
def test_language_tags_map_to_text_search_configs(language: str | None, config: str) -> None:
    assert config_for(language) == config


def test_unknown_languages_fall_back_to_simple() -> None:
    assert config_for("tlh") == "simple"


def test_snippets_escape_html_and_only_our_markers_become_marks() -> None:
    indexed = clean(f"<script>x</script> {START}forged{STOP}\x00")
    assert indexed == "<script>x</script> forged"
    assert marked_html(f"a < b {START}term{STOP}") == "a &lt; b <mark>term</mark>"


def test_long_text_splits_into_bounded_passages_without_losing_words() -> None:
    text = "\n".join(["short paragraph"] * 3 + ["word " * 700] + ["tail"])
    found = passages(text, limit=300)
    assert all(len(passage) <= 300 for passage in found)
    assert " ".join(" ".join(found).split()) == " ".join(text.split())
    assert passages("") == [""]
    assert passages("one\ntwo") == ["one\ntwo"]
