"""Read `local.settings.json` the way the Functions host does: its `Values` become env vars."""

from __future__ import annotations

import json

from devtools.paths import REPO_ROOT

CANDIDATES = (REPO_ROOT / "local.settings.json", REPO_ROOT / "local-settings" / "local.settings.json")


def read_local_values() -> dict[str, str]:
    for path in CANDIDATES:
        if path.exists():
            values = json.loads(path.read_text()).get("Values", {})
            return {str(k): str(v) for k, v in values.items()}
    return {}
