"""The raw-upload trigger. On Flex Consumption blob triggers must use the Event Grid source."""

from __future__ import annotations

import azure.functions as func

from shared.container import get_container
from shared.workers import handle_raw_blob

bp = func.Blueprint()  # type: ignore[no-untyped-call]  # the library's constructor is untyped


@bp.function_name("raw_upload")
@bp.blob_trigger(
    arg_name="blob",
    path="raw/{user_id}/{doc_id}/{name}",
    connection="AzureWebJobsStorage",
    source=func.BlobSource.EVENT_GRID,
)
def raw_upload(blob: func.InputStream) -> None:
    handle_raw_blob(get_container(), blob.name or "")
