"""Course files: list them (or reach them through modules), fetch the changed ones, ingest them.

A file is downloaded only when Canvas's `updated_at` / `modified_at` differ from what was last
ingested; an unchanged file costs no request beyond the listing.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Literal

from shared.canvas.adapters import CanvasPages
from shared.canvas.adapters.download import download
from shared.canvas.adapters.models import Course, File
from shared.canvas.contracts import Failure, SyncResult
from shared.canvas.errors import CanvasError, CanvasFileTooLarge, CanvasNotFound, CanvasPermissionDenied
from shared.canvas.store.content import delete_missing
from shared.canvas.store.files import FileMeta, FileOutcome, FileRow, get_file, record_outcome, upsert_file
from shared.canvas.sync.ports import SyncPorts, guarded

SUPPORTED_KINDS = frozenset({"pdf", "docx", "pptx", "doc", "ppt", "odt", "odp", "rtf"})


def file_kind(file: File) -> str | None:
    for name in (file.filename, file.display_name):
        if "." in name:
            kind = name.rsplit(".", 1)[-1].lower()
            return kind if kind in SUPPORTED_KINDS else None
    return None


def sync_files(
    ports: SyncPorts, *, user_id: uuid.UUID, course: Course, course_id: uuid.UUID, linked: set[int], result: SyncResult
) -> None:
    files = listed_files(ports.client, course, per_page=ports.per_page)
    for file_id in sorted(linked - {f.id for f in files}):
        failure = Failure(kind="file", canvas_id=file_id, code="", reason="")
        fetched = guarded(result, failure, partial(_one_file, ports, course, file_id))
        if fetched is not None:
            files.append(fetched)
    for file in files:
        failure = Failure(kind="file", canvas_id=file.id, name=file.display_name, code="", reason="")
        work = partial(_sync_file, ports, user_id=user_id, course_id=course_id, file=file, result=result)
        guarded(result, failure, work)
    keep = sorted({f.id for f in files} | linked)  # a linked file that failed to load is not "gone"
    with ports.pool.connection() as conn:
        result.counts.removed += delete_missing(conn, "canvas_files", user_id=user_id, scope_id=course_id, keep=keep)


def listed_files(client: CanvasPages, course: Course, *, per_page: int) -> list[File]:
    """The Files tab; a course that hides it from students answers 401/403/404 (use modules then)."""
    try:
        listing = client.paginate(f"courses/{course.id}/files", {"per_page": str(per_page)})
        return [File.model_validate(f) for f in listing]
    except (CanvasPermissionDenied, CanvasNotFound):
        return []


def _one_file(ports: SyncPorts, course: Course, file_id: int) -> File:
    body, _next = ports.client.get_json(ports.client.api_url(f"courses/{course.id}/files/{file_id}"))
    return File.model_validate(body)


FilePlan = Literal["dismissed", "skipped", "unchanged", "fetch"]


def plan_file(existing: FileRow | None, file: File) -> FilePlan:
    """What a sync does with a listed file, given what was recorded of it last time."""
    if existing is not None and _dismissed(existing, file):
        return "dismissed"
    if file_kind(file) is None or file.locked_for_user or not file.url:
        return "skipped"
    if existing is not None and _unchanged(existing, file):
        return "unchanged"
    return "fetch"


def _sync_file(ports: SyncPorts, *, user_id: uuid.UUID, course_id: uuid.UUID, file: File, result: SyncResult) -> None:
    result.counts.files_seen += 1
    meta = FileMeta(course_id, file.display_name, file.filename, file.content_type, file.size)
    with ports.pool.connection() as conn:
        row_id = upsert_file(conn, user_id=user_id, canvas_id=file.id, meta=meta).id
        existing = get_file(conn, user_id=user_id, canvas_id=file.id)
    plan, kind = plan_file(existing, file), file_kind(file)
    if plan == "dismissed" and existing is not None:
        result.counts.files_skipped += 1
        _record(ports, row_id, FileOutcome("dismissed", None, existing.canvas_updated_at, existing.canvas_modified_at))
        return
    if plan == "skipped" or kind is None:
        result.counts.files_skipped += 1
        _record(ports, row_id, FileOutcome("skipped", None, file.updated_at, file.modified_at))
        return
    if plan == "unchanged":
        result.counts.files_unchanged += 1
        return
    try:
        _ingest(ports, user_id=user_id, course_id=course_id, file=file, kind=kind, row_id=row_id, existing=existing)
    except CanvasError as exc:
        _record(ports, row_id, FileOutcome("failed", error=f"{exc.code}: {exc.reason}"))
        raise
    result.counts.files_ingested += 1


def _unchanged(row: FileRow, file: File) -> bool:
    same_version = (row.canvas_updated_at, row.canvas_modified_at) == (file.updated_at, file.modified_at)
    return row.status == "ingested" and row.document_id is not None and same_version


def _dismissed(row: FileRow, file: File) -> bool:
    """Ingested once and its document gone (the student deleted it): not brought back while Canvas
    has the same version; a new version of the file is new material, and is fetched again."""
    same_version = (row.canvas_updated_at, row.canvas_modified_at) == (file.updated_at, file.modified_at)
    return row.status in ("ingested", "dismissed") and row.document_id is None and same_version


def _ingest(
    ports: SyncPorts, *, user_id: uuid.UUID, course_id: uuid.UUID, file: File, kind: str, row_id: uuid.UUID,
    existing: FileRow | None,
) -> None:  # fmt: skip
    if file.size is not None and file.size > ports.max_file_bytes:
        raise CanvasFileTooLarge(f"{file.display_name} is {file.size} bytes; the limit is {ports.max_file_bytes}")
    got = download(ports.client, str(file.url), max_bytes=ports.max_file_bytes, what=f"file {file.id}")
    with ports.pool.connection() as conn:
        doc_id = existing.document_id if existing else None
        if doc_id is None or not ports.documents.replace(conn=conn, user_id=user_id, doc_id=doc_id, data=got.data):
            doc_id = ports.documents.create(
                conn=conn, user_id=user_id, course_id=course_id, title=_title(file),
                filename=file.display_name or file.filename, kind=kind, data=got.data,
            )  # fmt: skip
        outcome = FileOutcome("ingested", doc_id, file.updated_at, file.modified_at, got.etag)
        record_outcome(conn, file_id=row_id, outcome=outcome)
    with ports.pool.connection() as conn:
        ports.documents.request_ingest(conn=conn, user_id=user_id, doc_id=doc_id)


def _title(file: File) -> str:
    name = file.display_name or file.filename or f"Canvas file {file.id}"
    return name.rsplit(".", 1)[0] if "." in name else name


def _record(ports: SyncPorts, row_id: uuid.UUID, outcome: FileOutcome) -> None:
    with ports.pool.connection() as conn:
        record_outcome(conn, file_id=row_id, outcome=outcome)
