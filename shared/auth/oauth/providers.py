"""The sign-in provider port, and how a provider is built from settings (the container keeps it)."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from shared.auth.oauth.oidc import Identity
from shared.platform.errors import FailedPrecondition
from shared.settings import Settings

ProviderName = Literal["google", "microsoft"]
PROVIDERS: tuple[ProviderName, ...] = ("google", "microsoft")


class SignInProvider(Protocol):
    def start(self, *, redirect_uri: str) -> tuple[str, dict[str, Any]]:
        """(URL to send the browser to, the flow state to keep until the callback)."""
        ...

    def finish(self, *, flow: dict[str, Any], params: dict[str, str]) -> Identity:
        """Redeem the callback's code and return the verified identity."""
        ...


def build_provider(settings: Settings, name: ProviderName) -> SignInProvider:
    """The provider `name` (discovery happens on its first use); refused when not configured."""
    if name == "google":
        from shared.auth.oauth.google import GoogleProvider

        if not settings.google_client_id or settings.google_client_secret is None:
            raise FailedPrecondition("Google sign-in is not configured (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET)")
        return GoogleProvider.from_settings(settings)
    from shared.auth.oauth.microsoft import MicrosoftProvider

    if not settings.microsoft_client_id or settings.microsoft_client_secret is None:
        raise FailedPrecondition("Microsoft sign-in is not configured (MICROSOFT_CLIENT_ID, MICROSOFT_CLIENT_SECRET)")
    return MicrosoftProvider.from_settings(settings)
