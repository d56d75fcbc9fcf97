"""Microsoft sign-in through msal (auth code flow: state, PKCE and nonce are msal's).

msal no longer validates ID tokens, so the raw token is checked here too: signature against the
tenant's published keys, issuer (Entra's `{tenantid}` template filled from the token), audience,
expiry and the nonce msal sent (its SHA-256). Accounts are keyed by `tid:oid`, never by email.
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from typing import Any

import jwt
import msal
import requests

from shared.auth.oauth import oidc
from shared.auth.oauth.oidc import Identity
from shared.platform.errors import Unauthenticated, Unavailable
from shared.settings import Settings


class MicrosoftProvider:
    def __init__(self, *, settings: Settings) -> None:
        secret = settings.microsoft_client_secret.get_secret_value() if settings.microsoft_client_secret else ""
        self._client_id = settings.microsoft_client_id or ""
        authority = settings.microsoft_authority.rstrip("/")
        entra = settings.microsoft_authority_type == "entra"
        self._app = msal.ConfidentialClientApplication(
            self._client_id,
            client_credential=secret,
            authority=authority if entra else None,
            oidc_authority=None if entra else authority,
            exclude_scopes=["offline_access"],  # sign-in only: no refresh token is wanted
            http_client=_http_client(settings.oidc_ca_bundle, timeout_s=settings.oidc_http_timeout_seconds),
        )
        tls = oidc.tls_context(settings.oidc_ca_bundle)
        discovery = f"{authority}/v2.0/.well-known/openid-configuration" if entra else (
            f"{authority}/.well-known/openid-configuration"
        )  # fmt: skip
        self._meta = oidc.discover(discovery, tls=tls, timeout_s=settings.oidc_http_timeout_seconds)
        self._jwks = jwt.PyJWKClient(self._meta.jwks_uri, ssl_context=tls, timeout=settings.oidc_http_timeout_seconds)

    @classmethod
    def from_settings(cls, settings: Settings) -> MicrosoftProvider:
        return cls(settings=settings)

    def start(self, *, redirect_uri: str) -> tuple[str, dict[str, Any]]:
        with warnings.catch_warnings():
            # msal nudges towards response_mode=form_post; a cross-site POST back would not carry our
            # SameSite=Lax browser-binding cookie. The code in the query is PKCE-bound and single-use.
            warnings.filterwarnings("ignore", message="response_mode='form_post'", category=UserWarning)
            flow: dict[str, Any] = self._app.initiate_auth_code_flow(scopes=[], redirect_uri=redirect_uri)
        return str(flow["auth_uri"]), flow

    def finish(self, *, flow: dict[str, Any], params: dict[str, str]) -> Identity:
        try:
            result: dict[str, Any] = self._app.acquire_token_by_auth_code_flow(flow, params)
        except ValueError as exc:  # msal: state mismatch or a malformed response
            raise Unauthenticated(f"Microsoft sign-in was refused: {exc}") from exc
        except RuntimeError as exc:  # msal: nonce mismatch
            raise Unauthenticated("Microsoft's ID token does not carry this sign-in's nonce") from exc
        except OSError as exc:
            raise Unavailable("Microsoft's token endpoint could not be reached") from exc
        if "error" in result or "id_token" not in result:
            raise Unauthenticated(f"Microsoft refused the sign-in code: {result.get('error', 'no id_token')}")
        return self._identity(str(result["id_token"]), nonce=str(flow["nonce"]))

    def _identity(self, id_token: str, *, nonce: str) -> Identity:
        key = oidc.key_for(self._jwks, id_token)
        tenant = str(jwt.decode(id_token, options={"verify_signature": False}).get("tid", ""))
        issuer = self._meta.issuer.replace("{tenantid}", tenant)
        claims = oidc.verify_id_token(
            id_token, signing_key=key, issuer=issuer, audience=self._client_id,
            nonce=hashlib.sha256(nonce.encode("ascii")).hexdigest(),
        )  # fmt: skip
        if not claims.get("oid") or not claims.get("tid"):
            raise Unauthenticated("Microsoft's ID token names no account (oid/tid)")
        email = claims.get("email") or claims.get("preferred_username")
        return Identity(
            provider="microsoft", subject=f"{claims['tid']}:{claims['oid']}", issuer=issuer,
            email=str(email) if email else None, email_verified=_domain_owner_verified(claims),
            name=str(claims.get("name", "")),
        )  # fmt: skip


def _domain_owner_verified(claims: dict[str, Any]) -> bool:
    """Entra's `email` is not verified by default (any tenant can write any address: nOAuth).
    Only the optional `xms_edov` claim says the tenant owns the email's domain; trust that alone."""
    return claims.get("email") is not None and claims.get("xms_edov") in (True, 1, "1", "true")


def _http_client(ca_bundle: str | None, *, timeout_s: float) -> requests.Session:
    session = requests.Session()
    if ca_bundle:
        session.verify = ca_bundle
        # requests lets REQUESTS_CA_BUNDLE from the environment replace a session's bundle.
        session.trust_env = False
    session.request = functools.partial(session.request, timeout=timeout_s)  # type: ignore[method-assign]
    return session
