"""Text hygiene for indexing, and turning PostgreSQL's highlight markers into safe HTML."""

from __future__ import annotations

import html

# Private-use code points mark matches inside ts_headline output; they are stripped from
# indexed text first, so a document can never forge a highlight (or inject markup).
START, STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f'StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)
HEADING_OPTIONS = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
_STRIP = {ord(START): None, ord(STOP): None, 0: None}


def clean(text: str) -> str:
    """What gets indexed: no NUL (PostgreSQL refuses it), no highlight markers."""
    return text.translate(_STRIP).strip()


def marked_html(text: str) -> str:
    """Escape the text for HTML, then turn the markers into <mark> elements."""
    return html.escape(text, quote=False).replace(START, "<mark>").replace(STOP, "</mark>")


def plain_html(text: str, *, max_chars: int = 240) -> str:
    """An unhighlighted snippet: the start of the text, escaped, cut at a word boundary."""
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0] + " …"
    return html.escape(text, quote=False)
