"""SSRF probe: addresses that reach the platform or loop back through translation are not public."""

from __future__ import annotations

import pytest

from shared.canvas.adapters.hosts import is_public

REFUSED = [
    "168.63.129.16",  # Azure WireServer, platform DNS and health probes
    "169.254.169.254",
    "64:ff9b::a9fe:a9fe",  # NAT64 well-known prefix onto 169.254.169.254
    "64:ff9b::5db8:d822",  # NAT64 onto a public address is still refused: the target is hidden
    "64:ff9b:1::a00:1",  # local-use NAT64 prefix
    "2002:7f00:1::",  # 6to4 carrying 127.0.0.1
    "2002:5db8:d822::1",  # 6to4 carrying a public address
    "::127.0.0.1",  # IPv4-compatible form
    "::a9fe:a9fe",
    "::ffff:168.63.129.16",  # IPv4-mapped form of WireServer
    "::ffff:10.0.0.1",
    "2001::1",  # Teredo
    "fe80::1%eth0",
]

ALLOWED = ["93.184.216.34", "151.101.1.7", "2606:2800:220:1:248:1893:25c8:1946"]


@pytest.mark.parametrize("address", REFUSED)
def test_translated_and_platform_addresses_are_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_ordinary_public_addresses_stay_public(address: str) -> None:
    assert is_public(address)
