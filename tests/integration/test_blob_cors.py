"""Browsers can use the signed blob URLs from the app's origin once the blob service has our rules."""

from __future__ import annotations

import httpx
import pytest

from devtools.devhost.blob_cors import apply_blob_cors
from devtools.devhost.stack import Stack
from shared.container import Container
from tests.conftest import APP_ORIGIN

pytestmark = pytest.mark.integration


def _preflight(url: str, origin: str) -> httpx.Response:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type,x-ms-blob-type",
    }
    return httpx.options(url, headers=headers, trust_env=False)


def test_signed_upload_urls_accept_the_apps_origin_only(stack: Stack, container: Container) -> None:
    url = container.blobs.write_url(container="raw", path="cors/probe.pdf", ttl_s=60)
    apply_blob_cors(stack.storage_connection_string, origins=[APP_ORIGIN])
    allowed = _preflight(url, APP_ORIGIN)
    assert allowed.status_code == 200, allowed.text
    assert allowed.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "PUT" in allowed.headers["access-control-allow-methods"]
    assert _preflight(url, "https://evil.example").status_code == 403
    put = httpx.put(
        url, content=b"%PDF-1.4", headers={"Origin": APP_ORIGIN, "x-ms-blob-type": "BlockBlob"}, trust_env=False
    )
    assert put.status_code == 201 and put.headers["access-control-allow-origin"] == APP_ORIGIN
