"""Where the dev tooling finds the checkout's files: one setting each, with the repository as default."""

from __future__ import annotations

import os
from pathlib import Path

# devtools/ sits at the top of the checkout (it is installed editable and never packaged).
REPO_ROOT = Path(__file__).resolve().parent.parent


def canvas_fixtures_dir() -> Path:
    """The stub Canvas's fixtures: `CANVAS_FIXTURES_DIR`, else tests/fixtures/canvas (see its NOTICE)."""
    configured = os.environ.get("CANVAS_FIXTURES_DIR")
    return Path(configured) if configured else REPO_ROOT / "tests" / "fixtures" / "canvas"
