"""The canvas context's decisions, driven with fakes: the connect callback, how a failed sync is
recorded, and what a sync plans to read and fetch (a fake Canvas stands in for the HTTP client)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from shared.canvas.adapters.crypto import TokenDecryptError, TokenKeyError
from shared.canvas.adapters.models import Course, File
from shared.canvas.errors import (
    CanvasAuthExpired,
    CanvasError,
    CanvasNotFound,
    CanvasPermissionDenied,
    CanvasThrottled,
)
from shared.canvas.service import accept_callback
from shared.canvas.store.files import FileRow
from shared.canvas.sync.files import file_kind, listed_files, plan_file
from shared.canvas.sync.run import list_courses, why_failed
from shared.platform.errors import FailedPrecondition, InvalidArgument, PermissionDenied, Unauthenticated

Params = Mapping[str, str | list[str]] | None
T0 = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
ALICE, MALLORY = uuid.uuid4(), uuid.uuid4()


class FakeCanvas:
    """Canvas's API as pages of JSON by path; a path mapped to an error raises it. Records every read."""

    def __init__(self, pages: dict[str, list[dict[str, object]] | CanvasError]) -> None:
        self.pages = pages
        self.read: list[tuple[str, dict[str, str | list[str]]]] = []

    def api_url(self, path: str) -> str:
        return f"https://canvas.test/api/v1/{path}"

    def get_json(self, url: str, params: Params = None) -> tuple[object, str | None]:
        return list(self.paginate(url.removeprefix("https://canvas.test/api/v1/"), params)), None

    def paginate(self, path: str, params: Params = None) -> Iterator[dict[str, object]]:
        self.read.append((path, dict(params or {})))
        page = self.pages[path]
        if isinstance(page, CanvasError):
            raise page
        yield from page


# -- the connect callback --------------------------------------------------------------------


def test_the_callback_accepts_the_code_for_the_signed_in_user_who_started() -> None:
    assert accept_callback(started_by=ALICE, signed_in=ALICE, code="c0de", error=None) == (ALICE, "c0de")


@pytest.mark.parametrize(
    ("started_by", "signed_in", "code", "error", "refusal"),
    [
        (None, ALICE, "c0de", None, InvalidArgument),  # unknown, used or expired state
        (ALICE, None, "c0de", None, Unauthenticated),  # the browser is not signed in
        (ALICE, MALLORY, "c0de", None, PermissionDenied),  # a link sent to someone else
        (ALICE, ALICE, None, "access_denied", PermissionDenied),  # the student declined
        (ALICE, ALICE, None, None, InvalidArgument),  # no code
    ],
)
def test_the_callback_refuses_before_any_code_is_exchanged(
    started_by: uuid.UUID | None,
    signed_in: uuid.UUID | None,
    code: str | None,
    error: str | None,
    refusal: type[Exception],
) -> None:
    with pytest.raises(refusal):
        accept_callback(started_by=started_by, signed_in=signed_in, code=code, error=error)


def test_a_mismatched_account_is_refused_even_when_canvas_sent_an_error_too() -> None:
    with pytest.raises(PermissionDenied, match="another account"):
        accept_callback(started_by=ALICE, signed_in=MALLORY, code=None, error="access_denied")


# -- how a failed run is recorded ----------------------------------------------------------


def test_expired_or_unreadable_tokens_fail_the_run_and_ask_for_a_reconnect() -> None:
    assert why_failed(CanvasAuthExpired("revoked")) == ("CANVAS_TOKEN_EXPIRED: revoked", True)
    error, reconnect = why_failed(TokenDecryptError("bad tag"))
    assert error.startswith("CANVAS_TOKENS_UNREADABLE") and reconnect
    assert why_failed(TokenKeyError("no key k9"))[1]


def test_other_refusals_fail_the_run_without_a_reconnect() -> None:
    assert why_failed(CanvasThrottled("slow down")) == ("CANVAS_RATE_LIMITED: slow down", False)
    assert why_failed(FailedPrecondition("Canvas is not configured")) == (
        "FAILED_PRECONDITION: Canvas is not configured",
        False,
    )
    with pytest.raises(ValidationError) as caught:
        Course.model_validate({"id": "not a number"})
    error, reconnect = why_failed(caught.value)
    assert error.startswith("CANVAS_BAD_DATA") and "1 problems" in error and not reconnect


def test_an_unexpected_error_is_not_turned_into_a_recorded_failure() -> None:
    with pytest.raises(TypeError):
        why_failed(KeyError("bug"))


# -- what a sync reads -----------------------------------------------------------------------


def test_a_sync_lists_the_active_courses_a_page_size_at_a_time() -> None:
    canvas = FakeCanvas({"courses": [{"id": 7, "name": "Biology", "term": {"name": "Fall"}}, {"id": 8}]})
    courses = list_courses(canvas, per_page=25)
    assert [(c.id, c.name, c.term.name if c.term else None) for c in courses] == [(7, "Biology", "Fall"), (8, "", None)]
    assert canvas.read == [("courses", {"enrollment_state": "active", "include[]": ["term"], "per_page": "25"})]


@pytest.mark.parametrize("refusal", [CanvasPermissionDenied("hidden tab"), CanvasNotFound("no tab")])
def test_a_course_that_hides_its_files_tab_lists_no_files(refusal: CanvasError) -> None:
    canvas = FakeCanvas({"courses/7/files": refusal})
    assert listed_files(canvas, Course(id=7), per_page=50) == []


def test_a_throttled_files_listing_is_not_taken_for_a_hidden_tab() -> None:
    canvas = FakeCanvas({"courses/7/files": CanvasThrottled("slow down")})
    with pytest.raises(CanvasThrottled):
        listed_files(canvas, Course(id=7), per_page=50)


def test_the_files_tab_is_read_into_file_records() -> None:
    listing: list[dict[str, object]] = [{"id": 1, "display_name": "Week 1.pdf", "content-type": "application/pdf"}]
    canvas = FakeCanvas({"courses/7/files": listing})
    files = listed_files(canvas, Course(id=7), per_page=10)
    assert [(f.id, f.display_name, f.content_type) for f in files] == [(1, "Week 1.pdf", "application/pdf")]
    assert canvas.read == [("courses/7/files", {"per_page": "10"})]


# -- what a sync fetches ---------------------------------------------------------------------


def _file(*, name: str = "Week 1.pdf", updated: datetime = T0, locked: bool = False, url: str | None = "u") -> File:
    return File.model_validate(
        {"id": 1, "display_name": name, "url": url, "updated_at": updated, "locked_for_user": locked}
    )


def _row(*, status: str, document: bool, updated: datetime = T0) -> FileRow:
    return FileRow(
        id=uuid.uuid4(),
        canvas_id=1,
        canvas_updated_at=updated,
        canvas_modified_at=None,
        etag=None,
        document_id=uuid.uuid4() if document else None,
        status=status,
    )


def test_a_new_file_of_a_supported_kind_is_fetched() -> None:
    assert plan_file(None, _file()) == "fetch"


@pytest.mark.parametrize(
    "file",
    [_file(name="clip.mp4"), _file(name="no extension"), _file(locked=True), _file(url=None)],
    ids=["unsupported kind", "no kind", "locked", "no download url"],
)
def test_files_the_sync_cannot_use_are_skipped(file: File) -> None:
    assert plan_file(None, file) == "skipped"


def test_an_ingested_file_canvas_has_not_changed_costs_no_download() -> None:
    assert plan_file(_row(status="ingested", document=True), _file()) == "unchanged"


def test_a_new_version_of_an_ingested_file_is_fetched_again() -> None:
    assert plan_file(_row(status="ingested", document=True), _file(updated=T0 + timedelta(hours=1))) == "fetch"


def test_a_file_whose_document_the_student_deleted_stays_dismissed_until_canvas_changes_it() -> None:
    assert plan_file(_row(status="ingested", document=False), _file()) == "dismissed"
    assert plan_file(_row(status="dismissed", document=False), _file()) == "dismissed"
    assert plan_file(_row(status="dismissed", document=False), _file(updated=T0 + timedelta(days=1))) == "fetch"


def test_a_file_that_failed_last_time_is_fetched_again() -> None:
    assert plan_file(_row(status="failed", document=False), _file()) == "fetch"


def test_the_kind_comes_from_the_filename_else_the_display_name() -> None:
    assert file_kind(File(id=1, filename="slides.PPTX", display_name="x")) == "pptx"
    assert file_kind(File(id=1, filename="noext", display_name="Reading.docx")) == "docx"
    assert file_kind(File(id=1, filename="movie.mov", display_name="movie.pdf")) is None
