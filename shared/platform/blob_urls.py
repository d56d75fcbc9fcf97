"""Whether a URL a client sent names one particular blob of ours (it is never fetched)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from shared.platform.blobs import BlobStore, Container
from shared.platform.errors import PermissionDenied


def _address(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{unquote(parts.path)}"


def names_blob(url: str, *, blobs: BlobStore, container: Container, path: str) -> bool:
    """True when `url` (any SAS query ignored) is this store's URL of `container/path`, or that
    path written as `container/path`."""
    if unquote(url.strip().lstrip("/")) == f"{container}/{path}":
        return True
    return _address(url) == _address(blobs.address(container=container, path=path))


def require_own_blob(url: str | None, *, field: str, blobs: BlobStore, container: Container, path: str) -> None:
    """Refuse (403) a URL that is not the caller's own blob: the API reads only its own copy."""
    if url is not None and not names_blob(url, blobs=blobs, container=container, path=path):
        raise PermissionDenied(
            f"{field} does not name this document's own file; only its own blob is read",
            details={"field": field},
        )
