"""Chooses the speech provider from settings (never by detecting tests)."""

from __future__ import annotations

from shared.media.settings import MediaSettings
from shared.media.tts import TextToSpeech
from shared.media.tts_espeak import EspeakTts


def make_tts(settings: MediaSettings) -> TextToSpeech:
    if settings.tts_provider == "azure":
        return _azure(settings)
    return EspeakTts(
        voice=settings.espeak_voice,
        words_per_minute=settings.espeak_words_per_minute,
        timeout_s=settings.tts_timeout_seconds,
    )


def _azure(settings: MediaSettings) -> TextToSpeech:
    from shared.media.tts_azure import AzureSpeechTts, entra_token_source

    key = settings.azure_speech_key
    resource_id = settings.azure_speech_resource_id
    return AzureSpeechTts(
        voice=settings.tts_voice,
        language=settings.tts_language,
        key=key.get_secret_value() if key is not None else None,
        region=settings.azure_speech_region,
        endpoint=settings.azure_speech_endpoint,
        entra_token=entra_token_source(resource_id) if key is None and resource_id else None,
        timeout_s=settings.tts_timeout_seconds,
    )
