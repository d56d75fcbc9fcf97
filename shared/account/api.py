"""`/v1/account`: the user's data as a zip, and deleting the account with all of it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from shared.account.contracts import DeleteAccount
from shared.account.erase import delete_account
from shared.account.export import export_account
from shared.auth.cookies import clear_session_cookie
from shared.auth.deps import CurrentUser
from shared.deps import ContainerDep

router = APIRouter(prefix="/account", tags=["account"])

ZIP: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {}}, "description": "A zip of the account's data"}
}


@router.get("/export", response_class=StreamingResponse, responses=ZIP)
def export(principal: CurrentUser, container: ContainerDep) -> StreamingResponse:
    """Everything of the caller: account, documents (original and derived files), notes, cards, as JSON and files."""
    archive = export_account(container, user_id=principal.user_id)
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
    delete_account(container, user_id=principal.user_id, password=body.password, confirm_email=body.confirm_email)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, container)
    return response
