"""Run the local generator of whichever `shared` package is first on the path (used by
`bench/ai_quality.py` to run an earlier commit's generator side by side). Run by file path, so
`PYTHONPATH` decides which `shared` is imported.

    python bench/quality_generate.py IN_DIR OUT_DIR RUNS
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from shared.ai.local import LocalGenerator
from shared.documents.contracts import Structure


def main() -> None:
    source, target, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    generator = LocalGenerator()
    timings: dict[str, float] = {}
    for path in sorted(source.glob("*.json")):
        structure = Structure.model_validate_json(path.read_text())
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            aids = generator.generate(structure)
            samples.append(time.perf_counter() - started)
        timings[path.stem] = statistics.median(samples) * 1000
        (target / path.name).write_text(aids.model_dump_json())
    (target / "timings.json").write_text(json.dumps(timings))


if __name__ == "__main__":
    main()
