"""Small platform pieces: request ids, error codes, the NCRONTAB reader, the memory blob store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devtools.devhost.cron import Schedule
from shared.platform.blobs import BlobMissing
from shared.platform.blobs_memory import MemoryBlobStore
from shared.platform.context import accept_request_id
from shared.platform.errors import ERROR_CODES, InvalidArgument, RateLimited, Unavailable
from shared.platform.migrate import discover


def test_a_sane_request_id_is_kept_and_a_hostile_one_replaced() -> None:
    assert accept_request_id("abc-123:x.y") == "abc-123:x.y"
    replaced = accept_request_id("line\nbreak")
    assert replaced != "line\nbreak" and len(replaced) == 32
    assert len(accept_request_id("x" * 200)) == 32
    assert len(accept_request_id(None)) == 32


def test_error_vocabulary() -> None:
    assert {"INVALID_ARGUMENT", "UNAUTHENTICATED", "NOT_FOUND", "CONFLICT", "RATE_LIMITED"} <= set(ERROR_CODES)
    assert InvalidArgument("x").permanent and not Unavailable("x").permanent
    limited = RateLimited("slow down", retry_after_s=30)
    assert (limited.status, limited.details["retry_after_s"]) == (429, 30)


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("0 */1 * * * *", datetime(2026, 1, 1, 10, 0, 30, tzinfo=UTC), datetime(2026, 1, 1, 10, 1, tzinfo=UTC)),
        ("0 */5 * * * *", datetime(2026, 1, 1, 10, 3, 0, tzinfo=UTC), datetime(2026, 1, 1, 10, 5, tzinfo=UTC)),
        ("0 30 3 * * *", datetime(2026, 1, 1, 3, 30, 0, tzinfo=UTC), datetime(2026, 1, 2, 3, 30, tzinfo=UTC)),
        ("15 0 9 * * 1-5", datetime(2026, 11, 28, 12, 0, tzinfo=UTC), datetime(2026, 11, 30, 9, 0, 15, tzinfo=UTC)),
    ],
)
def test_ncrontab_next_firing(expression: str, after: datetime, expected: datetime) -> None:
    assert Schedule.parse(expression).next_after(after) == expected


def test_ncrontab_rejects_five_fields_and_out_of_range_values() -> None:
    with pytest.raises(ValueError, match="six fields"):
        Schedule.parse("*/5 * * * *")
    with pytest.raises(ValueError, match="outside"):
        Schedule.parse("0 61 * * * *")


def test_memory_blob_store_records_puts_lists_and_deletes() -> None:
    store = MemoryBlobStore()
    store.put(container="raw", path="u/d/a.pdf", data=b"%PDF", content_type="application/pdf")
    store.put(container="raw", path="u/d/b.pdf", data=b"%PDF-2", content_type="application/pdf")
    assert [b.path for b in store.list(container="raw", prefix="u/d/")] == ["u/d/a.pdf", "u/d/b.pdf"]
    assert store.get(container="raw", path="u/d/a.pdf") == b"%PDF"
    assert store.delete_prefix(container="raw", prefix="u/") == 2
    with pytest.raises(BlobMissing):
        store.get(container="raw", path="u/d/a.pdf")


def test_the_migration_files_on_disk_are_well_formed_and_ordered() -> None:
    migrations = discover()
    contexts = [m.context for m in migrations]
    assert contexts[0] == "platform"
    assert contexts.index("auth") < contexts.index("documents") < contexts.index("canvas")
