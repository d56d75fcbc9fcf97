"""The ingest worker against real Postgres, Redis and Azurite, through the real drain."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.container import Container
from shared.documents.contracts import IngestResult
from shared.documents.service import create_document, request_ingest
from shared.documents.store import assets_of, get_document
from shared.platform.stages import stages_of
from shared.platform.streams import dead_key, stream_key
from shared.workers import handle_raw_blob, run_drain
from tests.support import documents_files as files
from tests.support.users import make_user

pytestmark = pytest.mark.integration


def _upload(container: Container, user_id: uuid.UUID, name: str, data: bytes) -> uuid.UUID:
    with container.db.connection() as conn:
        row = create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=user_id,
            title=name,
            filename=name,
            kind=name.rsplit(".", 1)[-1],
            size=len(data),
            course_id=None,
            source="upload",
            data=data,
        )
        request_ingest(conn=conn, publisher=container.publisher, doc_id=row.id, user_id=user_id)
    return row.id


def _published_results(container: Container) -> list[IngestResult]:
    entries: Any = container.redis.xrange(stream_key(container.settings.stream_prefix, "ingest.result"))
    return [IngestResult.model_validate_json(fields[b"data"]) for _, fields in entries]


def _ingest_stage(container: Container, doc_id: uuid.UUID) -> tuple[str, str | None]:
    with container.db.connection() as conn:
        stage = next(s for s in stages_of(conn, doc_id=doc_id) if s.stage == "ingest")
    return stage.status, stage.error_code


def test_docx_is_ingested_into_markdown_structure_and_images(container: Container) -> None:
    user = make_user(container)
    doc_id = _upload(container, user.user_id, "sample.docx", files.corpus("docling-word-sample.docx"))
    report = run_drain(container, "ingest.request", budget_s=2)
    assert report.acked >= 1
    assert _ingest_stage(container, doc_id) == ("done", None)
    prefix = f"{user.user_id}/{doc_id}"
    markdown = container.blobs.get(container="derived", path=f"{prefix}/document.md").decode()
    assert "# Swimming in the lake" in markdown and "![" in markdown
    with container.db.connection() as conn:
        document = get_document(conn, doc_id=doc_id, user_id=user.user_id)
        images = assets_of(conn, doc_id=doc_id)
        stages = {s.stage: s.status for s in stages_of(conn, doc_id=doc_id)}
    assert document is not None and document.structure_path == f"derived/{prefix}/structure.json"
    assert len(images) >= 1 and all(a.kind == "image" for a in images)
    assert stages["ai"] == "queued"
    media = container.blobs.list(container="media", prefix=prefix)
    assert len(media) == len(images)


def test_resent_ingest_request_does_not_duplicate_rows_or_blobs(container: Container) -> None:
    user = make_user(container)
    doc_id = _upload(container, user.user_id, "deck.pptx", files.corpus("markitdown-test.pptx"))
    run_drain(container, "ingest.request", budget_s=2)
    prefix = f"{user.user_id}/{doc_id}"
    before = sorted(b.path for b in container.blobs.list(container="media", prefix=prefix))
    with container.db.connection() as conn:
        assert request_ingest(conn=conn, publisher=container.publisher, doc_id=doc_id, user_id=user.user_id)
        assert not request_ingest(conn=conn, publisher=container.publisher, doc_id=doc_id, user_id=user.user_id)
    handle_raw_blob(container, f"raw/{prefix}/deck.pptx")  # the blob trigger firing again for the same blob
    run_drain(container, "ingest.request", budget_s=2)
    after = sorted(b.path for b in container.blobs.list(container="media", prefix=prefix))
    with container.db.connection() as conn:
        rows = assets_of(conn, doc_id=doc_id)
    assert after == before and len(rows) == len(before) == 2
    assert _ingest_stage(container, doc_id) == ("done", None)


def test_bad_files_fail_with_their_reason_and_the_worker_goes_on(container: Container) -> None:
    user = make_user(container)
    bad = {
        "bomb.docx": (files.zip_bomb_docx(), "ZIP_BOMB"),
        "laughs.docx": (files.xml_bomb_docx(), "UNSAFE_XML"),
        "locked.pdf": (files.encrypted_pdf(), "ENCRYPTED_PDF"),
        "half.pdf": (files.truncated_pdf(), "CORRUPT_FILE"),
        "renamed.pptx": (files.text_pdf(1), "TYPE_MISMATCH"),
    }
    ids = {name: _upload(container, user.user_id, name, data) for name, (data, _) in bad.items()}
    good = _upload(container, user.user_id, "good.pdf", files.text_pdf(3))
    dead_before = container.redis.xlen(dead_key(container.settings.stream_prefix, "ingest.request"))
    report = run_drain(container, "ingest.request", budget_s=2)
    for name, (_, code) in bad.items():
        assert _ingest_stage(container, ids[name]) == ("failed", code), name
    assert _ingest_stage(container, good) == ("done", None)
    assert report.dead >= len(bad) and report.retried == 0
    dead_after = container.redis.xlen(dead_key(container.settings.stream_prefix, "ingest.request"))
    assert dead_after - dead_before == len(bad)
    results = _published_results(container)
    outcomes = {(str(r.doc_id), r.status, r.error_code) for r in results}
    for name, (_, code) in bad.items():
        assert (str(ids[name]), "failed", code) in outcomes
    assert (str(good), "done", None) in outcomes


def test_oversize_blob_from_a_sas_upload_is_refused_from_its_properties_and_deleted(container: Container) -> None:
    user = make_user(container)
    data = files.text_pdf(2)
    cap = container.settings.upload_max_bytes
    doc_id = _upload(container, user.user_id, "big.pdf", data)  # a SAS cannot cap what the client PUTs
    container.settings.upload_max_bytes = len(data) - 1
    try:
        run_drain(container, "ingest.request", budget_s=2)
    finally:
        container.settings.upload_max_bytes = cap
    assert _ingest_stage(container, doc_id) == ("failed", "FILE_TOO_LARGE")
    assert container.blobs.list(container="raw", prefix=f"{user.user_id}/{doc_id}/") == []
