"""The quality benchmark's section of `bench/RESULTS.md`: before and after side by side per document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.quality_corpus import CorpusDocument
from bench.quality_score import CANDIDATE_THRESHOLDS, Scores, Threshold
from shared.ai.language.grounding import SUPPORTED

TARGETS = "≥ 0.98 | ≤ 0.05 | ≥ 0.90 | ≥ 0.80 | ≤ 0.02 | 1.00 | | | < 100 (50 pages) |"


@dataclass(frozen=True)
class Timing:
    """Generation time of one document, ms: median and best wall clock, median CPU time."""

    wall: float
    best: float
    cpu: float


_HEADER = (
    "| document | generator | grounding | fragments | term quality | coverage | near-duplicates | overview "
    "| key points | cards | generation ms, wall median (best) | CPU ms |\n" + "|---" * 12 + "|"
)


def report(
    *,
    results: dict[str, dict[str, tuple[Scores, Timing]]],
    documents: Sequence[CorpusDocument],
    thresholds: dict[str, Threshold],
    before: str,
    after: str,
    when: str,
) -> str:
    lines = [f"## Study-aid quality, local generator: before and after ({when})", ""]
    lines += [f"Before: {before}. After: {after}. `.venv/bin/python -m bench.ai_quality --record`.", ""]
    lines += [_HEADER, f"| **target** | | {TARGETS} |"]
    for document in documents:
        for label, (scores, ms) in results[document.name].items():
            lines.append(_row(f"{document.name}: {document.what}", label, scores, ms))
    lines += ["", _threshold_table(thresholds), ""]
    return "\n".join(lines) + "\n"


def _row(name: str, label: str, s: Scores, ms: Timing) -> str:
    values = [s.grounding, s.fragments, s.term_quality, s.coverage, s.near_duplicates, s.overview]
    cells = " | ".join(f"{v:.2f}" for v in values)
    return f"| {name} | {label} | {cells} | {s.key_points} | {s.cards} | {ms.wall:.1f} ({ms.best:.1f}) | {ms.cpu:.1f} |"


def _threshold_table(thresholds: dict[str, Threshold]) -> str:
    head = " | ".join(f"≥ {t}" for t in CANDIDATE_THRESHOLDS)
    lines = [
        f"Grounding threshold (`shared.ai.language.grounding.SUPPORTED` = {SUPPORTED}): every statement of a document "
        "checked against the page half the document away, i.e. a plausible wrong citation. The share that "
        "would pass at each threshold (a sentence against its own page always scores 1.0):",
        "",
        f"| document | statements | median support on another page | {head} |",
        "|---|---|---|" + "---|" * len(CANDIDATE_THRESHOLDS),
    ]
    for name, t in thresholds.items():
        shares = " | ".join(f"{t.false_accepts[c]:.3f}" for c in CANDIDATE_THRESHOLDS)
        lines.append(f"| {name} | {t.sentences} | {t.other_median:.2f} | {shares} |")
    return "\n".join(lines)
