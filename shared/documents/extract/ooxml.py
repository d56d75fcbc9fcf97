"""Namespaces and small helpers shared by the DOCX and PPTX readers."""

from __future__ import annotations

from typing import Any

from shared.documents.extract.base import to_markdown

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "v": "urn:schemas-microsoft-com:vml",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
W = f"{{{NS['w']}}}"
R_EMBED = f"{{{NS['r']}}}embed"
R_ID = f"{{{NS['r']}}}id"
IMAGE_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/gif": "gif",
    "image/bmp": "bmp",
    "image/tiff": "tiff",
    "image/x-emf": "emf",
    "image/x-wmf": "wmf",
    "image/svg+xml": "svg",
}
MIN_IMAGE_BYTES = 200  # spacer pixels and bullets are smaller than this


def image_of(part: Any, rid: str) -> tuple[bytes, str] | None:
    """The (bytes, extension) of the image related to `part` under `rid`, if it is one."""
    try:
        target = part.related_parts[rid]
    except KeyError:
        return None
    ext = IMAGE_TYPES.get(getattr(target, "content_type", ""))
    blob = getattr(target, "blob", b"")
    if ext is None or len(blob) < MIN_IMAGE_BYTES:
        return None
    return bytes(blob), ext


def table_markdown(rows: list[list[str]]) -> str:
    cleaned = [[" ".join(cell.split()).replace("|", "\\|") for cell in row] for row in rows if any(row)]
    return to_markdown(cleaned) if cleaned else ""
