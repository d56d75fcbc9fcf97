"""Connect only to addresses vetted at connect time (no DNS-rebinding window).

`HostGuard.check` refuses a URL early with a clear reason; this network backend repeats the
address check on the very resolution it then connects to, so a name that answers a public
address to the check and a private one to the connection is still refused.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import httpcore
import httpx

from shared.canvas.adapters.hosts import Resolver, is_public

REFUSED = "refused address"


class PinnedBackend(httpcore.NetworkBackend):
    def __init__(self, *, resolver: Resolver, allow_private: bool) -> None:
        self._resolve = resolver
        self._allow_private = allow_private
        self._plain = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"{host} does not resolve") from exc
        vetted = [a for a in addresses if self._allow_private or is_public(a)]
        if not vetted or len(vetted) != len(addresses):
            raise httpcore.ConnectError(f"{REFUSED}: {host} resolves to a non-public address")
        return self._plain.connect_tcp(vetted[0], port, timeout, local_address, socket_options)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (exception mapping, streams, TLS with SNI from the URL's host) over
    a connection pool whose every connection goes through `PinnedBackend`."""

    def __init__(self, *, backend: PinnedBackend) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=backend)
