"""Which address the per-address limits count (no services)."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from shared.auth.sessions import client_ip


def _request(peer: tuple[str, int] | None, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers, "client": peer})


def test_the_tcp_peer_wins_and_forwarded_headers_are_ignored() -> None:
    assert client_ip(_request(("192.0.2.7", 5000), forwarded="203.0.113.9")) == "192.0.2.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.4", "198.51.100.4"),
        ("6.6.6.6, 198.51.100.4:61234", "198.51.100.4"),  # the client's own entry is left of the platform's
        ("[2001:db8::5]:443", "2001:db8::5"),
        ("2001:db8::5", "2001:db8::5"),
        ("not an address", None),
        ("", None),
    ],
)
def test_behind_the_functions_host_the_last_forwarded_entry_counts(forwarded: str, expected: str | None) -> None:
    assert client_ip(_request(None, forwarded=forwarded)) == expected


def test_a_peer_that_is_not_an_ip_gives_none() -> None:
    assert client_ip(_request(("testclient", 50000))) is None
