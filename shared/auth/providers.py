"""The sign-in provider port, and how a provider is picked from settings."""

from __future__ import annotations

import threading
import weakref
from typing import Any, Literal, Protocol

from shared.auth.oidc import Identity
from shared.container import Container
from shared.platform.errors import FailedPrecondition

ProviderName = Literal["google", "microsoft"]
PROVIDERS: tuple[ProviderName, ...] = ("google", "microsoft")


class SignInProvider(Protocol):
    def start(self, *, redirect_uri: str) -> tuple[str, dict[str, Any]]:
        """(URL to send the browser to, the flow state to keep until the callback)."""
        ...

    def finish(self, *, flow: dict[str, Any], params: dict[str, str]) -> Identity:
        """Redeem the callback's code and return the verified identity."""
        ...


_built: weakref.WeakKeyDictionary[Container, dict[str, SignInProvider]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def provider_for(container: Container, name: ProviderName) -> SignInProvider:
    """The provider `name`, built once per container (discovery happens on first use)."""
    with _lock:
        providers = _built.setdefault(container, {})
        if name not in providers:
            providers[name] = _build(container, name)
        return providers[name]


def _build(container: Container, name: ProviderName) -> SignInProvider:
    settings = container.settings
    if name == "google":
        from shared.auth.google import GoogleProvider

        if not settings.google_client_id or settings.google_client_secret is None:
            raise FailedPrecondition("Google sign-in is not configured (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET)")
        return GoogleProvider.from_settings(settings)
    from shared.auth.microsoft import MicrosoftProvider

    if not settings.microsoft_client_id or settings.microsoft_client_secret is None:
        raise FailedPrecondition("Microsoft sign-in is not configured (MICROSOFT_CLIENT_ID, MICROSOFT_CLIENT_SECRET)")
    return MicrosoftProvider.from_settings(settings)
