"""Blob-service CORS, so the React app can PUT to its upload SAS URL and fetch signed results.

The same rules as `infra-bicep/modules/storage.bicep` (the origins come from CORS_ORIGINS in both);
`make dev` applies them to Azurite, which, like Azure, answers cross-origin requests without an
`Access-Control-Allow-Origin` until the service has CORS rules.
"""

from __future__ import annotations

from azure.storage.blob import BlobServiceClient, CorsRule

ALLOWED_METHODS = ("GET", "HEAD", "PUT", "OPTIONS")
#: The upload's `x-ms-meta-request_id` carries the request id into the blob trigger (upload_headers).
ALLOWED_HEADERS = (
    "content-type", "x-ms-blob-type", "x-ms-version", "x-ms-date", "x-ms-client-request-id", "range",
    "x-ms-meta-request_id",
)  # fmt: skip
EXPOSED_HEADERS = ("etag", "content-length", "content-range", "content-type", "x-ms-request-id")
MAX_AGE_SECONDS = 3600


def blob_cors_rules(origins: list[str]) -> list[CorsRule]:
    if not origins:
        return []
    return [
        CorsRule(
            list(origins),
            list(ALLOWED_METHODS),
            allowed_headers=list(ALLOWED_HEADERS),
            exposed_headers=list(EXPOSED_HEADERS),
            max_age_in_seconds=MAX_AGE_SECONDS,
        )
    ]


def apply_blob_cors(connection_string: str, *, origins: list[str]) -> None:
    """Replace the blob service's CORS rules with ours for `origins`."""
    with BlobServiceClient.from_connection_string(connection_string) as client:
        client.set_service_properties(cors=blob_cors_rules(origins))
