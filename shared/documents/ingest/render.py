"""The extractor's sections into the contract: `Structure`, `document.md` and the image assets."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from shared.documents.contracts import Media, Section, Source, SourceKind, Structure, Table
from shared.documents.extract.base import IMAGE_MARK
from shared.platform.markdown_text import safe_line, safe_text

# Raster types only: an SVG is a document that can run script where it is opened (the extractor
# rasterises SVG images; anything unexpected is stored as bytes, never as something a browser runs).
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tiff": "image/tiff",
    "emf": "image/emf",
    "wmf": "image/wmf",
}


@dataclass(frozen=True)
class Asset:
    asset_id: uuid.UUID
    path: str  # inside the `media` container
    data: bytes
    content_type: str

    @property
    def url(self) -> str:
        return f"media/{self.path}"


@dataclass(frozen=True)
class Rendered:
    structure: Structure
    markdown: str
    assets: list[Asset]


def render(
    *,
    user_id: uuid.UUID,
    doc_id: uuid.UUID,
    title: str,
    kind: str,
    summary: dict[str, Any],
    images: dict[str, tuple[str, bytes]],
    media_address: Callable[[str], str],
) -> Rendered:
    """`media_address` gives the blob URL of a path in the `media` container (for `structure.json`)."""
    assets = {ref: _asset(user_id, doc_id, ref, ext, data) for ref, (ext, data) in images.items()}
    source_kind = cast(SourceKind, kind if kind in ("pdf", "docx", "pptx") else "docx")
    addresses = {ref: media_address(asset.path) for ref, asset in assets.items()}
    sections = [_section(raw, title, source_kind, addresses) for raw in summary["sections"]]
    structure = Structure(
        title=title,
        sections=sections,
        page_count=summary.get("page_count"),
        language=summary.get("language"),
        ocr_pages=summary.get("ocr_pages", []),
        needs_ocr_pages=summary.get("needs_ocr_pages", []),
    )
    markdown = _markdown(summary["sections"], sections, assets)
    return Rendered(structure=structure, markdown=markdown, assets=list(assets.values()))


def _asset(user_id: uuid.UUID, doc_id: uuid.UUID, ref: str, ext: str, data: bytes) -> Asset:
    # Deterministic per document and content: a re-run overwrites instead of duplicating.
    asset_id = uuid.uuid5(doc_id, ref)
    content_type = CONTENT_TYPES.get(ext, "application/octet-stream")
    return Asset(asset_id, f"{user_id}/{doc_id}/{asset_id}.{ext}", data, content_type)


def _section(raw: dict[str, Any], title: str, kind: SourceKind, addresses: dict[str, str]) -> Section:
    heading = str(raw["heading"]).strip() or title
    text = "\n\n".join(p for p in raw["parts"] if not p.startswith(IMAGE_MARK))
    media = [
        Media(type="image", url=addresses[i["ref"]], alt=str(i.get("alt") or ""))
        for i in raw["images"]
        if i["ref"] in addresses
    ]
    level = min(max(int(raw["level"]), 1), 6)
    page = raw.get("page")
    continued = bool(raw.get("continued")) or not str(raw["heading"]).strip()
    tables = [Table(rows=t["rows"], page=t.get("page")) for t in raw.get("tables", [])]
    return Section(
        heading=heading,
        level=level,
        text=text,
        media=media,
        tables=tables,
        source=Source(kind=kind, page=page),
        continued=continued,
    )


def _markdown(raws: list[dict[str, Any]], sections: list[Section], assets: dict[str, Asset]) -> str:
    out: list[str] = []
    page: int | None = None
    for raw, section in zip(raws, sections, strict=True):
        if section.source.page is not None and section.source.page != page:
            page = section.source.page
            out.append(f"<!-- page {page} -->")
        if not section.continued:
            out.append(f"{'#' * section.level} {safe_line(section.heading)}")
        alts = {i["ref"]: i.get("alt") or "" for i in raw["images"]}
        for part in raw["parts"]:
            out.append(_image_link(part, alts, assets) if part.startswith(IMAGE_MARK) else safe_text(part))
    return "\n\n".join(p for p in out if p) + "\n"


def _image_link(part: str, alts: dict[str, str], assets: dict[str, Asset]) -> str:
    ref = part[len(IMAGE_MARK) :]
    asset = assets.get(ref)
    if asset is None:
        return ""
    alt = safe_line(alts.get(ref, "")).replace("[", "\\[").replace("]", "\\]")
    return f"![{alt}]({asset.url})"
