"""WebVTT captions: each slide's narration in short cues spread over exactly that slide's time."""

from __future__ import annotations

import re

from shared.media.video.timeline import Segment

MAX_CUE_CHARS = 84
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def webvtt(segments: list[Segment]) -> str:
    lines = ["WEBVTT", ""]
    for number, (start, end, text) in enumerate(_cues(segments), start=1):
        lines += [str(number), f"{_stamp(start)} --> {_stamp(end)}", text, ""]
    return "\n".join(lines)


def _cues(segments: list[Segment]) -> list[tuple[int, int, str]]:
    cues: list[tuple[int, int, str]] = []
    for segment in segments:
        cues += _spread(segment, chunks(segment.narration) or ["…"])
    return cues


def _spread(segment: Segment, parts: list[str]) -> list[tuple[int, int, str]]:
    """Times in proportion to each part's length; the last cue ends exactly at the segment's end."""
    total = sum(len(part) for part in parts)
    cues, done, start = [], 0, segment.start_ms
    for part in parts:
        done += len(part)
        end = segment.start_ms + round(segment.duration_ms * done / total)
        cues.append((start, end, _escape(part)))
        start = end
    return cues


def chunks(text: str, limit: int = MAX_CUE_CHARS) -> list[str]:
    """Sentences, and long sentences cut at word boundaries, each at most `limit` characters."""
    parts: list[str] = []
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        current = ""
        for word in sentence.split(" "):
            if current and len(current) + 1 + len(word) > limit:
                parts.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        if current:
            parts.append(current)
    return parts


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _stamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
