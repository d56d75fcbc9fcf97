# mypy: disable-error-code="no-untyped-call"
# (PyMuPDF ships annotations for few of its functions; this module only calls into it.)
"""Slide images rendered from the slide's title and bullets by PyMuPDF's HTML layout (no browser)."""

from __future__ import annotations

import html
import io
import threading
from pathlib import Path

import pymupdf

from shared.media.contracts import SlideScript

# MuPDF is not thread-safe, and the drain runs handlers on a small thread pool.
_MUPDF = threading.Lock()
_SCALES = (1.0, 0.85, 0.72, 0.6, 0.5, 0.42)
_MARGIN = 56

CSS = """
body { font-family: sans-serif; color: #1f2933; }
h1 { font-size: %(h1)dpx; color: #0b4f8a; margin: 0 0 %(gap)dpx 0; }
ul { margin: 0; padding-left: %(indent)dpx; }
li { font-size: %(li)dpx; line-height: 1.3; margin-bottom: %(li_gap)dpx; }
p.page { font-size: %(small)dpx; color: #7b8794; margin-top: %(gap)dpx; }
"""


def slide_html(slide: SlideScript) -> str:
    bullets = "".join(f"<li>{html.escape(text)}</li>" for text in slide.bullets)
    page = f'<p class="page">Source: page {slide.source_page}</p>' if slide.source_page else ""
    body = f"<ul>{bullets}</ul>" if bullets else ""
    return f"<h1>{html.escape(slide.title)}</h1>{body}{page}"


def render_slide(slide: SlideScript, *, width: int, height: int, out_path: Path) -> Path:
    """Write a `width`x`height` PNG of the slide, shrinking the type until the text fits."""
    with _MUPDF:
        pdf = _layout(slide_html(slide), pymupdf.Rect(0, 0, width, height))
        with pymupdf.open("pdf", pdf) as document:
            pixmap = document[0].get_pixmap(alpha=False)
            pixmap.save(str(out_path))
    return out_path


def _layout(body: str, page: pymupdf.Rect) -> bytes:
    content = pymupdf.Rect(page.x0 + _MARGIN, page.y0 + _MARGIN * 0.8, page.x1 - _MARGIN, page.y1 - _MARGIN * 0.6)
    for scale in _SCALES:
        story = pymupdf.Story(html=body, user_css=_css(scale * page.height / 720))
        more, _ = story.place(content)
        if not more or scale == _SCALES[-1]:
            return _draw(story, page)
    raise AssertionError("unreachable: the last scale always draws")


def _draw(story: pymupdf.Story, page: pymupdf.Rect) -> bytes:
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    device = writer.begin_page(page)
    story.draw(device)
    writer.end_page()
    writer.close()
    return buffer.getvalue()


def _css(scale: float) -> str:
    sizes = {"h1": 52, "gap": 24, "indent": 36, "li": 34, "li_gap": 12, "small": 20}
    return CSS % {name: max(1, round(value * scale)) for name, value in sizes.items()}
