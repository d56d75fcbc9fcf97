"""`studyaid dev --prod-like`: the local app with production's semantics, over TLS.

`APP_ENV=production` (Secure `__Host-` cookies, HSTS, no /docs, bearer tokens need JWT_SECRET),
the API and Azurite on HTTPS with a throw-away local CA, and the React app's dev origin at
https://localhost:5173 as the only CORS origin. Postgres, Redis and the workers stay embedded.
Secrets are random per state folder, so no placeholder value is ever used.
"""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

import certifi

from devtools.devhost.local_ca import LocalTls, ensure_local_tls

APP_ORIGIN = "https://localhost:5173"


def prod_like_environ(state_dir: Path, *, port: int) -> tuple[dict[str, str], LocalTls]:
    """Settings for production-like mode, and the TLS material the API and Azurite serve with."""
    tls = ensure_local_tls(state_dir / "tls")
    values = {
        "APP_ENV": "production",
        "PUBLIC_BASE_URL": f"https://localhost:{port}",
        "CORS_ORIGINS": json.dumps([APP_ORIGIN]),
        "APP_URL": f"{APP_ORIGIN}/",
        "AZURE_STORAGE_CONNECTION_STRING": "",  # Azurite must be ours, on HTTPS
        **_secrets(state_dir / "tls" / "secrets.json"),
    }
    return values, tls


def trusting_local_ca(tls: LocalTls, *, base_bundle: str | None) -> dict[str, str]:
    """REQUESTS_CA_BUNDLE for the Azure SDK (requests): the bundle it used, plus the local CA."""
    bundle = tls.ca.parent / "bundle.pem"
    bundle.write_bytes(Path(base_bundle or certifi.where()).read_bytes() + b"\n" + tls.ca.read_bytes())
    return {"REQUESTS_CA_BUNDLE": str(bundle)}


def _secrets(path: Path) -> dict[str, str]:
    if not path.exists():
        made = {
            "JWT_SECRET": secrets.token_urlsafe(48),
            "TOKEN_ENCRYPTION_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "TOKEN_ENCRYPTION_ACTIVE_KEY": "k1",
        }
        path.write_text(json.dumps(made))
        path.chmod(0o600)
    loaded: dict[str, str] = json.loads(path.read_text())
    return loaded
