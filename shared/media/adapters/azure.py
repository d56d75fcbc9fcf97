"""Azure AI Speech through its SDK: key + region (or endpoint), or Entra ID with the Speech resource id."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import azure.cognitiveservices.speech as speechsdk
from azure.core.credentials import TokenCredential

from shared.media.adapters import Speech, TtsFailed, wav_duration_ms
from shared.media.adapters.ssml import narration_ssml

COGNITIVE_SCOPE = "https://cognitiveservices.azure.com/.default"
# Canceled for these reasons is the caller's fault (bad key, voice or SSML): retrying cannot help.
_PERMANENT_CODES = {"AuthenticationFailure", "BadRequest", "Forbidden"}

TokenSource = Callable[[], str]


class AzureSpeechTts:
    name = "azure"

    def __init__(
        self,
        *,
        voice: str,
        language: str,
        key: str | None = None,
        region: str | None = None,
        endpoint: str | None = None,
        entra_token: TokenSource | None = None,
        timeout_s: float = 60.0,
    ) -> None:
        if key is None and entra_token is None:
            raise ValueError("Azure Speech needs a key or an Entra ID token source")
        self.voice, self.language = voice, language
        self._key, self._region, self._endpoint = key, region, endpoint
        self._entra_token = entra_token
        self.timeout_s = timeout_s
        self._lock = threading.Lock()

    def synthesize(self, *, text: str, out_path: Path) -> Speech:
        ssml = narration_ssml(text=text, voice=self.voice, language=self.language)
        synthesizer = speechsdk.SpeechSynthesizer(speech_config=self._config(), audio_config=None)
        result = _wait(synthesizer, ssml, self.timeout_s)
        if result.reason == speechsdk.ResultReason.Canceled:
            raise _cancelled(result.cancellation_details)
        if result.reason != speechsdk.ResultReason.SynthesizingAudioCompleted or not result.audio_data:
            raise TtsFailed(f"Azure Speech returned no audio (reason {result.reason})", transient=True)
        out_path.write_bytes(result.audio_data)
        return Speech(path=out_path, duration_ms=wav_duration_ms(out_path))

    def _config(self) -> speechsdk.SpeechConfig:
        with self._lock:
            config = self._authenticated()
            config.speech_synthesis_language = self.language
            config.speech_synthesis_voice_name = self.voice
            config.set_speech_synthesis_output_format(speechsdk.SpeechSynthesisOutputFormat.Riff24Khz16BitMonoPcm)
            return config

    def _authenticated(self) -> speechsdk.SpeechConfig:
        """Key auth when a key is set, else a fresh Entra ID token (they last about ten minutes)."""
        if self._key is not None:
            if self._endpoint:
                return speechsdk.SpeechConfig(endpoint=self._endpoint, subscription=self._key)
            return speechsdk.SpeechConfig(subscription=self._key, region=self._region)
        token = self._entra_token() if self._entra_token else ""
        if self._endpoint:
            config = speechsdk.SpeechConfig(endpoint=self._endpoint)
            config.authorization_token = token
            return config
        return speechsdk.SpeechConfig(auth_token=token, region=self._region)


def _wait(synthesizer: speechsdk.SpeechSynthesizer, ssml: str, timeout_s: float) -> speechsdk.SpeechSynthesisResult:
    """The SDK's future has no timeout: wait on a daemon thread, so a stalled service cannot hold the worker."""
    box: list[speechsdk.SpeechSynthesisResult | RuntimeError] = []

    def speak() -> None:
        try:
            box.append(synthesizer.speak_ssml_async(ssml).get())
        except RuntimeError as exc:  # the SDK raises RuntimeError for connection set-up failures
            box.append(exc)

    thread = threading.Thread(target=speak, name="azure-speech", daemon=True)
    thread.start()
    thread.join(timeout_s)
    if not box:
        synthesizer.stop_speaking_async()
        raise TtsFailed(f"Azure Speech sent no complete audio within {timeout_s:.0f} s", transient=True)
    if isinstance(box[0], RuntimeError):
        raise TtsFailed(f"Azure Speech could not be reached: {box[0]}", transient=True) from box[0]
    return box[0]


def _cancelled(details: speechsdk.SpeechSynthesisCancellationDetails) -> TtsFailed:
    code = str(getattr(details.error_code, "name", details.error_code))
    message = f"Azure Speech cancelled the synthesis ({code}): {details.error_details}"
    return TtsFailed(message, transient=code not in _PERMANENT_CODES)


def entra_token_source(resource_id: str, credential: TokenCredential) -> TokenSource:
    """Tokens from the process's Entra ID credential (the managed identity, or a developer's
    sign-in), in the `aad#resource#token` form Speech wants; the credential caches them."""

    def token() -> str:
        return f"aad#{resource_id}#{credential.get_token(COGNITIVE_SCOPE).token}"

    return token
