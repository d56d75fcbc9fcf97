"""The Azure blob adapter against Azurite: containers, round trips and SAS URLs over HTTP."""

from __future__ import annotations

import uuid

import httpx
import pytest

from shared.container import Container
from shared.platform.blobs import BlobMissing


def test_containers_are_created_idempotently(container: Container) -> None:
    container.blobs.ensure_containers()
    container.blobs.ensure_containers()


def test_put_get_info_list_and_delete(container: Container) -> None:
    prefix = f"{uuid.uuid4()}/doc/"
    blobs = container.blobs
    info = blobs.put(container="derived", path=prefix + "document.md", data=b"# Week 1\n", content_type="text/markdown")
    assert (info.size, info.content_type) == (9, "text/markdown")
    assert blobs.get(container="derived", path=prefix + "document.md") == b"# Week 1\n"
    blobs.put(container="derived", path=prefix + "structure.json", data=b"{}", content_type="application/json")
    assert [b.path for b in blobs.list(container="derived", prefix=prefix)] == [
        prefix + "document.md",
        prefix + "structure.json",
    ]
    assert blobs.delete_prefix(container="derived", prefix=prefix) == 2
    assert blobs.delete(container="derived", path=prefix + "document.md") is False
    with pytest.raises(BlobMissing):
        blobs.get(container="derived", path=prefix + "document.md")


def test_a_write_sas_accepts_a_put_and_a_read_sas_serves_it(container: Container) -> None:
    path = f"{uuid.uuid4()}/{uuid.uuid4()}/notes.pdf"
    write_url = container.blobs.write_url(container="raw", path=path, ttl_s=300)
    put = httpx.put(write_url, content=b"%PDF-1.7 tiny", headers={"x-ms-blob-type": "BlockBlob"})
    assert put.status_code == 201
    read_url = container.blobs.read_url(container="raw", path=path, ttl_s=300)
    assert httpx.get(read_url).content == b"%PDF-1.7 tiny"


def test_a_read_sas_cannot_write_and_a_sas_for_one_blob_cannot_read_another(container: Container) -> None:
    path = f"{uuid.uuid4()}/d/a.txt"
    container.blobs.put(container="raw", path=path, data=b"a", content_type="text/plain")
    read_url = container.blobs.read_url(container="raw", path=path, ttl_s=300)
    refused = httpx.put(read_url, content=b"overwrite", headers={"x-ms-blob-type": "BlockBlob"})
    assert refused.status_code == 403
    other = read_url.replace("/a.txt?", "/b.txt?")
    assert httpx.get(other).status_code == 403
