"""Signed blob URLs are composed without a BlobClient; they must name the blob exactly as the SDK does."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from azure.storage.blob import BlobServiceClient

from shared.platform.blobs_azure import AzureBlobStore

KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE = f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
AZURE = f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={KEY};EndpointSuffix=core.windows.net"
PATHS = ["u/d/document.md", "u/d/a b#c?.pdf", "u/d/ünï çødé.pdf", "u/d/x~y%z+&.md"]


@pytest.mark.parametrize("connection_string", [AZURITE, AZURE], ids=["azurite", "azure"])
@pytest.mark.parametrize("path", PATHS)
def test_signed_url_names_the_same_blob_as_the_sdk(connection_string: str, path: str) -> None:
    store = AzureBlobStore.from_connection_string(connection_string)
    expected = BlobServiceClient.from_connection_string(connection_string).get_blob_client("raw", path).url
    url = store.read_url(container="raw", path=path, ttl_s=60)
    blob_url, _, query = url.partition("?")
    assert blob_url == expected
    assert parse_qs(query)["sp"] == ["r"] and "sig" in parse_qs(query)
    assert urlsplit(store.write_url(container="raw", path=path, ttl_s=60)).query.count("sp=cw") == 1
