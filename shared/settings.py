"""The app's one settings class: the platform's fields plus each context's mixin."""

from __future__ import annotations

import os
from collections.abc import Mapping

from shared.ai.settings import AiSettings
from shared.auth.settings import AuthSettings
from shared.canvas.settings import CanvasSettings
from shared.documents.settings import DocumentsSettings
from shared.logs.settings import LogsSettings
from shared.media.settings import MediaSettings
from shared.notify.settings import NotifySettings
from shared.platform.keyvault import resolve_key_vault_references
from shared.platform.settings import PlatformSettings


class Settings(
    PlatformSettings,
    AuthSettings,
    AiSettings,
    NotifySettings,
    LogsSettings,
    MediaSettings,
    CanvasSettings,
    DocumentsSettings,
):
    """All configuration. Build it once, in the composition root, with `load_settings()`."""


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `environ` (default: the process environment), resolving Key Vault names."""
    source = dict(os.environ if environ is None else environ)
    resolved = resolve_key_vault_references(source)
    return Settings.model_validate(resolved)
