"""Assemble classified PDF pages into sections: one per heading, split at page boundaries."""

from __future__ import annotations

from dataclasses import dataclass

from shared.documents.extract.base import Extraction, RawSection
from shared.documents.extract.paragraphs import block_to_markdown, list_marker
from shared.documents.extract.pdf_images import ImagePicker
from shared.documents.extract.pdf_page import Line, PageContent, PageImage
from shared.documents.extract.pdf_tables import PageTable

Item = list[Line] | PageTable | PageImage
_CAPTION_STARTS = ("figure", "fig.", "fig ", "image", "photo", "diagram", "chart")


@dataclass
class _State:
    extraction: Extraction
    current: RawSection | None = None
    bullet: bool = False  # a block holding only a bullet glyph: the next block is a list item

    def open(self, heading: str, level: int, page: int, *, continued: bool = False) -> RawSection:
        section = RawSection(heading=heading, level=level, page=page, continued=continued)
        self.extraction.sections.append(section)
        self.current = section
        return section

    def target(self, page: int) -> RawSection:
        """The section new content on `page` belongs to (a continuation when the page changed)."""
        section = self.current
        if section is None:
            return self.open(f"Page {page}", 1, page, continued=True)
        if section.page != page and not section.is_empty():
            if section.continued and section.heading == f"Page {section.page}":
                return self.open(f"Page {page}", 1, page, continued=True)
            return self.open(section.heading, section.level, page, continued=True)
        return section


def build_sections(
    extraction: Extraction,
    pages: list[PageContent],
    *,
    missing_headings: list[tuple[int, int, str]],
    images: ImagePicker,
) -> None:
    state = _State(extraction)
    for page in pages:
        for page_no, level, title in missing_headings:
            if page_no == page.number:
                state.open(title, level, page_no)
        items = _ordered_items(page)
        for index, item in enumerate(items):
            _add(state, page.number, item, items[index + 1 :], images)
    extraction.sections = [s for s in extraction.sections if not (s.continued and s.is_empty())]


def _add(state: _State, page: int, item: Item, following: list[Item], images: ImagePicker) -> None:
    if isinstance(item, PageTable):
        state.target(page).add_table(item.rows, page=page)
    elif isinstance(item, PageImage):
        picture = images.picture(item)
        if picture is not None:
            state.extraction.add_image(picture[0], picture[1], _alt(following, page), state.target(page))
    elif item[0].heading:
        state.open(" ".join(ln.text for ln in item).strip(), item[0].heading, page)
    else:
        lines = [(ln.text, ln.bbox[0], ln.bbox[2]) for ln in item]
        if len(lines) == 1 and list_marker(lines[0][0]) == ("-", ""):
            state.bullet = True
            return
        if state.bullet:
            lines[0] = ("\u2022 " + lines[0][0], lines[0][1], lines[0][2])
            state.bullet = False
        state.target(page).parts.extend(block_to_markdown(lines))


def _alt(following: list[Item], page: int) -> str:
    for item in following[:2]:
        if isinstance(item, list) and not item[0].heading:
            text = " ".join(ln.text for ln in item)
            if text.lower().startswith(_CAPTION_STARTS):
                return text[:300]
    return f"Image on page {page}"


def _ordered_items(page: PageContent) -> list[Item]:
    blocks: list[list[Line]] = []
    for line in page.lines:
        last = blocks[-1][-1] if blocks else None
        if last is not None and last.block == line.block and last.heading == line.heading:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    items: list[Item] = list(blocks)
    extras: list[PageTable | PageImage] = [*page.tables, *page.images]
    for extra in sorted(extras, key=lambda e: e.bbox[1]):
        at = next(
            (i for i, it in enumerate(items) if isinstance(it, list) and it[0].bbox[1] > extra.bbox[1]), len(items)
        )
        items.insert(at, extra)
    return items
