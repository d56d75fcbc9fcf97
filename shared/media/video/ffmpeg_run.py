"""Runs an ffmpeg-python graph as a subprocess with a time limit, surfacing ffmpeg's own message."""

from __future__ import annotations

import subprocess
from typing import Any

import ffmpeg

MAX_MESSAGE_CHARS = 2000


class FfmpegFailed(RuntimeError):
    """ffmpeg exited with an error; the message is the tail of what ffmpeg wrote to stderr."""


def run(stream: Any, *, timeout_s: float, executable: str = "ffmpeg") -> None:
    quiet = stream.global_args("-hide_banner", "-nostdin", "-loglevel", "error")
    args = ffmpeg.compile(quiet, cmd=executable, overwrite_output=True)
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout_s, check=False)
    except FileNotFoundError as exc:
        raise FfmpegFailed(f"ffmpeg is not installed at {executable} (scripts/bootstrap.sh installs it)") from exc
    except subprocess.TimeoutExpired as exc:
        raise FfmpegFailed(f"ffmpeg took longer than {timeout_s:.0f} s and was stopped") from exc
    if done.returncode != 0:
        raise FfmpegFailed(_message(done.stderr, done.returncode))


def _message(stderr: bytes, returncode: int) -> str:
    text = stderr.decode(errors="replace").strip()
    if not text:
        return f"ffmpeg failed with exit status {returncode} and no message"
    return text[-MAX_MESSAGE_CHARS:]
