"""Keyset paging for every list route: one opaque cursor format and the `limit + 1` over-fetch.

A cursor is the base64url (unpadded) JSON array of the last shown row's sort key, as strings.
Each context turns its own key into strings and back; this module only checks the shape, so a
crafted or truncated cursor is a 400 `INVALID_ARGUMENT`, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from shared.platform.errors import InvalidArgument

T = TypeVar("T")

#: Longer cursors were not issued by this API; refusing them keeps decoding cheap.
MAX_CURSOR_CHARS = 512


def encode_cursor(*parts: str) -> str:
    """The cursor for a row whose sort key is `parts`."""
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def decode_cursor(token: str, *, parts: int) -> tuple[str, ...]:
    """The sort key a cursor holds: exactly `parts` strings, or InvalidArgument."""
    if len(token) > MAX_CURSOR_CHARS:
        raise invalid_cursor()
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise invalid_cursor() from exc
    if not isinstance(key, list) or len(key) != parts or not all(isinstance(part, str) for part in key):
        raise invalid_cursor()
    return tuple(key)


def invalid_cursor() -> InvalidArgument:
    """The one error for a cursor this API did not issue (raise it `from` the parse error)."""
    return InvalidArgument("the cursor is not one this API issued", details={"field": "cursor"})


def page_of(rows: Sequence[T], *, limit: int, cursor_of: Callable[[T], str]) -> tuple[list[T], str | None]:
    """The rows to show from a `limit + 1` fetch, and the next page's cursor when there is one."""
    shown = list(rows[:limit])
    return shown, cursor_of(shown[-1]) if len(rows) > limit and shown else None
