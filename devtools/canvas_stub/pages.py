"""Canvas-style pagination: `per_page` (default 10, at most 100) and opaque `Link` URLs."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from devtools.canvas_stub.http import Reply, Request

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100


def _bookmark(offset: int) -> str:
    return "bookmark:" + base64.urlsafe_b64encode(f"[{offset}]".encode()).decode().rstrip("=")


def _offset(page: str) -> int:
    if not page.startswith("bookmark:"):
        return max(0, (int(page) - 1)) if page.isdigit() else 0
    token = page.removeprefix("bookmark:")
    text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    return int(text.strip("[]"))


def paged(request: Request, base_url: str, items: list[Any], *, link_name: str, headers: dict[str, str]) -> Reply:
    per_page = min(MAX_PER_PAGE, max(1, int(request.arg("per_page", str(DEFAULT_PER_PAGE)) or DEFAULT_PER_PAGE)))
    offset = _offset(request.arg("page", "1"))
    query = [(k, v) for k, values in request.query.items() if k not in ("page", "per_page") for v in values]

    def link(at: int, rel: str) -> str:
        params = urlencode([*query, ("page", _bookmark(at)), ("per_page", str(per_page))])
        return f'<{base_url}{request.path}?{params}>; rel="{rel}"'

    links = [link(offset, "current"), link(0, "first")]
    if offset + per_page < len(items):
        links.insert(1, link(offset + per_page, "next"))
    if offset > 0:
        links.append(link(max(0, offset - per_page), "prev"))
    return Reply.json(200, items[offset : offset + per_page], {**headers, link_name: ",".join(links)})
