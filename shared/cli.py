"""`studyaid`: the local runner, migrations, standalone workers and runbook commands."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

from shared.devhost.stack import DEFAULT_STATE_DIR
from shared.logs.ops.cli import add_ops_commands
from shared.platform.logging import configure_logging
from shared.registry import STREAMS


def _dev(args: argparse.Namespace) -> int:
    from shared.devhost.runner import run

    run(port=args.port, state_dir=args.state_dir, prod_like=args.prod_like)
    return 0


def _services(_args: argparse.Namespace) -> int:
    """Start only the services (for `func start` where Core Tools exist); Ctrl-C stops them."""
    from shared.devhost.runner import prepare
    from shared.devhost.waiting import wait_until_stopped

    stack, container = prepare()
    for name, value in stack.environ().items():
        print(f"{name}={value}")  # noqa: T201 - values for local.settings.json
    try:
        wait_until_stopped()
    finally:
        container.close()
        stack.stop()
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from shared.platform.migrate import apply_migrations
    from shared.settings import load_settings

    settings = load_settings()
    if settings.postgres_url is None:
        raise SystemExit("POSTGRES_URL is not set")
    for name in apply_migrations(settings.postgres_url.get_secret_value()):
        print(f"applied {name}")  # noqa: T201
    return 0


def _worker(args: argparse.Namespace) -> int:
    """Run one stage's drain in a loop: the scale-out path (Container Apps, KEDA)."""
    from shared.container import get_container
    from shared.platform.logging import configure_logging
    from shared.workers import run_drain

    container = get_container()
    configure_logging(service=f"worker-{args.stream}", level=container.settings.log_level)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.is_set():
        report = run_drain(container, args.stream, budget_s=args.budget)
        if report.no_handler:
            return 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studyaid", description=__doc__)
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
    commands.add_parser("migrate", help="apply database migrations").set_defaults(run=_migrate)
    worker = commands.add_parser("worker", help="drain one stream continuously")
    worker.add_argument("stream", choices=STREAMS)
    worker.add_argument("--budget", type=float, default=30.0, help="seconds per drain pass")
    worker.set_defaults(run=_worker)
    from shared.canvas.stub.options import add_stub_command

    add_stub_command(commands)
    add_ops_commands(commands.add_parser("ops", help="runbook: reprocess, unstick streams, dead letters, purge logs"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(service="studyaid", level=os.environ.get("LOG_LEVEL", "INFO"))
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
