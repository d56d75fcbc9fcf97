"""Resolve Postgres, Redis and Azurite: use the configured ones when reachable, else start our own."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from devtools.devhost import probe
from devtools.devhost.local_ca import LocalTls
from devtools.devhost.services import LocalService, start_azurite, start_postgres, start_redis
from devtools.paths import REPO_ROOT

logger = logging.getLogger(__name__)

DEFAULT_STATE_DIR = REPO_ROOT / ".local"


@dataclass(frozen=True)
class LocalPorts:
    """Below Linux's ephemeral range (32768+), so an outgoing connection cannot hold them."""

    postgres: int = 15432
    redis: int = 16379
    azurite: int = 10010


@dataclass
class Stack:
    postgres_url: str
    redis_url: str
    storage_connection_string: str
    started: list[LocalService] = field(default_factory=list)

    def environ(self) -> dict[str, str]:
        return {
            "POSTGRES_URL": self.postgres_url,
            "REDIS_URL": self.redis_url,
            "AZURE_STORAGE_CONNECTION_STRING": self.storage_connection_string,
        }

    def stop(self) -> None:
        for service in reversed(self.started):
            logger.info("stopping project-local %s", service.name)
            service.stop()
        self.started.clear()


def ensure_stack(
    environ: Mapping[str, str],
    *,
    state_dir: Path = DEFAULT_STATE_DIR,
    ports: LocalPorts = LocalPorts(),
    force_local: bool = False,
    blob_tls: LocalTls | None = None,
) -> Stack:
    """The services: configured ones where reachable, else project-local ones.

    With `blob_tls`, Azurite is always project-local and serves HTTPS (production-like mode).
    """
    started: list[LocalService] = []
    state_dir.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no .local yet
    try:
        pg = _configured(environ, "POSTGRES_URL", probe.postgres_ok, force_local)
        if pg is None:
            started.append(start_postgres(state_dir / "postgres", port=ports.postgres))
            pg = _ensure_database(started[-1].url, "studyaid")
        redis = _configured(environ, "REDIS_URL", probe.redis_ok, force_local)
        if redis is None:
            started.append(start_redis(state_dir / "redis", port=ports.redis))
            redis = started[-1].url
        blob = _configured(environ, "AZURE_STORAGE_CONNECTION_STRING", probe.blob_ok, force_local or bool(blob_tls))
        if blob is None:
            started.append(start_azurite(state_dir / "azurite", port=ports.azurite, tls=blob_tls))
            blob = started[-1].url
    except BaseException:
        for service in reversed(started):
            service.stop()
        raise
    return Stack(pg, redis, blob, started)


def _configured(environ: Mapping[str, str], name: str, check: object, force_local: bool) -> str | None:
    value = environ.get(name)
    if force_local or not value:
        return None
    if callable(check) and check(value):
        logger.info("using the configured %s", name)
        return value
    logger.warning("%s is set but not reachable; starting a project-local one instead", name)
    return None


def _ensure_database(server_url: str, name: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
