"""The documents use cases' decisions, driven with fakes: what a new document may be called, when an
ingest is published and under which message id, what the reconciler does with a stuck stage, what
an upload's HEAD and an ingestion start must show, and the listing cursor."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from shared.documents.errors import FileTooLarge, NotABlockBlob
from shared.documents.ingest.handle import check_upload
from shared.documents.reconciler import action_for
from shared.documents.service import check_filename, ingest_message_id, ingest_request, safe_filename
from shared.documents.start_checks import check_start
from shared.documents.views import address, decode_cursor, encode_cursor, signed
from shared.platform.errors import InvalidArgument, PermissionDenied
from shared.platform.stages import Status
from tests.support.documents_files import text_pdf
from tests.support.fakes_documents import document_row, memory_blobs, stuck

# -- creating a document ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("notes.pdf", "notes.pdf"),
        ("C:\\Users\\me\\Week 1: Intro.PDF", "Week_1_Intro.pdf"),
        ("../../etc/passwd.docx", "passwd.docx"),
        ("...pptx", "document.pptx"),
        ("x" * 200 + ".pdf", "x" * 100 + ".pdf"),
    ],
)
def test_a_new_documents_file_name_is_blob_safe_and_keeps_its_extension(given: str, stored: str) -> None:
    assert safe_filename(given) == stored
    assert check_filename(given) == stored


@pytest.mark.parametrize("filename", ["notes.exe", "notes", "slides.key", "archive.pdf.zip"])
def test_a_file_type_the_pipeline_cannot_read_is_refused_before_anything_is_stored(filename: str) -> None:
    with pytest.raises(InvalidArgument, match="not supported") as raised:
        check_filename(filename)
    assert raised.value.details == {"filename": filename}


# -- requesting an ingest -----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["queued", "running"])
def test_a_pending_ingest_is_not_published_twice(status: Status) -> None:
    pending = uuid.uuid4()
    assert ingest_message_id(pending_id=pending, status=status, force=False) is None


def test_a_forced_ingest_re_publishes_the_pending_message_so_dedupe_still_holds() -> None:
    pending = uuid.uuid4()
    assert ingest_message_id(pending_id=pending, status="running", force=True) == pending


@pytest.mark.parametrize(
    ("pending", "status"),
    [(None, None), (None, "queued"), (uuid.uuid4(), "done"), (uuid.uuid4(), "failed")],
)
def test_otherwise_a_fresh_message_id_is_published(pending: uuid.UUID | None, status: Status | None) -> None:
    for force in (False, True):
        chosen = ingest_message_id(pending_id=pending, status=status, force=force)
        assert chosen is not None and chosen != pending


def test_the_ingest_request_carries_the_specifications_fields() -> None:
    row = document_row(source="canvas", kind="pptx", raw_blob_path="u/d/deck.pptx")
    message_id = uuid.uuid4()
    request = ingest_request(row, message_id=message_id)
    assert (request.message_id, request.doc_id, request.user_id) == (message_id, row.id, row.user_id)
    assert (request.source, request.kind, request.file_url) == ("canvas", "pptx", "raw/u/d/deck.pptx")


# -- the reconciler -----------------------------------------------------------------------------


def test_a_stuck_stage_is_published_again_until_it_runs_out_of_attempts() -> None:
    assert action_for(stuck("ingest", attempts=2), max_attempts=3, requeues_media=False) == "republish"
    assert action_for(stuck("ai", attempts=3), max_attempts=3, requeues_media=False) == "fail"


def test_stuck_media_is_left_alone_when_nothing_can_rebuild_its_request() -> None:
    assert action_for(stuck("media", attempts=9), max_attempts=3, requeues_media=False) == "leave"
    assert action_for(stuck("media", attempts=1), max_attempts=3, requeues_media=True) == "republish"
    assert action_for(stuck("media", attempts=3), max_attempts=3, requeues_media=True) == "fail"


# -- the upload's HEAD --------------------------------------------------------------------------


def test_an_upload_within_what_the_document_declared_passes() -> None:
    blobs, row = memory_blobs(), document_row(size_bytes=2048)
    info = blobs.put(container="raw", path=row.raw_blob_path, data=b"x" * 2048, content_type="application/pdf")
    check_upload(info, document=row, max_bytes=10_000)


def test_an_upload_larger_than_declared_or_than_the_cap_is_refused() -> None:
    blobs, row = memory_blobs(), document_row(size_bytes=2048)
    info = blobs.put(container="raw", path=row.raw_blob_path, data=b"x" * 2049, content_type="application/pdf")
    with pytest.raises(FileTooLarge, match="at most 2048"):
        check_upload(info, document=row, max_bytes=10_000)
    with pytest.raises(FileTooLarge, match="at most 1000"):
        check_upload(info, document=replace(row, size_bytes=5000), max_bytes=1000)


def test_a_page_blob_is_refused_whatever_its_size() -> None:
    blobs, row = memory_blobs(), document_row()
    info = blobs.put(container="raw", path=row.raw_blob_path, data=b"x", content_type="application/pdf")
    with pytest.raises(NotABlockBlob):
        check_upload(replace(info, blob_type="PageBlob"), document=row, max_bytes=10_000)


# -- starting an ingestion ----------------------------------------------------------------------


def test_a_start_may_name_the_documents_own_blob_and_nothing_else() -> None:
    blobs, row = memory_blobs(), document_row()
    own = blobs.address(container="raw", path=row.raw_blob_path)
    check_start(row=row, file_url=None, kind=None, blobs=blobs)
    check_start(row=row, file_url=own, kind=None, blobs=blobs)
    check_start(row=row, file_url=f"raw/{row.raw_blob_path}", kind=None, blobs=blobs)
    with pytest.raises(PermissionDenied) as raised:
        check_start(row=row, file_url="https://elsewhere.example/raw/other.pdf", kind=None, blobs=blobs)
    assert raised.value.details == {"field": "file_url"}


def test_a_start_kind_must_match_the_uploaded_content() -> None:
    blobs, row = memory_blobs(), document_row()
    blobs.put(container="raw", path=row.raw_blob_path, data=text_pdf(pages=1), content_type="application/pdf")
    check_start(row=row, file_url=None, kind="pdf", blobs=blobs)
    with pytest.raises(InvalidArgument, match="the file is PDF"):
        check_start(row=row, file_url=None, kind="docx", blobs=blobs)


def test_before_the_upload_a_start_kind_is_checked_against_the_declared_kind() -> None:
    blobs, row = memory_blobs(), document_row(kind="pptx")
    check_start(row=row, file_url=None, kind="pptx", blobs=blobs)
    with pytest.raises(InvalidArgument, match="kind is pdf"):
        check_start(row=row, file_url=None, kind="pdf", blobs=blobs)


# -- reading documents --------------------------------------------------------------------------


def test_stored_paths_become_signed_and_unsigned_urls_of_their_container() -> None:
    blobs = memory_blobs()
    assert address(blobs, "derived/u/d/document.md") == "memory://derived/u/d/document.md"
    assert (signed(blobs, "media/u/d/img.png", 60) or "").startswith("memory://media/u/d/img.png")
    for unknown in (None, "", "no-slash", "secrets/u/d/key"):
        assert signed(blobs, unknown, 60) is None and address(blobs, unknown) is None


def test_the_listing_cursor_round_trips_and_refuses_anything_else() -> None:
    row = document_row()
    assert decode_cursor(encode_cursor(row)) == (row.created_at, row.id)
    for bad in ("garbage!", encode_cursor(replace(row, title="x"))[:-3]):
        with pytest.raises(InvalidArgument):
            decode_cursor(bad)
