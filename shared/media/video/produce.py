"""Produces the media files of one slide deck in a working directory (no storage, no database)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shared.media.adapters import TextToSpeech
from shared.media.contracts import SlideScript
from shared.media.video.captions import webvtt
from shared.media.video.encode import VideoShape, encode_audio, encode_video, join_wavs, thumbnail
from shared.media.video.render import render_slide
from shared.media.video.timeline import Segment, frame_counts, timeline


@dataclass
class Timings:
    """Seconds spent per phase, for logs and the benchmark."""

    tts_s: float = 0.0
    render_s: float = 0.0
    encode_s: float = 0.0
    #: Parts of `encode_s`: the AAC narration track and the H.264 video.
    audio_s: float = 0.0
    video_s: float = 0.0


@dataclass(frozen=True)
class MediaFiles:
    video: Path
    audio: Path
    captions: Path
    thumbnail: Path
    duration_ms: int
    segments: list[Segment]


def spoken_text(slide: SlideScript) -> str:
    """What is read aloud: the narration, or the title and bullets when the script has none."""
    text = slide.narration.strip()
    return text or ". ".join([slide.title, *slide.bullets])


def produce(
    *, slides: list[SlideScript], tts: TextToSpeech, shape: VideoShape, workdir: Path, timings: Timings
) -> MediaFiles:
    texts = [spoken_text(slide) for slide in slides]
    with _timed(timings, "tts"):
        speeches = [tts.synthesize(text=text, out_path=workdir / f"n{i:03d}.wav") for i, text in enumerate(texts)]
    segments = timeline(texts, [speech.duration_ms for speech in speeches])
    with _timed(timings, "render"):
        images = [_render(slide, shape, workdir / f"s{i:03d}.png") for i, slide in enumerate(slides)]
    with _timed(timings, "encode"):
        wav = join_wavs([speech.path for speech in speeches], workdir / "narration.wav")
        with _timed(timings, "audio"):
            audio = encode_audio(wav, workdir / "narration.m4a", shape)
        with _timed(timings, "video"):
            video = encode_video(images, frame_counts(segments, shape.fps), audio, workdir / "video.mp4", shape)
        thumb = thumbnail(images[0], workdir / "thumb.jpg", shape)
    captions = workdir / "captions.vtt"
    captions.write_text(webvtt(segments), encoding="utf-8")
    return MediaFiles(video, audio, captions, thumb, segments[-1].end_ms, segments)


def _render(slide: SlideScript, shape: VideoShape, out_path: Path) -> Path:
    return render_slide(slide, width=shape.width, height=shape.height, out_path=out_path)


@contextmanager
def _timed(timings: Timings, phase: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - started
        setattr(timings, f"{phase}_s", getattr(timings, f"{phase}_s") + elapsed)
