"""The raw-upload trigger. On Flex Consumption blob triggers must use the Event Grid source.

The parameter is an SDK-type binding (`BlobClient`): the host hands over a reference to the blob,
never its bytes, so a huge or hostile upload costs the trigger one HEAD (`handle_raw_blob` checks
its size and type before anything reads it).
"""

# No `from __future__ import annotations`: the worker reads the parameter's annotation as a class
# to decide on the SDK-type (deferred) binding.
import azure.functions as func
import azurefunctions.extensions.bindings.blob as blob_sdk  # type: ignore[import-untyped]  # no type hints

from shared.container import get_container
from shared.workers import handle_raw_blob

bp = func.Blueprint()  # type: ignore[no-untyped-call]  # the library's constructor is untyped


@bp.function_name("raw_upload")
@bp.blob_trigger(
    arg_name="client",
    path="raw/{user_id}/{doc_id}/{name}",
    connection="AzureWebJobsStorage",
    source=func.BlobSource.EVENT_GRID,
)
def raw_upload(client: blob_sdk.BlobClient) -> None:
    handle_raw_blob(get_container(), f"{client.container_name}/{client.blob_name}")
