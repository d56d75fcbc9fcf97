"""The app's one settings class: the platform's fields plus each context's mixin."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource

from shared.ai.settings import AiSettings
from shared.auth.settings import AuthSettings
from shared.canvas.settings import CanvasSettings
from shared.documents.settings import DocumentsSettings
from shared.logs.settings import LogsSettings
from shared.media.settings import MediaSettings
from shared.notify.settings import NotifySettings
from shared.platform.keyvault import resolve_key_vault_references
from shared.platform.retention import RetentionSettings
from shared.platform.settings import PlatformSettings
from shared.quota.settings import QuotaSettings
from shared.study.settings import StudyLimits

# Set by the platform on Azure Functions / App Service and Container Apps, never on a laptop.
AZURE_HOST_MARKERS = ("WEBSITE_INSTANCE_ID", "CONTAINER_APP_NAME")


class Settings(
    PlatformSettings,
    AuthSettings,
    AiSettings,
    NotifySettings,
    LogsSettings,
    MediaSettings,
    CanvasSettings,
    DocumentsSettings,
    RetentionSettings,
    StudyLimits,
    QuotaSettings,
):
    """All configuration. Build it once, in the composition root, with `load_settings()`."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only what `load_settings` hands over: one explicit path from the environment to settings.
        del settings_cls, env_settings, dotenv_settings, file_secret_settings
        return (init_settings,)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `environ` (default: the process environment), resolving Key Vault names.

    Values are decoded as environment variables are (JSON for lists, case-insensitive names),
    and only from `environ`: the process environment does not leak into an explicit mapping.
    """
    source = dict(os.environ if environ is None else environ)
    if not any(key.upper() == "APP_ENV" for key in source) and any(key in source for key in AZURE_HOST_MARKERS):
        source["APP_ENV"] = "production"  # fail closed: a forgotten APP_ENV on Azure is not local dev
    resolved = resolve_key_vault_references(source)
    return Settings.model_validate(_MappingSource(Settings, resolved)())


class _MappingSource(EnvSettingsSource):
    def __init__(self, settings_cls: type[BaseSettings], mapping: Mapping[str, str]) -> None:
        self._mapping = mapping
        super().__init__(settings_cls, case_sensitive=False)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {key.lower(): value for key, value in self._mapping.items()}
