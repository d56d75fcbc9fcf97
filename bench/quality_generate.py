"""Run the local generator of whichever `shared` package is first on the path (used by
`bench/ai_quality.py` to run an earlier commit's generator side by side). Run by file path, so
`PYTHONPATH` decides which `shared` is imported. Times per document: the median and best wall
clock, and the median CPU time of this process (on a shared machine the CPU time is the cost of
the work itself; the wall clock adds waiting for a core).

    python bench/quality_generate.py IN_DIR OUT_DIR RUNS
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from shared.ai.local.generator import LocalGenerator
from shared.documents.contracts import Structure


def main() -> None:
    source, target, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    generator = LocalGenerator()
    timings: dict[str, dict[str, float]] = {}
    for path in sorted(source.glob("*.json")):
        structure = Structure.model_validate_json(path.read_text())
        wall, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            aids = generator.generate(structure)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        timings[path.stem] = {"wall": statistics.median(wall), "best": min(wall), "cpu": statistics.median(cpu)}
        (target / path.name).write_text(aids.model_dump_json())
    (target / "timings.json").write_text(json.dumps(timings))


if __name__ == "__main__":
    main()
