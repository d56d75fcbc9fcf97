"""Which address the per-address limits count (no services)."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from shared.auth.addresses import address_bucket, client_ip


def _request(peer: tuple[str, int] | None, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers, "client": peer})


def test_the_tcp_peer_wins_and_forwarded_headers_are_ignored() -> None:
    assert client_ip(_request(("192.0.2.7", 5000), forwarded="203.0.113.9"), trusted_proxies=1) == "192.0.2.7"


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
    assert client_ip(_request(None, forwarded=forwarded), trusted_proxies=1) == expected


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("6.6.6.6, 198.51.100.4, 10.1.2.3", "198.51.100.4"),  # Front Door appended 10.1.2.3's client
        ("1.1.1.1, 6.6.6.6, 198.51.100.4, 10.1.2.3", "198.51.100.4"),  # forged entries stay ignored
        ("10.1.2.3", None),  # fewer entries than trusted proxies: the chain was bypassed
    ],
)
def test_with_two_trusted_proxies_the_second_entry_from_the_right_counts(forwarded: str, expected: str | None) -> None:
    assert client_ip(_request(None, forwarded=forwarded), trusted_proxies=2) == expected


def test_no_trusted_proxy_means_the_header_is_never_read() -> None:
    assert client_ip(_request(None, forwarded="198.51.100.4"), trusted_proxies=0) is None


def test_a_peer_that_is_not_an_ip_gives_none() -> None:
    assert client_ip(_request(("testclient", 50000)), trusted_proxies=1) is None


@pytest.mark.parametrize(
    ("ip", "bucket"),
    [
        ("198.51.100.4", "198.51.100.4"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),  # same /64: same bucket
        ("::ffff:198.51.100.4", "198.51.100.4"),
        (None, "unknown"),
    ],
)
def test_ipv6_hosts_share_their_slash_64_bucket(ip: str | None, bucket: str) -> None:
    assert address_bucket(ip) == bucket
