"""Downloading a Canvas file: follow the 302 to the file host, re-checking every hop.

The bearer token goes only to the Canvas origin, never to a redirect target; at most three
hops are followed; the body is streamed and cut off one byte past the size limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from shared.canvas.adapters.client import CanvasClient
from shared.canvas.errors import CanvasError, CanvasFileTooLarge, CanvasRefusedUrl, CanvasUnavailable, error_for

MAX_HOPS = 3
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Downloaded:
    data: bytes
    etag: str | None
    content_type: str | None


def download(client: CanvasClient, url: str, *, max_bytes: int, what: str) -> Downloaded:
    for _hop in range(MAX_HOPS + 1):
        response = _open(client, url, what=what)
        try:
            if response.status_code in REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise CanvasError(f"{what}: Canvas redirected without a Location", status=response.status_code)
                url = urljoin(url, location)
                continue
            if response.status_code != 200:
                response.read()
                raise error_for(response, what=what)
            return Downloaded(
                data=_read_capped(response, max_bytes=max_bytes, what=what),
                etag=response.headers.get("etag"),
                content_type=response.headers.get("content-type"),
            )
        finally:
            response.close()
    raise CanvasRefusedUrl(f"{what}: more than {MAX_HOPS} redirects")


def _open(client: CanvasClient, url: str, *, what: str) -> httpx.Response:
    try:
        return client.send("GET", url, stream=True)
    except CanvasRefusedUrl as exc:
        raise CanvasRefusedUrl(f"{what}: {exc.reason}") from exc


def _read_capped(response: httpx.Response, *, max_bytes: int, what: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise CanvasFileTooLarge(f"{what} is larger than the {max_bytes}-byte limit")
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > max_bytes:
                raise CanvasFileTooLarge(f"{what} is larger than the {max_bytes}-byte limit")
            chunks.append(chunk)
    except httpx.TransportError as exc:
        raise CanvasUnavailable(f"{what}: the download broke off ({type(exc).__name__})") from exc
    return b"".join(chunks)
