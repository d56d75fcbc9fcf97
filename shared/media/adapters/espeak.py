"""The local speech provider: espeak-ng, run as a subprocess (text on stdin, never on the command line)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from shared.media.adapters import Speech, TtsFailed, wav_duration_ms

ESPEAK = "espeak-ng"


class EspeakTts:
    name = "espeak"

    def __init__(self, *, voice: str = "en-us", words_per_minute: int = 165, timeout_s: float = 60.0) -> None:
        self.voice = voice
        self.words_per_minute = words_per_minute
        self.timeout_s = timeout_s

    def synthesize(self, *, text: str, out_path: Path) -> Speech:
        command = [ESPEAK, "-v", self.voice, "-s", str(self.words_per_minute), "-w", str(out_path), "--stdin"]
        try:
            done = subprocess.run(
                command, input=text.encode(), capture_output=True, timeout=self.timeout_s, check=False
            )
        except FileNotFoundError as exc:
            raise TtsFailed("espeak-ng is not installed (scripts/bootstrap.sh installs it)", transient=False) from exc
        except subprocess.TimeoutExpired as exc:
            raise TtsFailed(f"espeak-ng took longer than {self.timeout_s:.0f} s", transient=True) from exc
        if done.returncode != 0 or not out_path.exists():
            error = done.stderr.decode(errors="replace").strip() or f"exit status {done.returncode}"
            raise TtsFailed(f"espeak-ng failed: {error}", transient=False)
        return Speech(path=out_path, duration_ms=wav_duration_ms(out_path))
