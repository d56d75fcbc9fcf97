"""Settings of the media context: which text-to-speech provider speaks, and the video's shape."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TtsProvider = Literal["espeak", "azure"]


class MediaSettings(BaseSettings):
    """`TTS_PROVIDER=espeak` (the local default) or `azure` (Azure AI Speech through its SDK)."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    tts_provider: TtsProvider = Field(default="espeak", alias="TTS_PROVIDER")
    azure_speech_key: SecretStr | None = Field(default=None, alias="AZURE_SPEECH_KEY")
    azure_speech_region: str | None = Field(default=None, alias="AZURE_SPEECH_REGION")
    #: A full endpoint (`wss://...` or a Speech container's `ws://host:port/...`); overrides region.
    azure_speech_endpoint: str | None = Field(default=None, alias="AZURE_SPEECH_ENDPOINT")
    #: For Entra ID sign-in (no key): the Speech resource's ARM id, used with the managed identity.
    azure_speech_resource_id: str | None = Field(default=None, alias="AZURE_SPEECH_RESOURCE_ID")
    tts_voice: str = Field(default="en-US-JennyNeural", alias="TTS_VOICE")
    tts_language: str = Field(default="en-US", alias="TTS_LANGUAGE")
    tts_timeout_seconds: float = Field(default=60.0, alias="TTS_TIMEOUT_SECONDS", gt=0)
    espeak_voice: str = Field(default="en-us", alias="ESPEAK_VOICE")
    espeak_words_per_minute: int = Field(default=165, alias="ESPEAK_WPM", ge=80, le=450)
    video_width: int = Field(default=1280, alias="VIDEO_WIDTH", ge=160, le=3840)
    video_height: int = Field(default=720, alias="VIDEO_HEIGHT", ge=90, le=2160)
    video_fps: int = Field(default=10, alias="VIDEO_FPS", ge=1, le=60)
    video_crf: int = Field(default=28, alias="VIDEO_CRF", ge=0, le=51)
    video_preset: str = Field(default="veryfast", alias="VIDEO_PRESET")
    audio_bitrate: str = Field(default="96k", alias="AUDIO_BITRATE")
    #: The ffmpeg executable: a name looked up on PATH, or a full path.
    ffmpeg_path: str = Field(default="ffmpeg", alias="FFMPEG_PATH", min_length=1)
    ffmpeg_timeout_seconds: float = Field(default=600.0, alias="FFMPEG_TIMEOUT_SECONDS", gt=0)
    media_max_slides: int = Field(default=60, alias="MEDIA_MAX_SLIDES", ge=1)
    media_start_per_minute: int = Field(default=6, alias="MEDIA_START_PER_MINUTE", ge=1)

    @model_validator(mode="after")
    def _azure_needs_a_way_in(self) -> MediaSettings:
        if self.tts_provider != "azure":
            return self
        if not (self.azure_speech_endpoint or self.azure_speech_region):
            raise ValueError("TTS_PROVIDER=azure needs AZURE_SPEECH_REGION or AZURE_SPEECH_ENDPOINT")
        if self.azure_speech_key is None and not self.azure_speech_resource_id:
            raise ValueError("TTS_PROVIDER=azure needs AZURE_SPEECH_KEY or AZURE_SPEECH_RESOURCE_ID (Entra ID)")
        return self
