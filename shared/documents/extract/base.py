"""The extractor's plain data: sections with Markdown parts, images by content hash, rejections."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any


class Rejected(Exception):
    """The file cannot be extracted; `code` names why (UNSUPPORTED_FORMAT, CORRUPT_FILE...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


#: A Markdown part that stands for an image; the parent turns it into a link once uploaded.
IMAGE_MARK = "\x00image:"


@dataclass
class ImageRef:
    ref: str
    alt: str = ""


@dataclass
class RawTable:
    """A table's cells as text, row by row (the first row is the header), and where it is."""

    rows: list[list[str]]
    page: int | None = None


@dataclass
class RawSection:
    heading: str
    level: int
    page: int | None
    parts: list[str] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)
    continued: bool = False
    tables: list[RawTable] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.parts and not self.images

    def add_table(self, rows: list[list[str]], *, page: int | None) -> None:
        """Keep the cells (whitespace collapsed, empty rows dropped) and place a pipe table in the text."""
        cleaned = [[" ".join(cell.split()) for cell in row] for row in rows]
        cleaned = [row for row in cleaned if any(row)]
        if not cleaned:
            return
        self.tables.append(RawTable(rows=cleaned, page=page))
        self.parts.append(to_markdown([[cell.replace("|", "\\|") for cell in row] for row in cleaned]))


@dataclass
class Extraction:
    kind: str
    title: str
    page_count: int | None
    sections: list[RawSection] = field(default_factory=list)
    images: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    ocr_pages: list[int] = field(default_factory=list)
    needs_ocr_pages: list[int] = field(default_factory=list)
    #: The language the file declares (a BCP 47 tag such as `en-US`), when it declares one.
    language: str | None = None

    def add_image(self, data: bytes, ext: str, alt: str, section: RawSection) -> None:
        """Keep one copy of each distinct image and place a reference to it in `section`."""
        ref = hashlib.sha256(data).hexdigest()[:32]
        self.images.setdefault(ref, (ext, data))
        if any(image.ref == ref for image in section.images):
            return
        section.images.append(ImageRef(ref=ref, alt=alt))
        section.parts.append(f"{IMAGE_MARK}{ref}")

    def summary(self) -> dict[str, Any]:
        """Everything but the image bytes, for `result.json`."""
        return {
            "kind": self.kind,
            "title": self.title,
            "page_count": self.page_count,
            "sections": [asdict(s) for s in self.sections],
            "images": {ref: ext for ref, (ext, _) in self.images.items()},
            "ocr_pages": self.ocr_pages,
            "needs_ocr_pages": self.needs_ocr_pages,
            "language": self.language,
        }


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def language_tag(value: object) -> str | None:
    """A declared language as a tag (`en-US`), or None for anything that is not one."""
    text = str(value or "").strip()
    return text if len(text) <= 35 and _LANGUAGE_TAG.fullmatch(text) else None


#: Typographic ligatures (U+FB00-FB06) as the letters they join, so `stuﬀed` reads and searches as `stuffed`.
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
)


def clean_text(text: str) -> str:
    """Drop control characters (keeping tab and newline), normalise non-breaking spaces, undo ligatures."""
    return "".join(ch for ch in text.replace("\xa0", " ").translate(_LIGATURES) if ch >= " " or ch in "\t\n")


def to_markdown(rows: list[list[str]]) -> str:
    """A Markdown table; the first row is the header."""
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(padded[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in padded[1:]]
    return "\n".join(lines)
