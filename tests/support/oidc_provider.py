"""A loopback OpenID Connect provider for tests: discovery, JWKS, authorize and token over real HTTPS.

It plays Google (`/google`, a fixed issuer) and Microsoft Entra (`/ms`, issuer templated with
`{tenantid}` as Entra's multi-tenant metadata is) on 127.0.0.1 with a throw-away CA, because
msal only accepts https authorities. The authorize endpoint signs in whoever `next_user` names
and redirects straight back (no login page); codes are single-use and bound to the client,
redirect URI and PKCE challenge. `id_token_overrides` and `sign_with_rogue_key` let a test
receive a wrong-audience or badly signed ID token, as a hostile or broken provider would send.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from devtools.devhost.local_ca import ensure_local_tls

KID = "loopback-key-1"


@dataclass
class Grant:
    realm: str
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str
    user: dict[str, Any]


@dataclass
class OidcProvider:
    """Start with `start()`, point settings at `issuer("google")` / `authority("ms")` and `ca_bundle`."""

    state_dir: Path
    clients: dict[str, str] = field(default_factory=dict)
    next_user: dict[str, Any] = field(default_factory=dict)
    id_token_overrides: dict[str, Any] = field(default_factory=dict)
    sign_with_rogue_key: bool = False
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    grants: dict[str, Grant] = field(default_factory=dict)
    used_codes: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._rogue_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        tls = ensure_local_tls(self.state_dir, common_name="studyaid test CA")
        self.ca_bundle, cert_path, key_path = str(tls.ca), str(tls.cert), str(tls.key)
        self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._tls.load_cert_chain(cert_path, key_path)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.socket = self._tls.wrap_socket(self._server.socket, server_side=True)
        self.base_url = f"https://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-provider", daemon=True)

    def start(self) -> OidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def issuer(self, realm: str) -> str:
        return f"{self.base_url}/{realm}" if realm == "google" else f"{self.base_url}/{{tenantid}}/v2.0"

    def authority(self, realm: str) -> str:
        return f"{self.base_url}/{realm}"

    # -- protocol -----------------------------------------------------------------------------

    def discovery(self, realm: str) -> dict[str, Any]:
        base = self.authority(realm)
        return {
            "issuer": self.issuer(realm),
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{self.base_url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}

    def authorize(self, realm: str, query: dict[str, str]) -> tuple[int, str]:
        """(status, Location or error): redirects back with a code for `next_user`."""
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") not in self.clients or not redirect_uri:
            return 400, "unknown client or no redirect_uri"
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return 400, "only the code flow with PKCE S256 is supported"
        code = secrets.token_urlsafe(24)
        self.grants[code] = Grant(
            realm=realm, client_id=query["client_id"], redirect_uri=redirect_uri,
            code_challenge=query.get("code_challenge", ""), nonce=query.get("nonce", ""), user=dict(self.next_user),
        )  # fmt: skip
        return 302, f"{redirect_uri}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def token(self, realm: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        code = form.get("code", "")
        grant = self.grants.get(code)
        if grant is None or code in self.used_codes or grant.realm != realm:
            return 400, {"error": "invalid_grant", "error_description": "unknown or already used code"}
        self.used_codes.add(code)
        if self.clients.get(form.get("client_id", "")) != form.get("client_secret") or (
            form.get("client_id") != grant.client_id
        ):
            return 401, {"error": "invalid_client"}
        if form.get("redirect_uri") != grant.redirect_uri or _s256(form.get("code_verifier", "")) != (
            grant.code_challenge
        ):
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri or PKCE verifier mismatch"}
        return 200, self._token_response(grant)

    def _token_response(self, grant: Grant) -> dict[str, Any]:
        now = datetime.now(UTC)
        claims: dict[str, Any] = {
            "aud": grant.client_id, "iat": int(now.timestamp()), "exp": int((now + timedelta(hours=1)).timestamp()),
            "nonce": grant.nonce, **grant.user,
        }  # fmt: skip
        claims["iss"] = self.issuer(grant.realm).replace("{tenantid}", str(grant.user.get("tid", "")))
        claims.update(self.id_token_overrides)
        key = self._rogue_key if self.sign_with_rogue_key else self._key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})
        body = {"token_type": "Bearer", "expires_in": 3600, "access_token": secrets.token_urlsafe(24)}
        body["id_token"] = id_token
        body["scope"] = "openid profile email"
        if grant.realm == "ms":
            info = {"uid": grant.user.get("oid", ""), "utid": grant.user.get("tid", "")}
            body["client_info"] = base64.urlsafe_b64encode(json.dumps(info).encode()).decode().rstrip("=")
        return body


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _handler_for(provider: OidcProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            provider.requests.append(("GET", url.path, query))
            realm, _, rest = url.path.strip("/").partition("/")
            if url.path == "/jwks":
                self._json(200, provider.jwks())
            elif realm in ("google", "ms") and rest == ".well-known/openid-configuration":
                self._json(200, provider.discovery(realm))
            elif realm in ("google", "ms") and rest == "authorize":
                status, where = provider.authorize(realm, query)
                if status == 302:
                    self.send_response(302)
                    self.send_header("Location", where)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._json(status, {"error": "invalid_request", "error_description": where})
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            provider.requests.append(("POST", url.path, {k: v for k, v in form.items() if k != "client_secret"}))
            realm, _, rest = url.path.strip("/").partition("/")
            if realm in ("google", "ms") and rest == "token":
                self._json(*provider.token(realm, form))
            else:
                self._json(404, {"error": "not_found"})

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - silence the access log
            return

    return Handler
