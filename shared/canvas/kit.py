"""What the Canvas use cases need, built from settings: host guard, OAuth client, cipher, HTTP."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from shared.canvas.crypto import TokenCipher, TokenKeyError, parse_keys
from shared.canvas.hosts import HostGuard, system_resolver
from shared.canvas.oauth import OAuthClient
from shared.canvas.pinned import PinnedBackend, PinnedTransport
from shared.canvas.ratelimit import RetryPolicy
from shared.platform.errors import FailedPrecondition
from shared.settings import Settings


@dataclass
class CanvasKit:
    settings: Settings
    guard: HostGuard
    oauth: OAuthClient
    cipher: TokenCipher
    http: httpx.Client
    policy: RetryPolicy

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> CanvasKit:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def token_cipher(settings: Settings) -> TokenCipher:
    keys, active = settings.token_encryption_keys, settings.token_encryption_active_key
    if keys is None or not active:
        raise FailedPrecondition("Canvas is not configured: TOKEN_ENCRYPTION_KEYS and _ACTIVE_KEY are not set")
    try:
        return TokenCipher(parse_keys(keys.get_secret_value()), active)
    except TokenKeyError as exc:
        raise FailedPrecondition(f"Canvas token keys are misconfigured: {exc}") from exc


def build_kit(settings: Settings) -> CanvasKit:
    base, client_id, secret = settings.canvas_base_url, settings.canvas_client_id, settings.canvas_client_secret
    if not base or not client_id or secret is None:
        raise FailedPrecondition("Canvas is not configured: CANVAS_BASE_URL, _CLIENT_ID and _CLIENT_SECRET are needed")
    redirect = settings.canvas_redirect_uri or f"{settings.public_base_url.rstrip('/')}/v1/canvas/callback"
    timeout = httpx.Timeout(settings.canvas_read_timeout_s, connect=settings.canvas_connect_timeout_s)
    backend = PinnedBackend(resolver=system_resolver, allow_private=settings.canvas_allow_private_hosts)
    transport = PinnedTransport(backend=backend)
    return CanvasKit(
        settings=settings,
        guard=HostGuard(
            canvas=base,
            file_hosts=settings.canvas_file_hosts,
            allow_private=settings.canvas_allow_private_hosts,
            resolver=system_resolver,
        ),
        oauth=OAuthClient(base, client_id, secret.get_secret_value(), redirect, tuple(settings.canvas_scopes)),
        cipher=token_cipher(settings),
        # trust_env=False: no proxy from the environment may reroute requests past the allow-list.
        http=httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, transport=transport),
        policy=RetryPolicy(max_retries=settings.canvas_max_retries, backoff_base_s=settings.canvas_backoff_base_s),
    )
