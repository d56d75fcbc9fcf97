"""`studyaid-dev`: the local runner, its services and the stub Canvas (a checkout's tools, never deployed)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from devtools.canvas_stub import options as stub_options
from devtools.devhost.stack import DEFAULT_STATE_DIR
from shared.cli import run_command


def _dev(args: argparse.Namespace) -> int:
    from devtools.devhost.runner import run

    run(port=args.port, state_dir=args.state_dir, prod_like=args.prod_like)
    return 0


def _services(_args: argparse.Namespace) -> int:
    """Start only the services (for `func start` where Core Tools exist); Ctrl-C stops them."""
    from devtools.devhost.runner import prepare
    from devtools.devhost.waiting import wait_until_stopped

    stack, container = prepare()
    for name, value in stack.environ().items():
        print(f"{name}={value}")  # noqa: T201 - values for local.settings.json
    try:
        wait_until_stopped()
    finally:
        container.close()
        stack.stop()
    return 0


def _canvas_stub(args: argparse.Namespace) -> int:
    from devtools.canvas_stub.running import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studyaid-dev", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    dev = commands.add_parser("dev", help="run the app locally (API, workers, timers, services)")
    dev.add_argument("--port", type=int, default=int(os.environ.get("PORT", "7071")))
    dev.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR, help="where local services keep data")
    dev.add_argument(
        "--prod-like",
        action="store_true",
        help="APP_ENV=production semantics over TLS with a throw-away local CA (app origin https://localhost:5173)",
    )
    dev.set_defaults(run=_dev)
    commands.add_parser("services", help="start only the local services").set_defaults(run=_services)
    stub = commands.add_parser("canvas-stub", help="run a stub Canvas on loopback (docs/canvas.md)")
    stub_options.add_arguments(stub).set_defaults(run=_canvas_stub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), argv, service="studyaid-dev")


if __name__ == "__main__":
    raise SystemExit(main())
