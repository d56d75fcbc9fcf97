"""Real Postgres, Redis and Azurite for the tests: the configured ones, else project-local ones."""

from __future__ import annotations

import os
import random
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from devtools.devhost.stack import LocalPorts, Stack, ensure_stack

MACHINE_DEFAULTS = {
    "POSTGRES_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def free_port() -> int:
    """A port nobody listens on, outside the ephemeral range that outgoing connections take.

    Port 0 would hand out an ephemeral port, which a client socket may grab again before the
    service binds it ("address already in use" under load).
    """
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


def free_ports() -> LocalPorts:
    return LocalPorts(postgres=free_port(), redis=free_port(), azurite=free_port())


def resolve_stack(state_dir: Path) -> Stack:
    """Services named by the environment (or this machine's defaults), else our own on free ports."""
    environ = {**MACHINE_DEFAULTS, **{k: v for k, v in os.environ.items() if k in MACHINE_DEFAULTS}}
    if os.environ.get("AZURE_STORAGE_CONNECTION_STRING"):
        environ["AZURE_STORAGE_CONNECTION_STRING"] = os.environ["AZURE_STORAGE_CONNECTION_STRING"]
    return ensure_stack(environ, state_dir=state_dir, ports=free_ports())


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server, dropped afterwards."""
    name = f"studyaid_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
