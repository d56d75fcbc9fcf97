"""The text of one DOCX paragraph, with hyperlinks as Markdown links, and its images with alt text."""

from __future__ import annotations

from typing import Any

from shared.documents.extract.base import clean_text
from shared.documents.extract.ooxml import NS, R_EMBED, R_ID, W, image_of

_A_BLIP = f"{{{NS['a']}}}blip"
_V_IMAGEDATA = f"{{{NS['v']}}}imagedata"
_DOCPR = f"{{{NS['wp']}}}docPr"
_CNVPR = f"{{{NS['pic']}}}cNvPr"
_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_RECURSE = {f"{W}ins", f"{W}smartTag", f"{W}fldSimple", f"{W}customXml", f"{W}sdtContent", f"{W}sdt"}

Image = tuple[bytes, str, str]


def paragraph_content(p: Any, part: Any) -> tuple[str, list[Image]]:
    texts: list[str] = []
    images: list[Image] = []
    _collect(p, part, texts, images)
    return clean_text("".join(texts)), images


def _collect(node: Any, part: Any, texts: list[str], images: list[Image]) -> None:
    for child in node.iterchildren():
        tag = child.tag
        if tag == f"{W}r":
            _run(child, part, texts, images)
        elif tag == f"{W}hyperlink":
            inner: list[str] = []
            _collect(child, part, inner, images)
            texts.append(_link("".join(inner), child, part))
        elif tag in _RECURSE:
            _collect(child, part, texts, images)


def _run(run: Any, part: Any, texts: list[str], images: list[Image]) -> None:
    for child in run.iterchildren():
        tag = child.tag
        if tag == f"{W}t":
            texts.append(child.text or "")
        elif tag == f"{W}tab":
            texts.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            texts.append("\n")
        elif tag in (f"{W}drawing", f"{W}pict", f"{W}object", _ALTERNATE):
            images.extend(_images(child, part))


def _link(text: str, node: Any, part: Any) -> str:
    rid = node.get(R_ID)
    if not rid or not text.strip():
        return text
    rel = part.rels.get(rid)
    if rel is None or not rel.is_external:
        return text
    return f"[{text}]({rel.target_ref})"


def _images(node: Any, part: Any) -> list[Image]:
    found: list[Image] = []
    alt = ""
    for doc_pr in node.iter(_DOCPR, _CNVPR):
        alt = doc_pr.get("descr") or doc_pr.get("title") or alt
    for element in node.iter(_A_BLIP, _V_IMAGEDATA):
        rid = element.get(R_EMBED) or element.get(R_ID)
        image = image_of(part, rid) if rid else None
        if image is not None:
            found.append((image[0], image[1], alt))
    return found
