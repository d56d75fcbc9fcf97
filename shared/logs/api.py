"""`/v1/logs`: structured log ingest and query, for operators only."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import AwareDatetime, TypeAdapter, ValidationError

from shared.deps import ContainerDep
from shared.logs.access import OpsCaller, ops_caller
from shared.logs.contracts import Accepted, Level, LogBatch, LogEntryIn, LogPage, parse_entries
from shared.logs.service import accept, decode_cursor, page
from shared.logs.store import LogFilter
from shared.platform.errors import PayloadTooLarge

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/logs", tags=["logs"])


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The body is read by hand (to cap its size), so its schema goes into the spec inline."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {key: _inline_refs(value, defs) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    return node


def _batch_body() -> dict[str, Any]:
    schema = TypeAdapter(LogBatch | LogEntryIn).json_schema()
    inlined = _inline_refs(schema, schema.get("$defs", {}))
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": inlined}}}}


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, refusing it as soon as it passes `limit` bytes (chunked bodies included)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"log batches are capped at {limit} bytes", details={"limit": limit})
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise PayloadTooLarge(f"log batches are capped at {limit} bytes", details={"limit": limit})
    return bytes(body)


@router.post("", status_code=status.HTTP_202_ACCEPTED, openapi_extra=_batch_body())
async def ingest_logs(request: Request, caller: OpsCaller, container: ContainerDep) -> Accepted:
    """Store a batch of entries (`{"entries": [...]}`), all or none; or one entry sent on its own."""
    settings = container.settings
    raw = await _read_capped(request, settings.log_ingest_max_bytes)
    try:
        batch = parse_entries(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from exc
    if len(batch.entries) > settings.log_ingest_max_entries:
        raise PayloadTooLarge(f"at most {settings.log_ingest_max_entries} entries per batch")
    accepted: int = await run_in_threadpool(
        accept,
        batch=batch,
        db=container.db,
        now=container.clock.now(),
        retention_days=settings.log_retention_days,
    )
    logger.info("logs: %d entries accepted from %s", accepted, caller)
    return Accepted(accepted=accepted)


@router.get("/query", dependencies=[Depends(ops_caller)])
def query_logs(
    container: ContainerDep,
    service: str | None = None,
    level: Annotated[list[Level] | None, Query()] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    request_id: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> LogPage:
    """Newest first; `next_cursor` pages to older entries."""
    where = LogFilter(
        service=service,
        levels=list(level) if level else None,
        since=since,
        until=until,
        request_id=request_id,
        before=decode_cursor(cursor) if cursor else None,
        limit=limit,
    )
    return page(db=container.db, where=where)
