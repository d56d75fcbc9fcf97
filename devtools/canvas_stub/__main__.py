"""`python -m devtools.canvas_stub`: run the stub Canvas for local development (Ctrl-C stops it)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from devtools.canvas_stub.options import add_arguments
from devtools.canvas_stub.running import run


def main(argv: Sequence[str] | None = None) -> int:
    parser = add_arguments(argparse.ArgumentParser(prog="canvas-stub", description=__doc__))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
