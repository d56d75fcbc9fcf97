"""The Canvas adapters built from settings: host guard, OAuth client, token cipher, retry policy, HTTP.

The `Container` builds the one `httpx.Client` (`container.canvas_http`) and this bundle around it
(`container.canvas`) once; connections to Canvas are reused across requests and sync runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from shared.canvas.adapters.crypto import TokenCipher, TokenKeyError, parse_keys
from shared.canvas.adapters.hosts import HostGuard, system_resolver
from shared.canvas.adapters.oauth import OAuthClient
from shared.canvas.adapters.pinned import PinnedBackend, PinnedTransport
from shared.canvas.adapters.ratelimit import RetryPolicy
from shared.canvas.settings import CanvasSettings
from shared.platform.errors import FailedPrecondition


@dataclass(frozen=True)
class CanvasApi:
    guard: HostGuard
    oauth: OAuthClient
    cipher: TokenCipher
    http: httpx.Client
    policy: RetryPolicy


def token_cipher(settings: CanvasSettings) -> TokenCipher:
    keys, active = settings.token_encryption_keys, settings.token_encryption_active_key
    if keys is None or not active:
        raise FailedPrecondition("Canvas is not configured: TOKEN_ENCRYPTION_KEYS and _ACTIVE_KEY are not set")
    try:
        return TokenCipher(parse_keys(keys.get_secret_value()), active)
    except TokenKeyError as exc:
        raise FailedPrecondition(f"Canvas token keys are misconfigured: {exc}") from exc


def build_http(settings: CanvasSettings) -> httpx.Client:
    """The one client for Canvas and its file hosts: pinned to the addresses the guard checked."""
    timeout = httpx.Timeout(settings.canvas_read_timeout_s, connect=settings.canvas_connect_timeout_s)
    backend = PinnedBackend(resolver=system_resolver, allow_private=settings.canvas_allow_private_hosts)
    # trust_env=False: no proxy from the environment may reroute requests past the allow-list.
    return httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, transport=PinnedTransport(backend=backend)
    )


def build_canvas_api(settings: CanvasSettings, *, public_base_url: str, http: httpx.Client) -> CanvasApi:
    base, client_id, secret = settings.canvas_base_url, settings.canvas_client_id, settings.canvas_client_secret
    if not base or not client_id or secret is None:
        raise FailedPrecondition("Canvas is not configured: CANVAS_BASE_URL, _CLIENT_ID and _CLIENT_SECRET are needed")
    redirect = settings.canvas_redirect_uri or f"{public_base_url.rstrip('/')}/v1/canvas/callback"
    return CanvasApi(
        guard=HostGuard(
            canvas=base,
            file_hosts=settings.canvas_file_hosts,
            allow_private=settings.canvas_allow_private_hosts,
            resolver=system_resolver,
        ),
        oauth=OAuthClient(base, client_id, secret.get_secret_value(), redirect, tuple(settings.canvas_scopes)),
        cipher=token_cipher(settings),
        http=http,
        policy=RetryPolicy(max_retries=settings.canvas_max_retries, backoff_base_s=settings.canvas_backoff_base_s),
    )
