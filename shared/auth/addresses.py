"""Which address a request comes from, and the bucket the per-address limits count it in.

The TCP peer is the caller when there is one (uvicorn). The Functions host passes no peer; there
the caller is the entry that the nearest trusted proxy appended to `X-Forwarded-For`: with
`TRUSTED_PROXY_COUNT=n` trusted proxies in front of the app, the n-th entry from the right. Entries
left of it were written by the client and are never used, so a forged header cannot dodge a limit.
"""

from __future__ import annotations

import ipaddress

from fastapi import Request

#: IPv6 hosts are given a /64 each, so per-address limits count the network, not the host.
IPV6_PREFIX = 64


def client_ip(request: Request, *, trusted_proxies: int) -> str | None:
    if request.client is not None:
        return _ip(request.client.host)
    entries = [entry.strip() for entry in request.headers.get("x-forwarded-for", "").split(",")]
    entries = [entry for entry in entries if entry]
    if trusted_proxies < 1 or len(entries) < trusted_proxies:
        return None  # no proxy is trusted, or the request did not come through all of them
    return _ip(entries[-trusted_proxies])


def address_bucket(ip: str | None) -> str:
    """The key per-address limits count: the IPv4 address, or the IPv6 /64 it lies in."""
    if ip is None:
        return "unknown"
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def _ip(value: str) -> str | None:
    candidates = [value, value.rsplit(":", 1)[0].strip("[]")]  # "1.2.3.4:5678", "[::1]:5678"
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:  # test clients name no IP; ports and brackets are peeled above
            continue
    return None
