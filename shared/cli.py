"""`studyaid`: the local runner, migrations, standalone workers and runbook commands."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

from shared.devhost.stack import DEFAULT_STATE_DIR
from shared.ops.cli import add_ops_commands
from shared.platform.logging import configure_logging
from shared.registry import STREAMS

logger = logging.getLogger("shared.cli")


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
    from shared.container import Container, set_container
    from shared.logs import sink
    from shared.logs.process import observe_process
    from shared.platform import telemetry
    from shared.settings import load_settings
    from shared.workers import run_drain

    if args.stream not in STREAMS:
        raise SystemExit(f"studyaid worker: name a stream (or set WORKER_STREAM), one of {', '.join(STREAMS)}")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # first: a replica stopped while starting exits cleanly
    service = f"worker-{args.stream}"
    container = Container(load_settings())
    set_container(container)
    configure_logging(service=service, level=container.settings.log_level)
    observe_process(container, service=service)
    try:
        while not stop.is_set():
            report = run_drain(container, args.stream, budget_s=args.budget)
            if report.no_handler:
                return 2
        logger.info("worker %s stopping: SIGTERM", args.stream)
        return 0
    finally:
        sink.uninstall()  # flush the last lines into the table while the pool is open
        telemetry.flush()
        container.close()


def _verify(args: argparse.Namespace) -> int:
    """The post-deploy smoke check: exit 0 when the whole walk passed, 1 with the failed step."""
    from shared.smoke.verify import run

    def say(line: str) -> None:
        print(line, flush=True)  # noqa: T201 - the check's report is its output

    passed = run(base_url=args.url.rstrip("/"), say=say, wait_s=args.wait, verify_tls=args.ca_file or True)
    return 0 if passed else 1


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
    # The stage image's entry point is `studyaid worker`; its Container App names the stream in the environment.
    worker.add_argument("stream", nargs="?", choices=STREAMS, default=os.environ.get("WORKER_STREAM") or None)
    worker.add_argument("--budget", type=float, default=30.0, help="seconds per drain pass")
    worker.set_defaults(run=_worker)
    verify = commands.add_parser(
        "verify", help="smoke-check a deployment: sign up, upload a PDF, wait for notes and media"
    )
    verify.add_argument(
        "--url", required=True, help="the API's base URL, e.g. https://func-studyaid-x.azurewebsites.net"
    )
    verify.add_argument("--wait", type=float, default=600.0, help="seconds to wait for each stage")
    verify.add_argument("--ca-file", default=None, help="a CA bundle to trust (a local TLS mode's throw-away CA)")
    verify.set_defaults(run=_verify)
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
