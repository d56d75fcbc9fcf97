"""The ffmpeg steps: narration track, M4A, the slide video (H.264 + AAC, +faststart), the thumbnail."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from shared.media.video.ffmpeg_run import FfmpegFailed, run


@dataclass(frozen=True)
class VideoShape:
    width: int
    height: int
    fps: int
    crf: int
    preset: str
    audio_bitrate: str
    timeout_s: float
    ffmpeg: str = "ffmpeg"


def join_wavs(paths: list[Path], out_path: Path) -> Path:
    """One PCM track, sample-exact, from narrations that share one format (one provider wrote them)."""
    with wave.open(str(paths[0]), "rb") as first:
        params = first.getparams()
    with wave.open(str(out_path), "wb") as out:
        out.setparams(params)
        for path in paths:
            with wave.open(str(path), "rb") as part:
                if part.getparams()[:3] != params[:3]:
                    raise FfmpegFailed(f"narration {path.name} has a different audio format than the first one")
                out.writeframes(part.readframes(part.getnframes()))
    return out_path


def encode_audio(wav: Path, out_path: Path, shape: VideoShape) -> Path:
    audio = ffmpeg.input(str(wav)).output(
        str(out_path), acodec="aac", audio_bitrate=shape.audio_bitrate, movflags="+faststart"
    )
    run(audio, timeout_s=shape.timeout_s, executable=shape.ffmpeg)
    return out_path


def encode_video(images: list[Path], frames: list[int], audio: Path, out_path: Path, shape: VideoShape) -> Path:
    """Each image held for its frame count; the AAC track of `audio` is copied, not re-encoded."""
    # Each slide is decoded, scaled and converted to YUV once, then cloned by tpad: doing that work for
    # every frame cost more than x264 itself.
    stills = [
        ffmpeg.input(str(image), framerate=shape.fps)
        .filter("scale", shape.width, shape.height)
        .filter("format", "yuv420p")
        .filter("tpad", stop=count - 1, stop_mode="clone")
        for image, count in zip(images, frames, strict=True)
    ]
    video = ffmpeg.concat(*stills, v=1, a=0) if len(stills) > 1 else stills[0]
    output = ffmpeg.output(
        video,
        ffmpeg.input(str(audio)).audio,
        str(out_path),
        vcodec="libx264",
        preset=shape.preset,
        tune="stillimage",
        crf=shape.crf,
        r=shape.fps,
        acodec="copy",
        movflags="+faststart",
    )
    run(output, timeout_s=shape.timeout_s, executable=shape.ffmpeg)
    return out_path


def thumbnail(image: Path, out_path: Path, shape: VideoShape) -> Path:
    width = min(640, shape.width)
    still = ffmpeg.input(str(image)).filter("scale", width, -2).output(str(out_path), vframes=1, **{"q:v": 3})
    run(still, timeout_s=shape.timeout_s, executable=shape.ffmpeg)
    return out_path
