"""`studyaid dev`: the whole app on one machine, without Azure Functions Core Tools."""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import uvicorn

from devtools.devhost import functions_host
from devtools.devhost.blob_cors import apply_blob_cors
from devtools.devhost.cron import Schedule
from devtools.devhost.functions_host import IndexedFunction
from devtools.devhost.local_ca import ensure_local_tls
from devtools.devhost.local_settings import read_local_values
from devtools.devhost.prod_like import prod_like_environ, trusting_local_ca
from devtools.devhost.stack import DEFAULT_STATE_DIR, LocalPorts, Stack, ensure_stack
from devtools.devhost.watcher import RawWatcher
from devtools.paths import REPO_ROOT
from shared.container import Container, set_container
from shared.logs import sink as log_sink
from shared.logs.process import observe_process
from shared.platform.logging import configure_logging
from shared.platform.migrate import apply_migrations
from shared.settings import load_settings

logger = logging.getLogger(__name__)

DEV_DEFAULTS = {"APP_ENV": "local", "DRAIN_BUDGET_SECONDS": "5", "CORS_ORIGINS": '["http://localhost:5173"]'}


def prepare(state_dir: Path = DEFAULT_STATE_DIR, *, tls_port: int | None = None) -> tuple[Stack, Container]:
    """Resolve or start the services, apply migrations, create containers; return the container.

    With `tls_port`, production-like mode: production settings, the API on https://localhost:<port>.
    """
    local = {**DEV_DEFAULTS, "OUTBOX_DIR": str(state_dir / "outbox"), **read_local_values()}
    prod_like, tls = prod_like_environ(state_dir, port=tls_port) if tls_port else ({}, None)
    environ = {**local, **prod_like, **os.environ}
    if tls is not None:
        environ.update(trusting_local_ca(tls, base_bundle=os.environ.get("REQUESTS_CA_BUNDLE")))
    os.environ.update(environ)  # REQUESTS_CA_BUNDLE must reach the Azure SDK before it probes Azurite
    stack = ensure_stack(environ, state_dir=state_dir, ports=_local_ports(environ), blob_tls=tls)
    try:
        environ.update(stack.environ())
        os.environ.update(environ)
        settings = load_settings(environ)
        configure_logging(service=settings.service_name, level=settings.log_level)
        container = Container(settings)
        set_container(container)
        apply_migrations(stack.postgres_url)
        observe_process(container)  # after the migrations: the sink writes into the logs table
        container.blobs.ensure_containers()
        apply_blob_cors(stack.storage_connection_string, origins=settings.cors_origins)
    except BaseException:
        stack.stop()  # never leave project-local services running behind a failed start
        raise
    return stack, container


def _local_ports(environ: dict[str, str]) -> LocalPorts:
    """Private ports for project-local services; LOCAL_*_PORT moves them (two checkouts at once)."""
    default = LocalPorts()
    return LocalPorts(
        postgres=int(environ.get("LOCAL_POSTGRES_PORT", default.postgres)),
        redis=int(environ.get("LOCAL_REDIS_PORT", default.redis)),
        azurite=int(environ.get("LOCAL_AZURITE_PORT", default.azurite)),
    )


def _loop_drain(function: IndexedFunction, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            functions_host.call_timer(function)
        # A loop boundary: a failing drain is logged and tried again, it never ends the runner.
        except Exception:
            logger.exception("%s failed; retrying in 5 s", function.name)
            stop.wait(5)


def _loop_timer(function: IndexedFunction, stop: threading.Event) -> None:
    schedule = Schedule.parse(function.binding["schedule"])
    while not stop.is_set():
        due = schedule.next_after(datetime.now(UTC))
        if stop.wait(max(0.0, (due - datetime.now(UTC)).total_seconds())):
            return
        try:
            functions_host.call_timer(function)
        except Exception:  # a loop boundary, as above
            logger.exception("timer %s failed", function.name)


def _function_app() -> ModuleType:
    """`function_app.py` sits at the repository root, which a console script's path lacks."""
    root = str(REPO_ROOT)
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module("function_app")


def start_background(container: Container, stop: threading.Event, state_dir: Path) -> list[threading.Thread]:
    functions = functions_host.index(_function_app().app)
    threads: list[threading.Thread] = []
    for function in functions.values():
        if function.name.startswith("drain_"):
            threads.append(threading.Thread(target=_loop_drain, args=(function, stop), name=function.name))
        elif function.trigger_type == "timerTrigger":
            threads.append(threading.Thread(target=_loop_timer, args=(function, stop), name=function.name))
    blob_function = functions["raw_upload"]
    watcher = RawWatcher(
        container.blobs,
        on_new=lambda path: functions_host.call_blob(blob_function, path=path),
        state_file=state_dir / "watcher.json",
    )
    threads.append(threading.Thread(target=watcher.run, args=(stop,), name="raw_watcher"))
    for thread in threads:
        thread.daemon = True
        thread.start()
    return threads


def _interrupt_on_sigterm() -> None:
    """uvicorn re-raises the signal it stopped on; make SIGTERM unwind like Ctrl-C so cleanup runs."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def run(*, port: int = 7071, state_dir: Path = DEFAULT_STATE_DIR, prod_like: bool = False) -> None:
    _interrupt_on_sigterm()
    stack, container = prepare(state_dir, tls_port=port if prod_like else None)
    stop = threading.Event()
    threads = start_background(container, stop, state_dir)
    _print_banner(port, stack, state_dir, container)
    gateway = _function_app().gateway  # the same FastAPI app the AsgiFunctionApp wraps
    tls = ensure_local_tls(state_dir / "tls") if prod_like else None
    config = uvicorn.Config(
        gateway, host="127.0.0.1", port=port, log_config=None, access_log=False,
        ssl_certfile=str(tls.cert) if tls else None, ssl_keyfile=str(tls.key) if tls else None,
    )  # fmt: skip
    server = uvicorn.Server(config)
    try:
        server.run()
    except KeyboardInterrupt:
        logger.info("stopping: interrupted")  # Ctrl-C or SIGTERM is the normal way to stop
    finally:
        stop.set()
        deadline = time.monotonic() + 15  # one budget for all: in-flight work is redelivered anyway
        for thread in threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))
        log_sink.uninstall()  # flush the last log records while the database pool is still open
        container.close()
        stack.stop()


def _email_destination(container: Container) -> str:
    settings = container.settings
    if settings.email_provider == "outbox":
        return f"written as .eml files to {settings.outbox_dir.resolve()}"
    return f"sent through {settings.email_provider}"


def _print_banner(port: int, stack: Stack, state_dir: Path, container: Container) -> None:
    local = ", ".join(s.name for s in stack.started) or "none (all configured services reachable)"
    blob_endpoint = next((p for p in stack.storage_connection_string.split(";") if p.startswith("BlobEndpoint=")), "")
    settings = container.settings
    api = settings.public_base_url if not settings.is_local else f"http://127.0.0.1:{port}"
    docs = "docs: /docs, " if settings.serves_api_docs else ""
    cacert = "" if settings.is_local else f"--cacert {state_dir / 'tls' / 'ca.pem'} "
    lines = [
        "",
        f"  Study-aid API   {api}   ({docs}spec: /openapi.json)",
        f"  Try it          curl {cacert}{api}/health",
        f"  Mode            APP_ENV={settings.environment}; browser origins {', '.join(settings.cors_origins)}",
        f"  Started here    {local}; data under {state_dir}",
        f"  Postgres        {stack.postgres_url}",
        f"  Redis           {stack.redis_url}",
        f"  Blob storage    {blob_endpoint.removeprefix('BlobEndpoint=') or 'from AZURE_STORAGE_CONNECTION_STRING'}",
        "  Workers         a drain per stream, the timers, and a watcher of the raw container",
        f"  Email           {_email_destination(container)}",
        "  Stop            Ctrl-C",
        "",
    ]
    print("\n".join(lines), flush=True)  # noqa: T201 - the runner's banner is for a person
