"""Canvas OAuth2: the authorize URL, the code exchange, refresh and revoke (`/login/oauth2/*`)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ValidationError

from shared.canvas.adapters.hosts import HostGuard, HostRefused
from shared.canvas.errors import CanvasAuthExpired, CanvasError, CanvasRefusedUrl, CanvasUnavailable


@dataclass(frozen=True)
class OAuthClient:
    base_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: tuple[str, ...]


class CanvasUser(BaseModel):
    id: int | None = None
    name: str = ""


class TokenGrant(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    refresh_token: str | None = None
    expires_in: int | None = None
    user: CanvasUser | None = None


def authorize_url(client: OAuthClient, *, state: str) -> str:
    query = {
        "client_id": client.client_id,
        "response_type": "code",
        "redirect_uri": client.redirect_uri,
        "state": state,
        "scope": " ".join(client.scopes),  # one parameter, space-separated (a repeat keeps only the last)
    }
    return f"{client.base_url.rstrip('/')}/login/oauth2/auth?{urlencode(query)}"


def exchange_code(http: httpx.Client, guard: HostGuard, client: OAuthClient, *, code: str) -> TokenGrant:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": client.redirect_uri}
    return _token_call(http, guard, client, form, what="exchange the sign-in code")


def refresh_grant(http: httpx.Client, guard: HostGuard, client: OAuthClient, *, refresh_token: str) -> TokenGrant:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return _token_call(http, guard, client, form, what="refresh the access token")


def revoke(http: httpx.Client, guard: HostGuard, client: OAuthClient, *, access_token: str) -> bool:
    """Ask Canvas to forget the token; False when Canvas says it was already gone."""
    url = _token_url(guard, client)
    try:
        response = http.delete(url, headers={"Authorization": f"Bearer {access_token}"})
    except httpx.TransportError as exc:
        raise CanvasUnavailable(f"could not reach Canvas to revoke the token ({type(exc).__name__})") from exc
    if response.status_code >= 500:
        raise CanvasUnavailable(f"Canvas failed to revoke the token ({response.status_code})")
    return response.status_code < 400


def _token_call(
    http: httpx.Client, guard: HostGuard, client: OAuthClient, form: dict[str, str], *, what: str
) -> TokenGrant:
    url = _token_url(guard, client)
    body = {**form, "client_id": client.client_id, "client_secret": client.client_secret}
    try:
        response = http.post(url, data=body, headers={"Accept": "application/json"})
    except httpx.TransportError as exc:
        raise CanvasUnavailable(f"could not reach Canvas to {what} ({type(exc).__name__})") from exc
    if response.status_code in (400, 401):
        raise CanvasAuthExpired(f"Canvas would not {what} ({_oauth_error(response)}); connect Canvas again")
    if response.status_code != 200:
        raise CanvasError(f"Canvas answered {response.status_code} when asked to {what}", status=response.status_code)
    try:
        return TokenGrant.model_validate_json(response.content)
    except ValidationError as exc:
        raise CanvasError(f"Canvas sent an unreadable token response when asked to {what}") from exc


def _token_url(guard: HostGuard, client: OAuthClient) -> str:
    url = f"{client.base_url.rstrip('/')}/login/oauth2/token"
    try:
        return guard.check(url)
    except HostRefused as exc:
        raise CanvasRefusedUrl(str(exc)) from exc


def _oauth_error(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"status {response.status_code}"
    if isinstance(body, dict):
        return str(body.get("error_description") or body.get("error") or f"status {response.status_code}")[:200]
    return f"status {response.status_code}"
