"""SSML for Azure AI Speech: the narration is text, so every XML special character is escaped."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

_INVALID_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


def narration_ssml(*, text: str, voice: str, language: str) -> str:
    """One `<speak>` document reading `text` with `voice` (control characters dropped, `<&>` escaped)."""
    clean = text.translate(_INVALID_XML)
    return (
        f"<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang={quoteattr(language)}>"
        f"<voice name={quoteattr(voice)}>{escape(clean)}</voice></speak>"
    )
