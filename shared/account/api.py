"""`/v1/account`: the user's data as a zip, and deleting the account with all of it."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response, status
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from shared.account.contracts import DeleteAccount
from shared.account.service import delete_account, export_account
from shared.auth.cookies import clear_session_cookie
from shared.auth.deps import CurrentUser
from shared.canvas.service import connection_status, disconnect
from shared.container import Container
from shared.deps import ContainerDep

router = APIRouter(prefix="/account", tags=["account"])

ZIP: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {}}, "description": "A zip of the account's data"}
}


@router.get("/export", response_class=StreamingResponse, responses=ZIP)
def export(principal: CurrentUser, container: ContainerDep) -> StreamingResponse:
    """Everything of the caller: account, documents (original and derived files), notes, cards, as JSON and files."""
    archive = export_account(user_id=principal.user_id, db=container.db, blobs=container.blobs)
    headers = {
        "Content-Disposition": 'attachment; filename="studyaid-export.zip"',
        "Cache-Control": "no-store",
    }
    return StreamingResponse(
        iter(lambda: archive.read(64 * 1024), b""), media_type="application/zip", headers=headers,
        background=BackgroundTask(archive.close),
    )  # fmt: skip


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
def delete(body: DeleteAccount, principal: CurrentUser, container: ContainerDep) -> Response:
    """Delete the account for good: every row, file and log line of it, and the Canvas grant."""
    delete_account(
        user_id=principal.user_id,
        password=body.password,
        confirm_email=body.confirm_email,
        db=container.db,
        blobs=container.blobs,
        throttle=container.throttle,
        hashing=container.password_hashing,
        clock=container.clock,
        url_ttl_s=container.settings.sas_ttl_seconds,
        max_attempts=container.settings.login_max_failures,
        revoke_canvas=lambda user_id: _revoke_canvas(container, user_id),
    )
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, container)
    return response


def _revoke_canvas(container: Container, user_id: uuid.UUID) -> None:
    """Revoke the user's Canvas grant at Canvas, if they connected one."""
    with container.db.connection() as conn:
        connected = connection_status(conn=conn, user_id=user_id).connected
    if connected:
        disconnect(db=container.db, canvas=container.canvas, user_id=user_id)
