"""The Azure AI Speech adapter, through the real SDK, against a loopback stand-in of the service."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from shared.container import Container
from shared.media.adapters import TtsFailed
from shared.media.adapters.azure import AzureSpeechTts
from shared.settings import Settings
from tests.support.speech_stub import running_speech_stub


def test_synthesis_returns_the_services_audio_and_its_duration(tmp_path: Path) -> None:
    text = 'Bonds & "angles" < 90°; H2O -> bent'
    with running_speech_stub(key="k1") as stub:
        tts = AzureSpeechTts(voice="en-GB-SoniaNeural", language="en-GB", key="k1", endpoint=stub.endpoint)
        speech = tts.synthesize(text=text, out_path=tmp_path / "n.wav")
    assert speech.duration_ms == stub.expected_ms(text)
    assert speech.path.read_bytes()[:4] == b"RIFF"
    assert stub.keys_seen == ["k1"]
    (ssml,) = stub.ssml
    assert "en-GB-SoniaNeural" in ssml
    assert "&amp;" in ssml and "&lt;" in ssml  # escaped, and the stub parsed it as XML


def test_a_wrong_key_fails_permanently(tmp_path: Path) -> None:
    with running_speech_stub(key="right") as stub:
        tts = AzureSpeechTts(voice="en-US-JennyNeural", language="en-US", key="wrong", endpoint=stub.endpoint)
        with pytest.raises(TtsFailed) as failure:
            tts.synthesize(text="hello", out_path=tmp_path / "n.wav")
    assert not failure.value.transient
    assert "AuthenticationFailure" in str(failure.value) or "401" in str(failure.value)
    assert stub.ssml == []


def test_a_stalled_service_fails_retryably_after_the_timeout(tmp_path: Path) -> None:
    with running_speech_stub(key="k") as stub:
        stub.stall = True
        tts = AzureSpeechTts(voice="en-US-JennyNeural", language="en-US", key="k", endpoint=stub.endpoint, timeout_s=1)
        started = time.monotonic()
        with pytest.raises(TtsFailed) as failure:
            tts.synthesize(text="hello", out_path=tmp_path / "n.wav")
    assert failure.value.transient
    assert time.monotonic() - started < 20


def test_entra_id_token_is_sent_as_a_bearer_token(tmp_path: Path) -> None:
    issued: list[str] = []

    def token() -> str:
        issued.append("aad#/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a#jwt")
        return issued[-1]

    with running_speech_stub(token=token()) as stub:
        tts = AzureSpeechTts(voice="en-US-JennyNeural", language="en-US", entra_token=token, endpoint=stub.endpoint)
        speech = tts.synthesize(text="Signed in with Entra ID.", out_path=tmp_path / "n.wav")
    assert speech.duration_ms == stub.expected_ms("Signed in with Entra ID.")
    assert stub.keys_seen == [f"Bearer {issued[-1]}"] and len(issued) == 2


def test_settings_choose_the_azure_adapter(tmp_path: Path) -> None:
    with running_speech_stub() as stub:
        settings = Settings.model_validate(
            {"TTS_PROVIDER": "azure", "AZURE_SPEECH_KEY": stub.key, "AZURE_SPEECH_ENDPOINT": stub.endpoint}
        )
        tts = Container(settings).tts
        speech = tts.synthesize(text="Settings pick the provider.", out_path=tmp_path / "n.wav")
    assert tts.name == "azure"
    assert speech.duration_ms == stub.expected_ms("Settings pick the provider.")


def test_azure_without_credentials_is_refused() -> None:
    with pytest.raises(ValueError, match="AZURE_SPEECH_KEY"):
        Settings.model_validate({"TTS_PROVIDER": "azure", "AZURE_SPEECH_REGION": "westeurope"})
