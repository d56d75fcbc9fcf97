"""Settings of the auth context: session lifetimes, the mobile JWT, sign-in providers, abuse limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MicrosoftAuthorityType = Literal["entra", "oidc"]


class AuthSettings(BaseSettings):
    """Defaults follow ASVS L2: 30 min idle, 12 h absolute, JWT at most 15 min."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    session_idle_minutes: int = Field(default=30, alias="SESSION_IDLE_MINUTES", ge=1, le=24 * 60)
    session_absolute_hours: int = Field(default=12, alias="SESSION_ABSOLUTE_HOURS", ge=1, le=24 * 30)
    # None: Secure everywhere except local dev and tests (plain http on loopback).
    session_cookie_secure: bool | None = Field(default=None, alias="SESSION_COOKIE_SECURE")
    jwt_secret: SecretStr | None = Field(default=None, alias="JWT_SECRET")
    jwt_ttl_seconds: int = Field(default=900, alias="JWT_TTL_SECONDS", ge=60, le=900)

    google_client_id: str | None = Field(default=None, alias="GOOGLE_CLIENT_ID")
    google_client_secret: SecretStr | None = Field(default=None, alias="GOOGLE_CLIENT_SECRET")
    google_issuer: str = Field(default="https://accounts.google.com", alias="GOOGLE_ISSUER")
    microsoft_client_id: str | None = Field(default=None, alias="MICROSOFT_CLIENT_ID")
    microsoft_client_secret: SecretStr | None = Field(default=None, alias="MICROSOFT_CLIENT_SECRET")
    microsoft_authority: str = Field(
        default="https://login.microsoftonline.com/organizations", alias="MICROSOFT_AUTHORITY"
    )
    # "entra": a Microsoft Entra authority; "oidc": any OIDC issuer URL (msal's oidc_authority).
    microsoft_authority_type: MicrosoftAuthorityType = Field(default="entra", alias="MICROSOFT_AUTHORITY_TYPE")
    # Where the providers send the browser back; None means PUBLIC_BASE_URL.
    oauth_redirect_base: str | None = Field(default=None, alias="OAUTH_REDIRECT_BASE")
    # Where the browser lands after sign-in: a path on APP_URL, or an absolute URL.
    oauth_success_redirect: str = Field(default="/", alias="OAUTH_SUCCESS_REDIRECT")
    oauth_flow_ttl_seconds: int = Field(default=600, alias="OAUTH_FLOW_TTL_SECONDS", ge=60, le=3600)
    # Extra CA bundle trusted for the identity providers (a private or loopback provider).
    oidc_ca_bundle: str | None = Field(default=None, alias="OIDC_CA_BUNDLE")
    oidc_http_timeout_seconds: float = Field(default=10.0, alias="OIDC_HTTP_TIMEOUT_SECONDS", gt=0)

    argon2_concurrency: int = Field(default=2, alias="ARGON2_CONCURRENCY", ge=1, le=64)
    argon2_queue_timeout_seconds: float = Field(default=5.0, alias="ARGON2_QUEUE_TIMEOUT_SECONDS", gt=0)
    # Failed sign-ins from one address to one account before that pair waits; the wait starts at
    # LOGIN_LOCKOUT_SECONDS and doubles with every further failure up to LOGIN_LOCKOUT_MAX_SECONDS.
    login_max_failures: int = Field(default=5, alias="LOGIN_MAX_FAILURES", ge=1)
    login_lockout_seconds: int = Field(default=60, alias="LOGIN_LOCKOUT_SECONDS", ge=1)
    login_lockout_max_seconds: int = Field(default=3600, alias="LOGIN_LOCKOUT_MAX_SECONDS", ge=1)
    # Failed sign-ins from one address (any accounts), and to one account from addresses that never
    # signed in to it, before those wait as well (spraying and distributed guessing).
    login_address_max_failures: int = Field(default=50, alias="LOGIN_ADDRESS_MAX_FAILURES", ge=1)
    login_account_max_failures: int = Field(default=20, alias="LOGIN_ACCOUNT_MAX_FAILURES", ge=1)
    auth_ip_limit_per_minute: int = Field(default=30, alias="AUTH_IP_LIMIT_PER_MINUTE", ge=1)
    email_verify_hours: int = Field(default=24, alias="EMAIL_VERIFY_HOURS", ge=1, le=24 * 7)
    password_reset_minutes: int = Field(default=30, alias="PASSWORD_RESET_MINUTES", ge=5, le=120)
    # Verification and reset emails per requester (user or address) and per recipient, an hour.
    account_mail_per_hour: int = Field(default=3, alias="ACCOUNT_MAIL_PER_HOUR", ge=1)
    # Proxies in front of the app that append to X-Forwarded-For (1: Azure's front end alone).
    trusted_proxy_count: int = Field(default=1, alias="TRUSTED_PROXY_COUNT", ge=0, le=10)

    @field_validator("jwt_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("JWT_SECRET must be at least 32 characters (256 bits of a random string)")
        return value

    def cookie_secure_for(self, *, is_local: bool) -> bool:
        return (not is_local) if self.session_cookie_secure is None else self.session_cookie_secure
