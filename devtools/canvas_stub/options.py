"""The stub's command-line arguments (`studyaid-dev canvas-stub`, `python -m devtools.canvas_stub`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from devtools.paths import canvas_fixtures_dir


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--port", type=int, default=8900, help="Canvas API and OAuth port (127.0.0.1)")
    parser.add_argument("--files-port", type=int, default=8901, help="file host port (127.0.0.2)")
    parser.add_argument("--fixtures", type=Path, default=canvas_fixtures_dir(), help="default: $CANVAS_FIXTURES_DIR")
    parser.add_argument("--api-port", type=int, default=7071, help="the local app's port, for the redirect URI")
    return parser
