"""Validation of incoming log entries: levels, sizes, identifiers, cursors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from shared.logs.contracts import MAX_CONTEXT_BYTES, LogEntryIn
from shared.logs.service import decode_cursor, encode_cursor
from shared.platform.errors import InvalidArgument


def test_an_entry_in_the_apps_own_shape_is_accepted() -> None:
    entry = LogEntryIn.model_validate(
        {"service": "web", "level": "ERROR", "message": "boom", "context": {"a": 1}, "request_id": "r-1"}
    )
    assert entry.level == "error"
    assert entry.ts is None


@pytest.mark.parametrize(
    "bad",
    [
        {"service": "web", "level": "loud", "message": "x"},
        {"service": "", "level": "info", "message": "x"},
        {"service": "has space", "level": "info", "message": "x"},
        {"service": "web", "level": "info", "message": ""},
        {"service": "web", "level": "info", "message": "x" * 8193},
        {"service": "web", "level": "info", "message": "x", "request_id": "bad id"},
        {"service": "web", "level": "info", "message": "x", "ts": "2031-01-01T00:00:00"},  # naive
        {"service": "web", "level": "info", "message": "x", "extra": 1},
        {"service": "web", "level": "info", "message": "x", "context": {"blob": "y" * MAX_CONTEXT_BYTES}},
    ],
)
def test_invalid_entries_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        LogEntryIn.model_validate(bad)


def test_cursor_round_trips_and_garbage_is_invalid_argument() -> None:
    ts = datetime(2031, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert decode_cursor(encode_cursor(ts, 42)) == (ts, 42)
    with pytest.raises(InvalidArgument):
        decode_cursor("not-a-cursor!")
