"""Lines of one block into Markdown paragraphs and list items (bullets and numbering kept)."""

from __future__ import annotations

import re

BULLETS = "•●○◦▪▫■□‣\u2043∙·➢➤►▶✓✔-\u2013\u2014*\uf0b7\uf0a7\uf0d8\uf076\uf0fc\x02\ufffd"
_NUMBERED = re.compile(r"^(\(?\d{1,3}[.)]|\(?[a-z][.)]|[ivx]{1,4}[.)])\s+")


def list_marker(text: str) -> tuple[str, str] | None:
    """('-', rest) for a bullet, ('1.', rest) for a numbered item, None for plain text."""
    stripped = text.lstrip()
    if stripped and stripped[0] in BULLETS and (len(stripped) == 1 or stripped[1] in " \t"):
        return "-", stripped[1:].strip()
    match = _NUMBERED.match(stripped)
    if match:
        return match.group(1).strip("()").rstrip(")") if match.group(1)[-1] == "." else "1.", stripped[match.end() :]
    return None


def join_lines(texts: list[str]) -> str:
    out = ""
    for text in texts:
        text = text.strip()
        if not out:
            out = text
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and text[:1].islower():
            out = out[:-1] + text
        else:
            out = f"{out} {text}"
    return out


def block_to_markdown(lines: list[tuple[str, float, float]]) -> list[str]:
    """`lines` are (text, left x, right x). Returns Markdown parts in order: paragraphs and lists.

    A line that stops well short of the block's right edge ends its paragraph (slides and
    short-line lists have no other marker); bullet glyphs and numbering start list items.
    """
    parts: list[str] = []
    items: list[tuple[float, str, list[str]]] = []
    para: list[str] = []
    left = min((x0 for _, x0, _ in lines), default=0.0)
    right = max((x1 for _, _, x1 in lines), default=0.0)
    short = right - 0.15 * max(right - left, 1.0)
    pending_bullet: float | None = None
    ended = False

    def flush_para() -> None:
        if para:
            parts.append(join_lines(para))
            para.clear()

    def flush_items() -> None:
        if items:
            parts.append(_render_list(items))
            items.clear()

    for text, x0, x1 in lines:
        marker = list_marker(text)
        if marker and not marker[1]:
            pending_bullet = x0  # the bullet glyph sits on its own line; the item text follows
            continue
        if marker or pending_bullet is not None:
            flush_para()
            sign, rest = marker if marker else ("-", text)
            items.append((pending_bullet if pending_bullet is not None else x0, sign, [rest]))
            pending_bullet = None
        elif items and not ended:
            items[-1][2].append(text)
        else:
            flush_items()
            if ended:
                flush_para()
            para.append(text)
        ended = x1 < short and not text.endswith("-")
    flush_para()
    flush_items()
    return parts


def _render_list(items: list[tuple[float, str, list[str]]]) -> str:
    lefts = sorted({round(x / 8) for x, _, _ in items})
    out = []
    for x, sign, texts in items:
        depth = min(lefts.index(round(x / 8)), 5)
        out.append(f"{'  ' * depth}{'-' if sign == '-' else sign} {join_lines(texts)}")
    return "\n".join(out)
