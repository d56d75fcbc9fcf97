"""Images of a PDF worth keeping: not tiny, not repeated on most pages (logos), each kept once."""

from __future__ import annotations

from collections import Counter

import pymupdf

from shared.documents.extract.pdf_page import PageContent, PageImage

MIN_SIDE_PT = 36
MIN_SIDE_PX = 48
WEB_FORMATS = {"png": "png", "jpeg": "jpg", "jpg": "jpg"}


class ImagePicker:
    def __init__(self, doc: pymupdf.Document, pages: list[PageContent]) -> None:
        self._doc = doc
        counts = Counter(xref for page in pages for xref in {img.xref for img in page.images})
        many = max(3, int(0.5 * len(pages)))
        self._decorations = {xref for xref, n in counts.items() if n >= many and len(pages) >= 4}
        self._cache: dict[int, tuple[bytes, str] | None] = {}

    def picture(self, image: PageImage) -> tuple[bytes, str] | None:
        """(bytes, extension) for an image worth keeping, else None."""
        x0, y0, x1, y1 = image.bbox
        if image.xref in self._decorations or min(x1 - x0, y1 - y0) < MIN_SIDE_PT:
            return None
        if image.xref not in self._cache:
            self._cache[image.xref] = self._load(image.xref)
        return self._cache[image.xref]

    def _load(self, xref: int) -> tuple[bytes, str] | None:
        try:
            info = self._doc.extract_image(xref)
        except (RuntimeError, ValueError):
            return None
        if not info or min(info.get("width", 0), info.get("height", 0)) < MIN_SIDE_PX:
            return None
        ext = WEB_FORMATS.get(str(info.get("ext", "")).lower())
        if ext is not None and not info.get("smask"):
            return bytes(info["image"]), ext
        try:
            pixmap = pymupdf.Pixmap(self._doc, xref)
            if pixmap.alpha or pixmap.colorspace is None or pixmap.colorspace.n > 3:
                pixmap = pymupdf.Pixmap(pymupdf.csRGB, pixmap)
            return pixmap.tobytes("png"), "png"
        except (RuntimeError, ValueError):
            return None
