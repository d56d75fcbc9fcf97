"""Chooses the speech adapter from settings (never by detecting tests); the `Container` calls it once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from shared.media.adapters import TextToSpeech
from shared.media.adapters.espeak import EspeakTts
from shared.media.settings import MediaSettings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential


def build_tts(settings: MediaSettings, *, credential: Callable[[], TokenCredential]) -> TextToSpeech:
    """`credential` is asked for only when Azure Speech signs in with Entra ID (no key)."""
    if settings.tts_provider == "azure":
        return _azure(settings, credential)
    return EspeakTts(
        voice=settings.espeak_voice,
        words_per_minute=settings.espeak_words_per_minute,
        timeout_s=settings.tts_timeout_seconds,
    )


def _azure(settings: MediaSettings, credential: Callable[[], TokenCredential]) -> TextToSpeech:
    from shared.media.adapters.azure import AzureSpeechTts, entra_token_source

    key = settings.azure_speech_key
    resource_id = settings.azure_speech_resource_id
    entra = entra_token_source(resource_id, credential()) if key is None and resource_id else None
    return AzureSpeechTts(
        voice=settings.tts_voice,
        language=settings.tts_language,
        key=key.get_secret_value() if key is not None else None,
        region=settings.azure_speech_region,
        endpoint=settings.azure_speech_endpoint,
        entra_token=entra,
        timeout_s=settings.tts_timeout_seconds,
    )
