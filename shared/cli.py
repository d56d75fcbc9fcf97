"""`studyaid`: migrations, standalone workers, the deployment smoke check and runbook commands.

The local runner and the stub Canvas are `studyaid-dev` (devtools/cli.py), which never ships."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from collections.abc import Sequence

from shared.ops.cli import add_ops_commands
from shared.platform.logging import configure_logging
from shared.platform.stream_names import STREAMS

logger = logging.getLogger("shared.cli")


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
    from shared.smoke.service import run

    def say(line: str) -> None:
        print(line, flush=True)  # noqa: T201 - the check's report is its output

    passed = run(base_url=args.url.rstrip("/"), say=say, wait_s=args.wait, verify_tls=args.ca_file or True)
    return 0 if passed else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studyaid", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
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
    add_ops_commands(commands.add_parser("ops", help="runbook: reprocess, unstick streams, dead letters, purge logs"))
    return parser


def run_command(parser: argparse.ArgumentParser, argv: Sequence[str] | None, *, service: str) -> int:
    """Parse, attach the logs as `service`, run the chosen subcommand; Ctrl-C exits 130."""
    args = parser.parse_args(argv)
    configure_logging(service=service, level=os.environ.get("LOG_LEVEL", "INFO"))
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), argv, service="studyaid")


if __name__ == "__main__":
    raise SystemExit(main())
