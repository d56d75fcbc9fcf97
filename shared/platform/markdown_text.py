"""Untrusted text (from documents or a language model) made safe to place in generated Markdown.

A Markdown renderer passes raw HTML through and follows any link scheme, so every string we did not
write ourselves goes through `safe_text`: `&`, `<` and `>` become entities (no tag, comment or
autolink can open), reference definitions cannot form, and a link or image whose destination is not
http(s), mailto, an in-page anchor or one of our `media/` assets loses its link syntax. Readers of
the Markdown that want the plain text back use `plain_text`.
"""

from __future__ import annotations

import html
import re

# `](` opens an inline link or image destination (CommonMark allows whitespace, one newline, `<`).
_DESTINATION = re.compile(r"\]\(([ \t]*\n?[ \t]*)(\S*)")
_SAFE_DESTINATION = re.compile(r"(?:https?://|mailto:|#|media/)", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\\\s\x00-\x1f\x7f]")


def safe_text(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace("]:", "&#93;:")  # a reference definition `[x]: url` cannot form
    return _DESTINATION.sub(_checked_link, escaped)


def safe_line(text: str) -> str:
    """`safe_text` on one line: a heading or bullet cannot spill into the next block."""
    return safe_text(" ".join(text.split()))


def plain_text(markdown_text: str) -> str:
    """The text `safe_text` was given (entities decoded); for readers such as the narration parser."""
    return html.unescape(markdown_text)


def is_safe_destination(url: str) -> bool:
    return bool(_SAFE_DESTINATION.match(_INVISIBLE.sub("", url)))


def _checked_link(match: re.Match[str]) -> str:
    if is_safe_destination(match.group(2)):
        return match.group(0)
    return "&#93;(" + match.group(1) + match.group(2)
