"""Configuration probes: production refuses unverified database TLS and credentialed wildcard CORS,
and an Azure host that forgets APP_ENV runs as production rather than as local development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.settings import load_settings

DB = "postgresql://app:s3cret-value@db.example.net/app"
#: Production with what every production deployment has (the app's https address), and nothing else.
PRODUCTION = {"APP_ENV": "production", "APP_URL": "https://app.example.edu"}


def test_production_refuses_postgres_without_certificate_verification() -> None:
    for url in (DB, f"{DB}?sslmode=require", f"{DB}?sslmode=verify-ca"):
        with pytest.raises(ValidationError, match="verify-full"):
            load_settings({**PRODUCTION, "POSTGRES_URL": url})


def test_production_accepts_verify_full() -> None:
    settings = load_settings({**PRODUCTION, "POSTGRES_URL": f"{DB}?sslmode=verify-full"})
    assert settings.postgres_url is not None


def test_production_accepts_a_loopback_postgres_without_tls() -> None:
    """No network lies between a process and its machine's loopback (the production-like local mode)."""
    for host in ("127.0.0.1", "localhost", "[::1]"):
        url = f"postgresql://app:s3cret-value@{host}:5432/app"
        assert load_settings({**PRODUCTION, "POSTGRES_URL": url}).postgres_url is not None
    with pytest.raises(ValidationError, match="verify-full"):  # a look-alike name is not loopback
        load_settings({**PRODUCTION, "POSTGRES_URL": f"{DB.replace('db.example.net', '127.0.0.1.example.net')}"})


def test_local_development_keeps_plain_postgres() -> None:
    assert load_settings({"APP_ENV": "local", "POSTGRES_URL": DB}).postgres_url is not None


@pytest.mark.parametrize("origin", ["*", "null", "http://app.example.edu", "https://*.example.edu"])
def test_production_refuses_open_or_plain_cors_origins(origin: str) -> None:
    with pytest.raises(ValidationError, match="CORS_ORIGINS"):
        load_settings({**PRODUCTION, "CORS_ORIGINS": f'["{origin}"]'})


def test_production_accepts_https_origins() -> None:
    settings = load_settings({**PRODUCTION, "CORS_ORIGINS": '["https://app.example.edu"]'})
    assert settings.cors_origins == ["https://app.example.edu"]


def test_an_azure_host_without_app_env_runs_as_production() -> None:
    settings = load_settings({"WEBSITE_INSTANCE_ID": "abc123", "APP_URL": "https://app.example.edu"})
    assert settings.environment == "production"
    assert not settings.is_local


def test_a_developer_machine_without_app_env_stays_local() -> None:
    assert load_settings({}).environment == "local"
