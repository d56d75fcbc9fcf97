"""The platform's one cursor format and the `limit + 1` page cut."""

from __future__ import annotations

import base64

import pytest

from shared.platform.errors import InvalidArgument
from shared.platform.paging import MAX_CURSOR_CHARS, decode_cursor, encode_cursor, page_of


def test_a_cursor_round_trips_its_parts_and_is_url_safe() -> None:
    token = encode_cursor("2026-12-06T03:00:00+00:00", "ü/?&")
    assert decode_cursor(token, parts=2) == ("2026-12-06T03:00:00+00:00", "ü/?&")
    assert "=" not in token and "/" not in token and "+" not in token


def test_a_padded_cursor_still_decodes() -> None:
    token = encode_cursor("a", "b")
    assert decode_cursor(token + "=" * (-len(token) % 4), parts=2) == ("a", "b")


@pytest.mark.parametrize(
    "token",
    [
        "garbage!",
        "%%%",
        "e30",  # {}
        "W10",  # []
        encode_cursor("only one"),
        encode_cursor("a", "b", "c"),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        "x" * (MAX_CURSOR_CHARS + 1),
    ],
)
def test_anything_else_is_an_invalid_argument_about_the_cursor(token: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        decode_cursor(token, parts=2)
    assert raised.value.details == {"field": "cursor"}


def test_page_of_shows_limit_rows_and_points_after_the_last_shown() -> None:
    assert page_of([1, 2, 3], limit=2, cursor_of=str) == ([1, 2], "2")
    assert page_of([1, 2], limit=2, cursor_of=str) == ([1, 2], None)
    assert page_of([], limit=2, cursor_of=str) == ([], None)
