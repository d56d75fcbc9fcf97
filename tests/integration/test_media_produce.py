"""The media files themselves, made with the real espeak-ng and ffmpeg, checked with ffprobe."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from pathlib import Path

import pytest

from shared.media.adapters.espeak import EspeakTts
from shared.media.contracts import SlideScript
from shared.media.video.encode import VideoShape
from shared.media.video.ffmpeg_run import FfmpegFailed
from shared.media.video.produce import MediaFiles, Timings, produce

SHAPE = VideoShape(width=1280, height=720, fps=10, crf=30, preset="veryfast", audio_bitrate="64k", timeout_s=120)
_CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$")

pytestmark = pytest.mark.slow


def deck() -> list[SlideScript]:
    narrations = [
        "Enzymes are proteins that speed up chemical reactions in the cell.",
        "The active site binds the substrate. Its shape decides which substrates fit & which do not.",
        "Temperature and pH change how fast an enzyme works; past the optimum, the enzyme denatures.",
    ]
    titles = ["Enzymes", "The active site", "Conditions"]
    bullets = [["Catalysts"], ["Active site < substrate", "Induced fit", "Specificity"], ["Temperature", "pH"] * 3]
    return [
        SlideScript(index=i, title=titles[i - 1], bullets=bullets[i - 1], narration=text, source_page=i)
        for i, text in enumerate(narrations, start=1)
    ]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> MediaFiles:
    workdir = tmp_path_factory.mktemp("media")
    return produce(slides=deck(), tts=EspeakTts(), shape=SHAPE, workdir=workdir, timings=Timings())


def probe(path: Path) -> dict[str, object]:
    command = ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)]
    out = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    parsed: dict[str, object] = json.loads(out)
    return parsed


def test_mp4_has_one_h264_and_one_aac_stream_lasting_the_narration(made: MediaFiles) -> None:
    info = probe(made.video)
    streams = info["streams"]
    assert isinstance(streams, list)
    assert sorted((s["codec_type"], s["codec_name"]) for s in streams) == [("audio", "aac"), ("video", "h264")]
    video = next(s for s in streams if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (1280, 720)
    narrations = sum(segment.duration_ms for segment in made.segments) / 1000
    assert narrations == made.duration_ms / 1000
    fmt = info["format"]
    assert isinstance(fmt, dict)
    assert abs(float(fmt["duration"]) - narrations) <= 0.2
    for stream in streams:
        assert abs(float(stream["duration"]) - narrations) <= 0.2


def test_mp4_is_faststart(made: MediaFiles) -> None:
    head = made.video.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head


def test_each_slide_shows_for_exactly_its_narration(made: MediaFiles) -> None:
    """Scene cuts found by ffmpeg fall on the narration boundaries (within one frame)."""
    command = ["ffprobe", "-v", "error", "-f", "lavfi", "-show_entries", "frame=pts_time", "-of", "csv=p=0",
               f"movie={made.video},select='gt(scene\\,0.01)'"]  # fmt: skip
    out = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    cuts = [float(line.strip().strip(",")) for line in out.split() if line.strip()]
    boundaries = [segment.end_ms / 1000 for segment in made.segments[:-1]]
    assert len(cuts) == len(boundaries)
    for cut, boundary in zip(cuts, boundaries, strict=True):
        assert abs(cut - boundary) <= 1 / SHAPE.fps + 0.001


def test_audio_only_m4a_is_aac_of_the_same_length(made: MediaFiles) -> None:
    info = probe(made.audio)
    streams = info["streams"]
    assert isinstance(streams, list)
    assert [(s["codec_type"], s["codec_name"]) for s in streams] == [("audio", "aac")]
    assert abs(float(streams[0]["duration"]) - made.duration_ms / 1000) <= 0.2


def test_thumbnail_is_a_valid_jpeg(made: MediaFiles) -> None:
    data = made.thumbnail.read_bytes()
    assert data[:3] == b"\xff\xd8\xff" and data[-2:] == b"\xff\xd9"
    streams = probe(made.thumbnail)["streams"]
    assert isinstance(streams, list)
    assert (streams[0]["codec_name"], streams[0]["width"]) == ("mjpeg", 640)


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    lines = text.splitlines()
    assert lines[0] == "WEBVTT"
    cues = []
    for i, line in enumerate(lines):
        if match := _CUE.match(line):
            h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(g) for g in match.groups())
            start = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000
            end = h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
            cues.append((start, end, lines[i + 1]))
    return cues


def test_captions_parse_and_cover_the_video(made: MediaFiles) -> None:
    cues = parse_vtt(made.captions.read_text(encoding="utf-8"))
    assert cues[0][0] == 0
    assert cues[-1][1] == made.duration_ms / 1000
    for (_, end, _), (start, _, _) in itertools.pairwise(cues):
        assert start == end  # no gaps, no overlaps
    assert all(start < end and text for start, end, text in cues)
    assert "&amp;" in " ".join(text for _, _, text in cues)
    for segment in made.segments:  # a cue boundary at every slide change
        assert segment.end_ms / 1000 in {end for _, end, _ in cues}


def test_ffmpeg_failure_carries_ffmpegs_message(tmp_path: Path) -> None:
    bad = VideoShape(width=1280, height=720, fps=10, crf=30, preset="no-such-preset", audio_bitrate="64k",
                     timeout_s=60)  # fmt: skip
    with pytest.raises(FfmpegFailed, match=r"no-such-preset|preset"):
        produce(slides=deck()[:1], tts=EspeakTts(), shape=bad, workdir=tmp_path, timings=Timings())
