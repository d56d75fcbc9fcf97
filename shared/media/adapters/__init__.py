"""The text-to-speech port: narration text in, a WAV file and its duration out."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class TtsFailed(RuntimeError):
    """The speech provider could not synthesise the text; `transient` says whether a retry may help."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Speech:
    """One narration: a PCM WAV file and how long it plays."""

    path: Path
    duration_ms: int


class TextToSpeech(Protocol):
    name: str

    def synthesize(self, *, text: str, out_path: Path) -> Speech:
        """Write `text` spoken as a WAV file at `out_path`."""
        ...


def wav_duration_ms(path: Path) -> int:
    """The exact play time of a PCM WAV file, from its header and frame count."""
    try:
        with wave.open(str(path), "rb") as audio:
            return round(audio.getnframes() * 1000 / audio.getframerate())
    except (wave.Error, EOFError) as exc:
        raise TtsFailed(f"the speech audio at {path.name} is not a readable WAV file: {exc}", transient=False) from exc
