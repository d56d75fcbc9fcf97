"""One settings class, read from the environment (and Key Vault where a vault URL is set).

Each context contributes its fields through a small mixin in its own `settings.py`; the
root class below inherits from all of them so the app still has exactly one settings object.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["local", "test", "production"]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
PLACEHOLDER_MARKERS = ("changeme", "change-me", "placeholder", "dev-only")


class PlatformSettings(BaseSettings):
    """What the platform layer reads: where Postgres, Redis and Blob storage live."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    environment: Environment = Field(default="local", alias="APP_ENV")
    service_name: str = Field(default="studyaid", alias="SERVICE_NAME")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    postgres_url: SecretStr | None = Field(default=None, alias="POSTGRES_URL")
    postgres_pool_max: int = Field(default=10, alias="POSTGRES_POOL_MAX", ge=1)
    redis_url: SecretStr | None = Field(default=None, alias="REDIS_URL")
    stream_prefix: str = Field(default="", alias="STREAM_PREFIX")
    azure_storage_connection_string: SecretStr | None = Field(default=None, alias="AZURE_STORAGE_CONNECTION_STRING")
    azure_storage_account_url: str | None = Field(default=None, alias="AZURE_STORAGE_ACCOUNT_URL")
    sas_ttl_seconds: int = Field(default=900, alias="SAS_TTL_SECONDS", ge=60, le=3600)
    key_vault_url: str | None = Field(default=None, alias="KEY_VAULT_URL")
    cors_origins: list[str] = Field(default_factory=list, alias="CORS_ORIGINS")
    stream_visibility_timeout_ms: int = Field(default=120_000, alias="STREAM_VISIBILITY_TIMEOUT_MS", ge=100)
    stream_max_deliveries: int = Field(default=5, alias="STREAM_MAX_DELIVERIES", ge=1)
    drain_budget_seconds: float = Field(default=50.0, alias="DRAIN_BUDGET_SECONDS", gt=0)
    drain_concurrency: int = Field(default=2, alias="DRAIN_CONCURRENCY", ge=1)
    #: Off: every stage stream is one plain FIFO again (publish appends, nothing is parked).
    fair_share: bool = Field(default=True, alias="FAIR_SHARE")
    #: Entries one user may hold in a stage stream at a time; the rest wait in the user's lane.
    fair_window: int = Field(default=2, alias="FAIR_WINDOW", ge=1, le=100)
    #: The same for bulk work (a Canvas backfill and the stages after it); at most FAIR_WINDOW.
    fair_bulk_window: int = Field(default=1, alias="FAIR_BULK_WINDOW", ge=1, le=100)
    public_base_url: str = Field(default="http://127.0.0.1:7071", alias="PUBLIC_BASE_URL")
    # The React app: browser-facing callbacks (Canvas connect, Google/Microsoft sign-in) end there.
    app_url: str = Field(default="http://localhost:5173", alias="APP_URL")
    # The interactive API docs (/docs) are served in local dev and tests; in production only when set.
    api_docs_enabled: bool | None = Field(default=None, alias="API_DOCS_ENABLED")

    @property
    def is_local(self) -> bool:
        return self.environment in ("local", "test")

    @property
    def serves_api_docs(self) -> bool:
        return self.is_local if self.api_docs_enabled is None else self.api_docs_enabled

    @model_validator(mode="after")
    def _refuse_placeholders_outside_local(self) -> PlatformSettings:
        if self.is_local:
            return self
        for name, value in self.secret_values().items():
            if any(marker in value.lower() for marker in PLACEHOLDER_MARKERS):
                raise ValueError(f"{name} holds a placeholder value; set a real secret in production")
        if not self.app_url.startswith("https://"):
            raise ValueError("APP_URL must be an https URL outside local dev (the browser is sent there)")
        return self

    @model_validator(mode="after")
    def _refuse_unverified_transport_outside_local(self) -> PlatformSettings:
        if self.is_local:
            return self
        if self.postgres_url is not None:
            url = urlsplit(self.postgres_url.get_secret_value())
            # A server on this machine's loopback is reached without a network to intercept (the
            # production-like local mode runs so); anything else must prove who it is.
            loopback = url.hostname in LOOPBACK_HOSTS
            if not loopback and parse_qs(url.query).get("sslmode") != ["verify-full"]:
                raise ValueError("POSTGRES_URL must use sslmode=verify-full outside local dev")
        for origin in self.cors_origins:
            # Starlette reflects any Origin for "*" with credentials; "null" is any sandboxed page.
            if not origin.startswith("https://") or "*" in origin:
                raise ValueError(f"CORS_ORIGINS must list exact https origins outside local dev: {origin!r}")
        return self

    def secret_values(self) -> dict[str, str]:
        """Every SecretStr field that is set, by name (for placeholder checks, never for logging)."""
        values: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                values[name] = value.get_secret_value()
        return values
