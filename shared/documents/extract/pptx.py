"""PPTX to sections with python-pptx: one section per slide (title as heading, slide number as page),
bullets with levels, tables, pictures with alt text, group shapes, charts' titles, speaker notes."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from shared.documents.extract.base import Extraction, RawSection, Rejected, clean_text, language_tag
from shared.documents.extract.ooxml import IMAGE_TYPES, MIN_IMAGE_BYTES, table_markdown


def extract_pptx(data: bytes) -> Extraction:
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    try:
        presentation = Presentation(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, SyntaxError) as exc:
        raise Rejected("CORRUPT_FILE", f"the presentation cannot be read: {exc}") from exc
    slides = list(presentation.slides)
    extraction = Extraction(kind="pptx", title=presentation.core_properties.title or "", page_count=len(slides))
    for number, slide in enumerate(slides, start=1):
        extraction.sections.append(_slide(extraction, slide, number))
    extraction.language = language_tag(presentation.core_properties.language) or _run_language(slides)
    return extraction


def _run_language(slides: list[Any]) -> str | None:
    """The `lang` most text runs carry (`a:rPr`, `a:endParaRPr`): PowerPoint marks each run."""
    seen: Counter[str] = Counter()
    for slide in slides:
        for props in slide.element.xpath(".//a:rPr[@lang] | .//a:endParaRPr[@lang]"):
            seen[props.get("lang")] += 1
    return language_tag(seen.most_common(1)[0][0]) if seen else None


def _slide(extraction: Extraction, slide: Any, number: int) -> RawSection:
    title_shape = slide.shapes.title
    title = " ".join(clean_text(title_shape.text_frame.text).split()) if title_shape is not None else ""
    section = RawSection(heading=title or f"Slide {number}", level=1, page=number, continued=not title)
    ordered = sorted(slide.shapes, key=lambda s: ((s.top or 0), (s.left or 0)))
    for shape in ordered:
        if title_shape is not None and shape.shape_id == title_shape.shape_id:
            continue
        _shape(extraction, section, shape)
    notes = _notes(slide)
    if notes:
        section.parts.append("**Speaker notes:** " + notes)
    return section


def _shape(extraction: Extraction, section: RawSection, shape: Any) -> None:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for child in sorted(shape.shapes, key=lambda s: ((s.top or 0), (s.left or 0))):
            _shape(extraction, section, child)
    elif getattr(shape, "has_table", False) and shape.has_table:
        rows = [[clean_text(cell.text) for cell in row.cells] for row in shape.table.rows]
        section.add_table(rows, page=section.page)
    elif getattr(shape, "has_chart", False) and shape.has_chart:
        section.parts.append(_chart(shape.chart))
    elif shape.shape_type == MSO_SHAPE_TYPE.PICTURE or hasattr(shape, "image"):
        _picture(extraction, section, shape)
    elif shape.has_text_frame:
        text = _text_frame(shape.text_frame)
        if text:
            section.parts.append(text)


def _picture(extraction: Extraction, section: RawSection, shape: Any) -> None:
    try:
        image = shape.image
    except (AttributeError, KeyError, ValueError):
        return
    ext = IMAGE_TYPES.get(image.content_type)
    if ext is None or len(image.blob) < MIN_IMAGE_BYTES:
        return
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")
    alt = (c_nv_pr[0].get("descr") or c_nv_pr[0].get("title") or "") if c_nv_pr else ""
    extraction.add_image(bytes(image.blob), ext, alt or shape.name or "", section)


def _text_frame(frame: Any) -> str:
    lines: list[str] = []
    bulleted = sum(1 for p in frame.paragraphs if p.text.strip()) > 1
    for paragraph in frame.paragraphs:
        text = " ".join(clean_text(paragraph.text).split())
        if not text:
            continue
        if bulleted or paragraph.level > 0:
            lines.append(f"{'  ' * min(paragraph.level, 5)}- {text}")
        else:
            lines.append(text)
    return "\n".join(lines)


def _chart(chart: Any) -> str:
    title = chart.chart_title.text_frame.text if chart.has_title else "Chart"
    rows = [["Category", *[s.name for s in chart.plots[0].series]]] if chart.plots else []
    if chart.plots:
        categories = list(chart.plots[0].categories)
        for i, category in enumerate(categories):
            rows.append([str(category), *[_value(s, i) for s in chart.plots[0].series]])
    table = table_markdown(rows) if len(rows) > 1 else ""
    return f"**{clean_text(title)}**" + (f"\n\n{table}" if table else "")


def _value(series: Any, index: int) -> str:
    values = list(series.values)
    return "" if index >= len(values) or values[index] is None else f"{values[index]:g}"


def _notes(slide: Any) -> str:
    if not slide.has_notes_slide:
        return ""
    frame = slide.notes_slide.notes_text_frame
    return " ".join(clean_text(frame.text).split()) if frame is not None else ""
