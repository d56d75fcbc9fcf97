"""Canvas settings: where the school's Canvas lives, the OAuth client and the token keys."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings

DEFAULT_SCOPES = (
    "url:GET|/api/v1/courses",
    "url:GET|/api/v1/courses/:course_id/assignments",
    "url:GET|/api/v1/courses/:course_id/modules",
    "url:GET|/api/v1/courses/:course_id/modules/:module_id/items",
    "url:GET|/api/v1/courses/:course_id/files",
    "url:GET|/api/v1/files/:id",
)


class CanvasSettings(BaseSettings):
    canvas_base_url: str | None = Field(default=None, alias="CANVAS_BASE_URL")
    canvas_client_id: str | None = Field(default=None, alias="CANVAS_CLIENT_ID")
    canvas_client_secret: SecretStr | None = Field(default=None, alias="CANVAS_CLIENT_SECRET")
    canvas_redirect_uri: str | None = Field(default=None, alias="CANVAS_REDIRECT_URI")
    canvas_scopes: list[str] = Field(default_factory=lambda: list(DEFAULT_SCOPES), alias="CANVAS_SCOPES")
    #: Origins (scheme://host[:port]) file downloads may be redirected to; `*.` allows subdomains.
    canvas_file_hosts: list[str] = Field(default_factory=list, alias="CANVAS_FILE_HOSTS")
    #: Only for a stub Canvas on loopback: lets the fetcher reach private and loopback addresses.
    canvas_allow_private_hosts: bool = Field(default=False, alias="CANVAS_ALLOW_PRIVATE_HOSTS")
    canvas_per_page: int = Field(default=50, alias="CANVAS_PER_PAGE", ge=1, le=100)
    canvas_max_file_bytes: int = Field(default=50 * 1024 * 1024, alias="CANVAS_MAX_FILE_BYTES", ge=1)
    canvas_max_retries: int = Field(default=5, alias="CANVAS_MAX_RETRIES", ge=0, le=10)
    canvas_backoff_base_s: float = Field(default=1.0, alias="CANVAS_BACKOFF_BASE_S", ge=0)
    canvas_connect_timeout_s: float = Field(default=5.0, alias="CANVAS_CONNECT_TIMEOUT_S", gt=0, le=5)
    #: New syncs a user may start per hour (returning the one already running does not count).
    canvas_syncs_per_hour: int = Field(default=20, alias="CANVAS_SYNCS_PER_HOUR", ge=1)
    #: Scheduled syncs: every connected student this often, and this often while work is due soon.
    canvas_sync_every_hours: float = Field(default=6.0, alias="CANVAS_SYNC_EVERY_HOURS", gt=0)
    canvas_sync_due_soon_every_hours: float = Field(default=1.0, alias="CANVAS_SYNC_DUE_SOON_EVERY_HOURS", gt=0)
    canvas_sync_due_soon_days: float = Field(default=3.0, alias="CANVAS_SYNC_DUE_SOON_DAYS", ge=0)
    #: At most this many scheduled syncs are queued per tick (every 10 minutes), to spread load.
    canvas_sync_per_tick: int = Field(default=500, alias="CANVAS_SYNC_PER_TICK", ge=1)
    canvas_read_timeout_s: float = Field(default=30.0, alias="CANVAS_READ_TIMEOUT_S", gt=0, le=30)
    #: `key_id:base64key,key_id:base64key` (32-byte AES keys) or a JSON object of the same.
    token_encryption_keys: SecretStr | None = Field(default=None, alias="TOKEN_ENCRYPTION_KEYS")
    token_encryption_active_key: str | None = Field(default=None, alias="TOKEN_ENCRYPTION_ACTIVE_KEY")

    @model_validator(mode="after")
    def _https_outside_local(self) -> CanvasSettings:
        environment = getattr(self, "environment", "local")
        # The production-like local mode (API on loopback) talks to the stub Canvas on loopback.
        if environment in ("local", "test") or _on_loopback(getattr(self, "public_base_url", "")):
            return self
        if self.canvas_allow_private_hosts:
            raise ValueError("CANVAS_ALLOW_PRIVATE_HOSTS is for a local stub Canvas only")
        for url in [self.canvas_base_url or "", *self.canvas_file_hosts]:
            if url and urlsplit(url.replace("*.", "", 1)).scheme != "https":
                raise ValueError(f"Canvas hosts must use https outside local dev: {url}")
        return self


def _on_loopback(url: str) -> bool:
    return urlsplit(url).hostname in ("localhost", "127.0.0.1", "::1")
