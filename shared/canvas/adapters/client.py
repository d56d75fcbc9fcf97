"""The Canvas HTTP client: allow-listed hosts, rate-limit back-off, token refresh, pagination.

One request at a time per token (Canvas throttles per token and penalises parallel calls).
Retries happen here and only for the transient cases: 429, 403 "Rate Limit Exceeded", 5xx,
and network errors. A 401 carrying `WWW-Authenticate` means the token expired: refresh once
and retry; a 401 without it is a permission refusal and is not retried.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from shared.canvas.adapters.hosts import HostGuard, HostRefused
from shared.canvas.adapters.links import next_url
from shared.canvas.adapters.pinned import REFUSED
from shared.canvas.adapters.ratelimit import ClientStats, RetryPolicy, backoff_delay, pacing_delay, remaining, throttled
from shared.canvas.errors import CanvasRefusedUrl, CanvasThrottled, CanvasUnavailable, error_for

logger = logging.getLogger(__name__)


class TokenSource(Protocol):
    def access_token(self) -> str: ...

    def refresh(self) -> str: ...


class CanvasClient:
    def __init__(
        self,
        *,
        http: httpx.Client,
        guard: HostGuard,
        tokens: TokenSource,
        policy: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http = http
        self.guard = guard
        self.tokens = tokens
        self.policy = policy
        self.stats = ClientStats()
        self._sleep = sleep

    def api_url(self, path: str) -> str:
        base = f"{self.guard.canvas.scheme}://{self.guard.canvas.host}:{self.guard.canvas.port}"
        return f"{base}/api/v1/{path.lstrip('/')}"

    def get_json(self, url: str, params: Mapping[str, str | list[str]] | None = None) -> tuple[object, str | None]:
        """One page: the decoded body and the next page's URL (None on the last page)."""
        response = self.send("GET", url, params=params)
        if response.status_code != 200:
            raise error_for(response, what=_what(url))
        return response.json(), next_url(response)

    def paginate(self, path: str, params: Mapping[str, str | list[str]] | None = None) -> Iterator[dict[str, object]]:
        url: str | None = self.api_url(path)
        query: Mapping[str, str | list[str]] | None = params
        while url is not None:
            body, url = self.get_json(url, query)
            query = None  # the next link already carries every parameter
            if not isinstance(body, list):
                raise CanvasUnavailable(f"Canvas sent a non-list page for {_what(path)}")
            yield from (item for item in body if isinstance(item, dict))

    def send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | list[str]] | None = None,
        auth: bool = True,
        stream: bool = False,
    ) -> httpx.Response:
        """Send with retries; returns the final response (any status) for the caller to judge.

        With `stream=True` the body is not read yet: the caller reads and closes it.
        """
        refreshed = False
        for attempt in range(self.policy.max_retries + 1):
            response = self._once(method, url, params=params, auth=auth, stream=stream)
            if stream and response.status_code >= 400:
                response.read()  # error bodies are small; retry decisions need them
                response.close()
            if throttled(response):
                self.stats.throttled += 1
                self._back_off(attempt, response)
                continue
            if response.status_code >= 500:
                self._back_off(attempt, response)
                continue
            if response.status_code == 401 and "www-authenticate" in response.headers and auth and not refreshed:
                self.tokens.refresh()
                self.stats.refreshed += 1
                refreshed = True
                continue
            return response
        if throttled(response):
            raise CanvasThrottled(f"Canvas kept rate-limiting {_what(url)} after {attempt + 1} tries")
        raise error_for(response, what=_what(url))

    def _once(
        self, method: str, url: str, *, params: Mapping[str, str | list[str]] | None, auth: bool, stream: bool
    ) -> httpx.Response:
        try:
            self.guard.check(url)
        except HostRefused as exc:
            raise CanvasRefusedUrl(f"refused to fetch {_what(url)}: {exc}") from exc
        headers = {"Accept": "application/json"}
        if auth and self.guard.is_canvas(url):
            headers["Authorization"] = f"Bearer {self.tokens.access_token()}"
        self.stats.requests += 1
        try:
            request = self.http.build_request(method, url, params=params, headers=headers)
            response = self.http.send(request, stream=stream, follow_redirects=False)
            if not stream:
                response.read()
        except httpx.ConnectError as exc:
            if REFUSED in str(exc):
                raise CanvasRefusedUrl(f"refused to fetch {_what(url)}: {exc}") from exc
            raise CanvasUnavailable(f"could not reach Canvas for {_what(url)}: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise CanvasUnavailable(f"could not reach Canvas for {_what(url)}: {type(exc).__name__}") from exc
        self._pace(response)
        return response

    def _pace(self, response: httpx.Response) -> None:
        left = remaining(response)
        if left is None:
            return
        lowest = self.stats.lowest_remaining
        self.stats.lowest_remaining = left if lowest is None else min(lowest, left)
        wait = 0.0 if throttled(response) else pacing_delay(self.policy, left)
        if wait > 0:
            self.stats.paced_s += wait
            logger.info("Canvas quota low (%.1f left); pausing %.2f s", left, wait)
            self._sleep(wait)

    def _back_off(self, attempt: int, response: httpx.Response) -> None:
        if attempt >= self.policy.max_retries:
            return
        delay = backoff_delay(self.policy, attempt, response)
        logger.warning("Canvas answered %s; retrying in %.2f s", response.status_code, delay)
        self._sleep(delay)


def _what(url: str) -> str:
    """A loggable name for a request: the path only (queries can hold file verifiers)."""
    path = urlsplit(url).path
    return path.removeprefix("/api/v1/") or "/"
