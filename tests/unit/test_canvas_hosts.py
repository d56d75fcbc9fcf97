"""The outbound allow-list: SSRF payloads are refused before any connection is made."""

from __future__ import annotations

import httpx
import pytest

from shared.canvas.adapters.hosts import HostGuard, HostRefused
from shared.canvas.adapters.pinned import REFUSED, PinnedBackend, PinnedTransport


def _resolver(table: dict[str, list[str]]) -> object:
    def resolve(host: str, _port: int) -> list[str]:
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


PUBLIC = {
    "school.instructure.com": ["93.184.216.34"],
    "files.canvas-user-content.com": ["151.101.1.7"],
    "cdn.canvas-user-content.com": ["151.101.1.8"],
    "rebind.canvas-user-content.com": ["10.0.0.5"],
    "mapped.canvas-user-content.com": ["::ffff:169.254.169.254"],
}


def _guard(allow_private: bool = False) -> HostGuard:
    return HostGuard(
        canvas="https://school.instructure.com",
        file_hosts=["https://*.canvas-user-content.com"],
        allow_private=allow_private,
        resolver=_resolver(PUBLIC),  # type: ignore[arg-type]
    )


PAYLOADS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://168.63.129.16/machine",
    "http://127.0.0.1:6379/",
    "http://[::1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f.0.0.1/",
    "https://school.instructure.com@evil.example/",
    "https://evil.example\\@school.instructure.com/",
    "https://school.instructure.com\\.evil.example/",
    "file:///etc/passwd",
    "gopher://school.instructure.com:70/_x",
    "http://school.instructure.com/api/v1/courses",
    "https://school.instructure.com:8443/api/v1/courses",
    "https://school.instructure.com.evil.example/",
    "https://evilinstructure.com/",
    "https://canvas-user-content.com.evil.example/x",
    "https://rebind.canvas-user-content.com/x",
    "https://mapped.canvas-user-content.com/x",
    "https://unknown.canvas-user-content.com/x",
    "https://user:pw@files.canvas-user-content.com/x",
    "https://school.instructure.com /x",
    "//school.instructure.com/x",
]


@pytest.mark.parametrize("url", PAYLOADS)
def test_payload_is_refused(url: str) -> None:
    with pytest.raises(HostRefused):
        _guard().check(url)


def test_the_canvas_host_and_file_hosts_are_allowed() -> None:
    guard = _guard()
    assert guard.check("https://school.instructure.com/api/v1/courses?page=2")
    assert guard.check("https://files.canvas-user-content.com/f/1?sig=x")
    assert guard.check("https://CDN.canvas-user-content.com./f/1")


def test_the_token_goes_only_to_the_canvas_origin() -> None:
    guard = _guard()
    assert guard.is_canvas("https://school.instructure.com/files/1/download")
    assert not guard.is_canvas("https://files.canvas-user-content.com/f/1")


def test_a_loopback_stub_needs_the_explicit_setting() -> None:
    stub = HostGuard(canvas="http://127.0.0.1:8900", file_hosts=["http://127.0.0.2:8901"], allow_private=False,
                     resolver=_resolver({"127.0.0.1": ["127.0.0.1"], "127.0.0.2": ["127.0.0.2"]}))  # type: ignore[arg-type]  # fmt: skip
    with pytest.raises(HostRefused, match="non-public"):
        stub.check("http://127.0.0.1:8900/api/v1/courses")
    allowed = HostGuard(canvas="http://127.0.0.1:8900", file_hosts=["http://127.0.0.2:8901"], allow_private=True,
                        resolver=_resolver({}))  # type: ignore[arg-type]  # fmt: skip
    assert allowed.check("http://127.0.0.2:8901/blob/1")
    with pytest.raises(HostRefused):
        allowed.check("http://127.0.0.3:8901/blob/1")


def test_the_connection_goes_only_to_the_address_vetted_when_connecting() -> None:
    """A name that resolves to a public address for the check and a private one at connect time."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    guard = HostGuard(canvas="http://rebind.example", file_hosts=[], allow_private=False,
                      resolver=lambda _h, _p: next(answers))  # fmt: skip
    backend = PinnedBackend(resolver=lambda _h, _p: next(answers), allow_private=False)
    guard.check("http://rebind.example/api/v1/courses")
    with (
        httpx.Client(transport=PinnedTransport(backend=backend)) as http,
        pytest.raises(httpx.ConnectError, match=REFUSED),
    ):
        http.get("http://rebind.example/api/v1/courses")
