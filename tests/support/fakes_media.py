"""Fakes for the media use cases: a speaking TTS, stage records in memory, a scripted narrator."""

from __future__ import annotations

import uuid
import wave
from collections.abc import Callable
from pathlib import Path

from azure.core.credentials import AccessToken

from shared.media.adapters import Speech, TextToSpeech
from shared.media.contracts import MediaRequest
from shared.media.narrate import Duplicate, Narrated
from shared.media.store import NewAsset
from shared.media.video.produce import Timings, spoken_text
from shared.platform.stages import Status

RATE = 16_000


class FakeTts:
    """Writes silent WAV files as long as the text takes at `ms_per_word`; records what it spoke."""

    name = "fake"

    def __init__(self, *, ms_per_word: int = 400) -> None:
        self.ms_per_word = ms_per_word
        self.spoken: list[str] = []

    def synthesize(self, *, text: str, out_path: Path) -> Speech:
        self.spoken.append(text)
        duration_ms = self.ms_per_word * max(1, len(text.split()))
        with wave.open(str(out_path), "wb") as audio:
            audio.setnchannels(1)
            audio.setsampwidth(2)
            audio.setframerate(RATE)
            audio.writeframes(b"\0\0" * (RATE * duration_ms // 1000))
        return Speech(path=out_path, duration_ms=duration_ms)


class MemoryMediaRecords:
    """`MediaRecords` in dicts: who owns which document, processed keys, the media stage's history."""

    def __init__(self) -> None:
        self.owners: dict[uuid.UUID, uuid.UUID] = {}
        self.processed_keys: set[str] = set()
        self.stages: dict[uuid.UUID, list[tuple[Status, str | None]]] = {}
        self.reasons: list[str] = []

    def owner(self, *, doc_id: uuid.UUID) -> uuid.UUID | None:
        return self.owners.get(doc_id)

    def processed(self, *, dedupe_key: str) -> bool:
        return dedupe_key in self.processed_keys

    def media_status(self, *, doc_id: uuid.UUID) -> Status | None:
        history = self.stages.get(doc_id)
        return history[-1][0] if history else None

    def set_media_stage(
        self, *, doc_id: uuid.UUID, status: Status, error_code: str | None = None, error_message: str | None = None
    ) -> None:
        self.stages.setdefault(doc_id, []).append((status, error_code))
        if error_message is not None:
            self.reasons.append(error_message)


class ScriptedNarrator:
    """Speaks every slide with the given TTS into `workdir` and reports three assets, or does what
    `outcome` says instead (raise, or report the work already committed)."""

    def __init__(self, workdir: Path, outcome: Callable[[], Duplicate | None] | None = None) -> None:
        self.workdir = workdir
        self.outcome = outcome
        self.runs: list[MediaRequest] = []

    def __call__(self, *, request: MediaRequest, tts: TextToSpeech) -> Narrated | Duplicate:
        self.runs.append(request)
        if self.outcome is not None and (done := self.outcome()) is not None:
            return done
        speeches = [
            tts.synthesize(text=spoken_text(slide), out_path=self.workdir / f"n{i}.wav")
            for i, slide in enumerate(request.slides)
        ]
        duration_ms = sum(speech.duration_ms for speech in speeches)
        assets = [_asset(request, kind, ext, duration_ms) for kind, ext in (("video", "mp4"), ("audio", "m4a"))]
        return Narrated(assets=assets, duration_ms=duration_ms, timings=Timings())


def _asset(request: MediaRequest, kind: str, ext: str, duration_ms: int) -> NewAsset:
    asset_id = uuid.uuid4()
    return NewAsset(
        id=asset_id,
        kind=kind,
        blob_url=f"media/{request.user_id}/{request.doc_id}/{asset_id}.{ext}",
        thumbnail_url=None,
        duration_ms=duration_ms,
        content_type="video/mp4" if ext == "mp4" else "audio/mp4",
        size_bytes=1,
    )


class FixedCredential:
    """An Entra ID credential that hands out one fixed token and records the scopes asked for."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.scopes: list[str] = []

    def get_token(self, *scopes: str, **_options: object) -> AccessToken:
        self.scopes.extend(scopes)
        return AccessToken(self.token, 4_102_444_800)
