"""Google sign-in: OIDC authorization code flow with PKCE, over httpx, ID token checked with PyJWT."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from shared.auth.oauth import oidc
from shared.auth.oauth.oidc import Identity, ProviderMetadata
from shared.platform.errors import Unauthenticated, Unavailable
from shared.settings import Settings

SCOPES = "openid email profile"


class GoogleProvider:
    def __init__(self, *, client_id: str, client_secret: str, issuer: str, ca_bundle: str | None, timeout_s: float):
        self._client_id = client_id
        self._client_secret = client_secret
        self._tls = oidc.tls_context(ca_bundle)
        self._timeout = timeout_s
        discovery = issuer.rstrip("/") + "/.well-known/openid-configuration"
        self._meta: ProviderMetadata = oidc.discover(discovery, tls=self._tls, timeout_s=timeout_s)
        self._jwks = jwt.PyJWKClient(self._meta.jwks_uri, ssl_context=self._tls, timeout=timeout_s)

    @classmethod
    def from_settings(cls, settings: Settings) -> GoogleProvider:
        secret = settings.google_client_secret.get_secret_value() if settings.google_client_secret else ""
        return cls(
            client_id=settings.google_client_id or "", client_secret=secret, issuer=settings.google_issuer,
            ca_bundle=settings.oidc_ca_bundle, timeout_s=settings.oidc_http_timeout_seconds,
        )  # fmt: skip

    def start(self, *, redirect_uri: str) -> tuple[str, dict[str, Any]]:
        verifier, challenge = oidc.pkce_pair()
        flow = {"state": oidc.new_state(), "nonce": oidc.new_state(), "code_verifier": verifier,
                "redirect_uri": redirect_uri}  # fmt: skip
        query = {
            "response_type": "code", "client_id": self._client_id, "redirect_uri": redirect_uri, "scope": SCOPES,
            "state": flow["state"], "nonce": flow["nonce"], "code_challenge": challenge,
            "code_challenge_method": "S256",
        }  # fmt: skip
        return f"{self._meta.authorization_endpoint}?{urlencode(query)}", flow

    def finish(self, *, flow: dict[str, Any], params: dict[str, str]) -> Identity:
        if "error" in params or not params.get("code"):
            raise Unauthenticated(f"Google sign-in did not complete: {params.get('error', 'no code')}")
        id_token = self._redeem(code=params["code"], flow=flow)
        key = oidc.key_for(self._jwks, id_token)
        claims = oidc.verify_id_token(
            id_token, signing_key=key, issuer=self._meta.issuer, audience=self._client_id, nonce=flow["nonce"]
        )
        return Identity(
            provider="google", subject=str(claims["sub"]), issuer=self._meta.issuer,
            email=claims.get("email"), email_verified=claims.get("email_verified") is True,
            name=str(claims.get("name", "")),
        )  # fmt: skip

    def _redeem(self, *, code: str, flow: dict[str, Any]) -> str:
        form = {
            "grant_type": "authorization_code", "code": code, "redirect_uri": flow["redirect_uri"],
            "client_id": self._client_id, "client_secret": self._client_secret, "code_verifier": flow["code_verifier"],
        }  # fmt: skip
        try:
            response = httpx.post(self._meta.token_endpoint, data=form, verify=self._tls, timeout=self._timeout)
        except httpx.HTTPError as exc:
            raise Unavailable("Google's token endpoint could not be reached") from exc
        if response.status_code >= 500:
            raise Unavailable(f"Google's token endpoint failed ({response.status_code})")
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if response.status_code != 200 or "id_token" not in body:
            raise Unauthenticated(f"Google refused the sign-in code: {body.get('error', response.status_code)}")
        return str(body["id_token"])
