"""The serving gateway freezes its start-up heap when it starts; apps built for tests do not."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.unit

SCRIPT = textwrap.dedent(
    """
    import gc, json, sys
    from fastapi.testclient import TestClient
    from shared.container import Container
    from shared.gateway import create_app
    from shared.settings import Settings

    freeze = sys.argv[1] == "serving"
    before = gc.get_freeze_count()
    container = Container(Settings(app_env="local"))
    with TestClient(create_app(container, freeze_heap=freeze)) as client:
        started = gc.get_freeze_count()
        assert client.get("/health").status_code == 200
    with TestClient(create_app(container, freeze_heap=freeze)):
        again = gc.get_freeze_count()
    print(json.dumps({"before": before, "started": started, "again": again}))
    """
)


def _freeze_counts(kind: str) -> dict[str, int]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, kind], capture_output=True, text=True, check=True, timeout=60)
    counts: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return counts


def test_the_serving_app_freezes_the_start_up_heap_once() -> None:
    counts = _freeze_counts("serving")
    assert counts["before"] == 0
    assert counts["started"] > 50_000  # the imported app: routes, schemas, validators
    assert counts["again"] <= counts["started"]  # a second app freezes nothing more (some frozen objects died)


def test_an_app_built_for_a_test_leaves_the_collector_alone() -> None:
    assert _freeze_counts("test") == {"before": 0, "started": 0, "again": 0}
