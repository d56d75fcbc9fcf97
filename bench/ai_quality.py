"""Study-aid quality benchmark: the local generator before (an earlier commit) and after, per document.

Scores (`bench/quality_score.py`): grounding, fragment rate, term quality, coverage,
near-duplicates, overview readability, and the generator's own time (median of `--runs`). Both
generators run in a subprocess on the same structures (extracted once by this checkout), the
earlier one from `git archive REF shared`. Also measured: how well the grounding threshold tells
a sentence's own page from another page of the same document.

    .venv/bin/python -m bench.ai_quality [--before main] [--runs 5] [--record]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.quality_corpus import DOCUMENTS, load
from bench.quality_report import Timing, report
from bench.quality_score import Scores, score, threshold_check
from shared.ai.contracts.aids import StudyAids
from shared.documents.contracts import Structure

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
Generated = dict[str, tuple[StudyAids, Timing]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", default="main", help="git ref of the earlier generator")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--record", action="store_true", help=f"append the results to {RESULTS}")
    args = parser.parse_args()
    structures = {d.name: load(d) for d in DOCUMENTS}
    with tempfile.TemporaryDirectory(prefix="ai-quality-") as tmp:
        folder = Path(tmp)
        (folder / "in").mkdir()
        for name, structure in structures.items():
            (folder / "in" / f"{name}.json").write_text(structure.model_dump_json())
        before = _generate(folder, "before", _archive(args.before, folder), args.runs)
        after = _generate(folder, "after", ROOT, args.runs)
    results = {
        name: {label: _scored(structures[name], aids, ms) for label, (aids, ms) in runs.items()}
        for name, runs in _pair(before, after).items()
    }
    text = report(
        results=results,
        documents=DOCUMENTS,
        thresholds={name: threshold_check(structures[name]) for name in structures},
        before=f"{args.before} ({_commit(args.before)})",
        after=f"this checkout ({_commit('HEAD')})",
        when=f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}",
    )
    print(text)
    if args.record:
        with RESULTS.open("a") as out:
            out.write("\n" + text)


def _scored(structure: Structure, aids: StudyAids, ms: Timing) -> tuple[Scores, Timing]:
    return score(structure, aids), ms


def _pair(before: Generated, after: Generated) -> dict[str, dict[str, tuple[StudyAids, Timing]]]:
    return {name: {"before": before[name], "after": after[name]} for name in after}


def _archive(ref: str, folder: Path) -> Path:
    """The `shared` package as it is at `ref`, unpacked into `folder/ref`."""
    target = folder / "ref"
    target.mkdir()
    archive = subprocess.run(["git", "archive", ref, "shared"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def _generate(folder: Path, label: str, code: Path, runs: int) -> Generated:
    out = folder / label
    out.mkdir()
    script = ROOT / "bench" / "quality_generate.py"
    env = {**os.environ, "PYTHONPATH": str(code)}
    subprocess.run([sys.executable, str(script), str(folder / "in"), str(out), str(runs)], env=env, check=True)
    timings = json.loads((out / "timings.json").read_text())
    return {
        name: (StudyAids.model_validate_json((out / f"{name}.json").read_text()), Timing(**ms))
        for name, ms in timings.items()
    }


def _commit(ref: str) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", ref], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


if __name__ == "__main__":
    main()
