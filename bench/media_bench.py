"""Media benchmark: narrated media for a 10-slide deck with espeak-ng, split into TTS, rendering, encoding.

The deck comes from the first pages of a real lecture in the shared corpus (title = first line,
bullets = next lines, narration = about 60 words of the page), so narration lengths are realistic.
Side by side in one run: the default encoder preset and `ultrafast`. Reports the real-time factor
(narration length / production time; > 1 is faster than real time) and the sizes.

    .venv/bin/python -m bench.media_bench [--slides 10] [--repeats 3] [--record]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pymupdf

from shared.media.adapters.espeak import EspeakTts
from shared.media.contracts import SlideScript
from shared.media.service import video_shape
from shared.media.settings import MediaSettings
from shared.media.video.produce import Timings, produce

ROOT = Path(__file__).resolve().parents[1]
LECTURE = ROOT.parent / "shared" / "corpus" / "chalmers-ai-lecture3.pdf"
RESULTS = ROOT / "bench" / "RESULTS.md"
NARRATION_WORDS = 22


@dataclass(frozen=True)
class Run:
    label: str
    total_s: float
    tts_s: float
    render_s: float
    encode_s: float
    audio_s: float
    video_s: float
    narration_s: float
    video_bytes: int
    audio_bytes: int


def lecture_deck(count: int) -> list[SlideScript]:
    with pymupdf.open(str(LECTURE)) as pdf:  # type: ignore[no-untyped-call]  # PyMuPDF is mostly unannotated
        texts = [str(page.get_text()) for page in pdf]
    words_so_far: list[str] = []
    slides: list[SlideScript] = []
    for text in texts:
        lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 3]
        words_so_far = (words_so_far + " ".join(lines).split())[-400:]
        if len(lines) < 2:
            continue
        narration = " ".join(words_so_far[-NARRATION_WORDS:])
        slides.append(SlideScript(index=len(slides) + 1, title=lines[0][:80], bullets=[b[:90] for b in lines[1:6]],
                                  narration=narration))  # fmt: skip
        if len(slides) == count:
            return slides
    raise SystemExit(f"{LECTURE.name} has fewer than {count} usable pages")


def run_once(label: str, slides: list[SlideScript], settings: MediaSettings) -> Run:
    tts = EspeakTts(voice=settings.espeak_voice, words_per_minute=settings.espeak_words_per_minute)
    timings = Timings()
    with tempfile.TemporaryDirectory(prefix="media-bench-") as workdir:
        started = time.perf_counter()
        files = produce(slides=slides, tts=tts, shape=video_shape(settings), workdir=Path(workdir), timings=timings)
        total = time.perf_counter() - started
        return Run(label, total, timings.tts_s, timings.render_s, timings.encode_s, timings.audio_s, timings.video_s,
                   files.duration_ms / 1000, files.video.stat().st_size, files.audio.stat().st_size)  # fmt: skip


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.total_s)[len(runs) // 2]


def table(results: list[Run], repeats: int) -> str:
    base = results[0]
    rows = [
        "| configuration | narration s | total s | TTS s | render s | encode s (AAC / H.264) | real-time factor | "
        "MP4 MB | MP4 kbit/s | M4A MB | total vs default |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        rows.append(
            f"| {r.label} | {r.narration_s:.1f} | {r.total_s:.2f} | {r.tts_s:.2f} | {r.render_s:.2f} | "
            f"{r.encode_s:.2f} ({r.audio_s:.2f} / {r.video_s:.2f}) | {r.narration_s / r.total_s:.1f}x | "
            f"{r.video_bytes / 1e6:.2f} | {r.video_bytes * 8 / 1000 / r.narration_s:.0f} | {r.audio_bytes / 1e6:.2f} | "
            f"{r.total_s / base.total_s:.2f} |"
        )
    return "\n".join(rows) + f"\n\nMedian of {repeats} interleaved runs per configuration (by total time)."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    args = parser.parse_args()
    slides = lecture_deck(args.slides)
    default = MediaSettings.model_validate({})
    configs = [
        (f"default (preset {default.video_preset}, {default.video_fps} fps, CRF {default.video_crf})", default),
        ("preset ultrafast", default.model_copy(update={"video_preset": "ultrafast"})),
    ]
    runs: dict[str, list[Run]] = {label: [] for label, _ in configs}
    for _ in range(args.repeats):  # interleaved, so load from other work falls on both configurations alike
        for label, settings in configs:
            runs[label].append(run_once(label, slides, settings))
    results = [median_run(runs[label]) for label, _ in configs]
    report = _section(args, table(results, args.repeats), len(slides))
    print(report)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(report)


def _section(args: argparse.Namespace, body: str, count: int) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = f"`.venv/bin/python -m bench.media_bench --slides {args.slides} --repeats {args.repeats} --record`"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    machine = f"{os.cpu_count()} cores, CPython {platform.python_version()}, espeak-ng + ffmpeg (libx264, aac)"
    machine += f"; load average at the end {load}"
    return (
        f"\n## Media: narrated video for a {count}-slide deck ({now})\n\n"
        f"Command: {command} (from `make bench`). Machine: {machine}, shared with other work.\n"
        f"Deck: {count} slides from `{LECTURE.name}`, {NARRATION_WORDS} words of narration each, 1280x720.\n"
        "Real-time factor = narration length / production time (TTS + slide rendering + ffmpeg); target > 1.\n\n"
        f"{body}\n"
    )


if __name__ == "__main__":
    main()
