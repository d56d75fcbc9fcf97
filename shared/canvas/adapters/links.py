"""`Link` header parsing for Canvas pagination. Links are opaque URLs: used as given."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import httpx

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL = re.compile(r"""rel\s*=\s*"?([^";]+)"?""", re.IGNORECASE)


def parse_links(header: str) -> dict[str, str]:
    """`<url>; rel="next", <url>; rel="last"` → {"next": url, "last": url} (rel lower-cased)."""
    links: dict[str, str] = {}
    for match in _LINK.finditer(header):
        url, params = match.group(1).strip(), match.group(2)
        rel = _REL.search(params)
        if rel:
            for name in rel.group(1).split():
                links.setdefault(name.lower(), url)
    return links


def next_url(response: httpx.Response) -> str | None:
    """The `rel="next"` URL of a page (httpx looks the header name up case-insensitively)."""
    header = ", ".join(response.headers.get_list("link"))
    target = parse_links(header).get("next")
    return urljoin(str(response.url), target) if target else None
