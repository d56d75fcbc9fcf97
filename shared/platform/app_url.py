"""Sending the browser back to the React app (`APP_URL`) with the outcome in the query string."""

from __future__ import annotations

from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from fastapi.responses import RedirectResponse


def app_location(app_url: str, target: str = "", **query: str) -> str:
    """`target` resolved against the app's URL (an absolute target stays), with `query` appended."""
    parts = urlsplit(urljoin(app_url, target))
    extra = urlencode(query)
    merged = f"{parts.query}&{extra}" if parts.query and extra else parts.query or extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", merged, ""))


def redirect_to_app(app_url: str, target: str = "", **query: str) -> RedirectResponse:
    """A 303 to the app; never cached (it may carry a fresh session cookie)."""
    response = RedirectResponse(app_location(app_url, target, **query), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response
