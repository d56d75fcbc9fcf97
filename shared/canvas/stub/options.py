"""The stub's command line (`studyaid canvas-stub`, `python -m shared.canvas.stub`); light to import."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

# In the repository (tests/fixtures/canvas, MIT-licensed copies; see tests/fixtures/NOTICE).
DEFAULT_FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "canvas"


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--port", type=int, default=8900, help="Canvas API and OAuth port (127.0.0.1)")
    parser.add_argument("--files-port", type=int, default=8901, help="file host port (127.0.0.2)")
    parser.add_argument("--fixtures", type=Path, default=Path(os.environ.get("CANVAS_FIXTURES_DIR", DEFAULT_FIXTURES)))
    parser.add_argument("--api-port", type=int, default=7071, help="the local app's port, for the redirect URI")
    return parser


def _run(args: argparse.Namespace) -> int:
    from shared.canvas.stub.__main__ import run

    return run(args)


def add_stub_command(commands: Any) -> None:
    """Register `canvas-stub` on the CLI's sub-parsers."""
    parser = commands.add_parser("canvas-stub", help="run a stub Canvas on loopback (docs/canvas.md)")
    add_arguments(parser).set_defaults(run=_run)
