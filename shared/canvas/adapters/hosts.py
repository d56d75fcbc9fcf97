"""The outbound allow-list: the configured Canvas origin and its file hosts, nothing else.

Every URL the Canvas client is about to fetch (API pages, `Link` next pages, file URLs and
each redirect hop) passes `HostGuard.check` first. Hosts are compared exactly (or as a
subdomain of a `*.` entry); names that resolve to private, loopback, link-local or mapped
addresses are refused unless the settings allow a stub Canvas on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]


class HostRefused(Exception):
    """A URL outside the allow-list, or one that resolves somewhere it must not go."""


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int
    wildcard: bool = False

    def admits(self, scheme: str, host: str, port: int) -> bool:
        if (scheme, port) != (self.scheme, self.port):
            return False
        return host.endswith("." + self.host) if self.wildcard else host == self.host


def system_resolver(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def parse_origin(text: str) -> Origin:
    wildcard = "://*." in text
    parts = urlsplit(text.replace("://*.", "://", 1))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) origin: {text!r}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return Origin(parts.scheme, parts.hostname.lower(), port, wildcard)


class HostGuard:
    def __init__(self, *, canvas: str, file_hosts: Iterable[str], allow_private: bool, resolver: Resolver) -> None:
        self.canvas = parse_origin(canvas)
        self.origins = [self.canvas, *(parse_origin(h) for h in file_hosts)]
        self._allow_private = allow_private
        self._resolve = resolver

    def check(self, url: str) -> str:
        """Return `url` when it may be fetched; raise HostRefused otherwise."""
        scheme, host, port = _split(url)
        if not any(origin.admits(scheme, host, port) for origin in self.origins):
            raise HostRefused(f"{scheme}://{host}:{port} is not the Canvas host or an allowed file host")
        if not self._allow_private:
            self._check_addresses(host, port)
        return url

    def is_canvas(self, url: str) -> bool:
        """True for the Canvas origin itself: the only place the bearer token is ever sent."""
        return self.canvas.admits(*_split(url))

    def _check_addresses(self, host: str, port: int) -> None:
        try:
            addresses = self._resolve(host, port)
        except OSError as exc:
            raise HostRefused(f"{host} does not resolve") from exc
        for address in addresses:
            if not is_public(address):
                raise HostRefused(f"{host} resolves to a non-public address")


def _split(url: str) -> tuple[str, str, int]:
    if "\\" in url or any(ord(c) < 33 for c in url):
        raise HostRefused("the URL holds backslashes, spaces or control characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise HostRefused(f"scheme {parts.scheme or '(none)'!r} is not fetched")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise HostRefused("URLs with user information are not fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise HostRefused("the URL has an invalid port") from exc
    if not parts.hostname:
        raise HostRefused("the URL has no host")
    return parts.scheme, parts.hostname.lower().rstrip("."), port


# Global by the IANA registries, yet the platform's own (Azure WireServer/DNS) or a translation
# prefix whose real target is another address (NAT64, 6to4, IPv4-compatible, Teredo).
_DENIED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "168.63.129.16/32",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "2002::/16",
        "2001::/32",
        "::/96",
    )
)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in net for net in _DENIED if net.version == ip.version):
        return False
    return ip.is_global and not ip.is_multicast
