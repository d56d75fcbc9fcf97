"""Settings: decoding, placeholder refusal outside local dev, Key Vault references."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.platform.keyvault import resolve_key_vault_references
from shared.settings import load_settings


class RecordingVault:
    def __init__(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets
        self.read_names: list[str] = []

    def read(self, name: str) -> str:
        self.read_names.append(name)
        return self.secrets[name]


def test_values_are_decoded_like_environment_variables() -> None:
    settings = load_settings({"CORS_ORIGINS": '["https://app.example.edu"]', "STREAM_MAX_DELIVERIES": "7"})
    assert settings.cors_origins == ["https://app.example.edu"]
    assert settings.stream_max_deliveries == 7


def test_an_explicit_mapping_does_not_read_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://leaked:6379/0")
    assert load_settings({}).redis_url is None


def test_secrets_are_not_shown_in_repr() -> None:
    settings = load_settings({"POSTGRES_URL": "postgresql://app:hunter2@db/app"})
    assert "hunter2" not in repr(settings)
    assert settings.postgres_url is not None
    assert settings.postgres_url.get_secret_value().endswith("@db/app")


def test_placeholder_secrets_are_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        load_settings({"APP_ENV": "production", "POSTGRES_URL": "postgresql://u:changeme@db/app"})


def test_placeholder_secrets_are_accepted_for_local_development() -> None:
    settings = load_settings({"APP_ENV": "local", "POSTGRES_URL": "postgresql://u:changeme@db/app"})
    assert settings.is_local


def test_key_vault_references_are_resolved_through_the_reader() -> None:
    vault = RecordingVault({"neon-url": "postgresql://app@neon/app"})
    resolved = resolve_key_vault_references({"POSTGRES_URL": "@kv:neon-url", "LOG_LEVEL": "INFO"}, reader=vault)
    assert resolved == {"POSTGRES_URL": "postgresql://app@neon/app", "LOG_LEVEL": "INFO"}
    assert vault.read_names == ["neon-url"]


def test_a_key_vault_reference_without_a_vault_url_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="POSTGRES_URL refer to Key Vault but KEY_VAULT_URL is not set"):
        resolve_key_vault_references({"POSTGRES_URL": "@kv:neon-url"})


def test_app_url_must_be_https_in_production() -> None:
    with pytest.raises(ValidationError, match="APP_URL"):
        load_settings({"APP_ENV": "production", "APP_URL": "http://app.example.edu"})
    assert load_settings({"APP_ENV": "production", "APP_URL": "https://app.example.edu"}).app_url


def test_a_loopback_stub_canvas_is_allowed_in_production_only_when_the_api_is_on_loopback() -> None:
    stub = {
        "APP_ENV": "production", "APP_URL": "https://localhost:5173", "CANVAS_BASE_URL": "http://127.0.0.1:8900",
        "CANVAS_ALLOW_PRIVATE_HOSTS": "true",
    }  # fmt: skip
    with pytest.raises(ValidationError, match="CANVAS_ALLOW_PRIVATE_HOSTS"):
        load_settings({**stub, "PUBLIC_BASE_URL": "https://api.example.edu"})
    assert load_settings({**stub, "PUBLIC_BASE_URL": "https://localhost:7071"}).canvas_allow_private_hosts
