"""The Canvas client against the stub Canvas on loopback: 401 kinds, back-off, paging, SSRF."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from devtools.canvas_stub import CanvasStub
from shared.canvas.adapters.client import CanvasClient
from shared.canvas.adapters.download import download
from shared.canvas.adapters.hosts import HostGuard, system_resolver
from shared.canvas.adapters.oauth import OAuthClient, refresh_grant
from shared.canvas.adapters.ratelimit import RetryPolicy
from shared.canvas.errors import (
    CanvasAuthExpired,
    CanvasFileTooLarge,
    CanvasPermissionDenied,
    CanvasRefusedUrl,
    CanvasThrottled,
)
from tests.support.canvas_stub import REDIRECT_URI, running_stub


class StubTokens:
    """A TokenSource holding one grant from the stub; refreshes through the real OAuth call."""

    def __init__(self, stub: CanvasStub, http: httpx.Client, guard: HostGuard) -> None:
        self.access, self.refresh_token = stub.state.issue_tokens()
        self.oauth = OAuthClient(stub.base_url, stub.state.client_id, stub.state.client_secret, REDIRECT_URI, ())
        self.http, self.guard = http, guard
        self.refreshes = 0

    def access_token(self) -> str:
        return self.access

    def refresh(self) -> str:
        self.refreshes += 1
        self.access = refresh_grant(self.http, self.guard, self.oauth, refresh_token=self.refresh_token).access_token
        return self.access


class Sink:
    """An 'attacker' host on another loopback address that counts every connection made to it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.3", 0))
        self.url = f"http://127.0.0.3:{self.server.getsockname()[1]}"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture
def stub() -> Iterator[CanvasStub]:
    with running_stub() as started:
        yield started


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(stub: CanvasStub, sleeps: list[float]) -> Iterator[CanvasClient]:
    guard = HostGuard(canvas=stub.base_url, file_hosts=[stub.files_url], allow_private=True, resolver=system_resolver)
    with httpx.Client(trust_env=False, timeout=10) as http:
        yield CanvasClient(
            http=http, guard=guard, tokens=StubTokens(stub, http, guard), policy=RetryPolicy(max_retries=3),
            sleep=sleeps.append,
        )  # fmt: skip


def _tokens(client: CanvasClient) -> StubTokens:
    assert isinstance(client.tokens, StubTokens)
    return client.tokens


def test_expired_token_401_with_www_authenticate_is_refreshed_once(client: CanvasClient, stub: CanvasStub) -> None:
    stub.expire_access_tokens()
    courses = list(client.paginate("courses", {"per_page": "3"}))
    assert len(courses) == 7
    assert _tokens(client).refreshes == 1 and client.stats.refreshed == 1


def test_401_without_www_authenticate_is_a_permission_error_not_a_refresh(
    client: CanvasClient, stub: CanvasStub
) -> None:
    with pytest.raises(CanvasPermissionDenied, match="user authorization required"):
        list(client.paginate("courses/2/files"))
    assert _tokens(client).refreshes == 0
    assert [r.path for r in stub.api_requests()] == ["/api/v1/courses/2/files"]


def test_a_revoked_grant_asks_to_reconnect(client: CanvasClient, stub: CanvasStub) -> None:
    stub.state.refresh.clear()
    stub.expire_access_tokens()
    with pytest.raises(CanvasAuthExpired, match="connect Canvas again"):
        list(client.paginate("courses"))


def test_429_and_403_rate_limit_answers_back_off_and_retry(
    client: CanvasClient, stub: CanvasStub, sleeps: list[float]
) -> None:
    stub.throttle(2, kind="429")
    stub.throttle(1, kind="403")
    assert len(list(client.paginate("courses", {"per_page": "10"}))) == 7
    assert client.stats.throttled == 3 and len(sleeps) == 3
    assert sleeps[0] < 1.0 <= sleeps[2]  # exponential: 1 s base, then 2 s and 4 s, each with jitter down to half
    assert client.stats.requests == 4


def test_throttling_that_never_ends_gives_up_with_a_reason(client: CanvasClient, stub: CanvasStub) -> None:
    stub.throttle(10, kind="403")
    with pytest.raises(CanvasThrottled, match="after 4 tries"):
        list(client.paginate("courses"))


def test_a_low_x_rate_limit_remaining_slows_the_client_down(
    client: CanvasClient, stub: CanvasStub, sleeps: list[float]
) -> None:
    stub.state.used = 680.0  # 20 left of 700
    list(client.paginate("courses", {"per_page": "10"}))
    assert client.stats.lowest_remaining is not None and client.stats.lowest_remaining < 100
    assert sleeps and sleeps[0] > 0.5 and client.stats.throttled == 0


def test_link_header_in_any_case_is_followed_to_the_last_page(client: CanvasClient, stub: CanvasStub) -> None:
    stub.state.link_header_name = "LINK"
    ids = [c["id"] for c in client.paginate("courses", {"per_page": "2"})]
    assert len(ids) == 7 and len(set(ids)) == 7
    pages = [r for r in stub.api_requests() if r.path == "/api/v1/courses"]
    assert len(pages) == 4


def test_download_follows_the_302_and_sends_the_token_only_to_canvas(client: CanvasClient, stub: CanvasStub) -> None:
    meta, _ = client.get_json(client.api_url("files/101"))
    assert isinstance(meta, dict)
    got = download(client, str(meta["url"]), max_bytes=1_000_000, what="file 101")
    assert got.data.startswith(b"%PDF") and got.etag
    hop = [r for r in stub.api_requests() if r.path == "/files/101/download"]
    assert hop and hop[0].authorized and hop[0].status == 302
    assert [r.authorized for r in stub.file_requests()] == [False]


def test_a_file_larger_than_the_limit_is_cut_off(client: CanvasClient) -> None:
    meta, _ = client.get_json(client.api_url("files/4"))
    assert isinstance(meta, dict)
    with pytest.raises(CanvasFileTooLarge):
        download(client, str(meta["url"]), max_bytes=1000, what="file 4")


def test_file_urls_and_redirects_outside_the_allow_list_are_never_fetched(
    client: CanvasClient, stub: CanvasStub
) -> None:
    sink = Sink()
    stub.point_file_at(101, f"{sink.url}/steal")
    meta, _ = client.get_json(client.api_url("files/101"))
    assert isinstance(meta, dict)
    with pytest.raises(CanvasRefusedUrl):
        download(client, str(meta["url"]), max_bytes=1_000_000, what="file 101")
    stub.redirect_file_to(102, f"{sink.url}/latest/meta-data")
    meta, _ = client.get_json(client.api_url("files/102"))
    assert isinstance(meta, dict)
    with pytest.raises(CanvasRefusedUrl):
        download(client, str(meta["url"]), max_bytes=1_000_000, what="file 102")
    for url in ("http://169.254.169.254/latest/meta-data", "http://127.0.0.1:6379/", f"{stub.files_url}@127.0.0.3/"):
        with pytest.raises(CanvasRefusedUrl):
            download(client, url, max_bytes=10, what="payload")
    assert sink.connections == 0
    sink.server.close()
