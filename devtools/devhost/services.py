"""Project-local PostgreSQL, Redis and Azurite, started when none is configured or reachable.

Data lives under a git-ignored folder so it survives restarts. PostgreSQL refuses to run as
root, so as root the cluster belongs to the unprivileged `postgres` account.
"""

from __future__ import annotations

import ctypes
import glob
import hashlib
import logging
import os
import pwd
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from devtools.devhost import probe
from devtools.devhost.local_ca import LocalTls
from devtools.paths import REPO_ROOT

logger = logging.getLogger(__name__)

AZURITE_ACCOUNT = "devstoreaccount1"
# Azurite's documented, public development key: it protects nothing and works only locally.
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


# Services run in sessions of their own, so a Ctrl-C in the terminal reaches only the runner,
# which then stops them in order (the API and workers first, the services they use last).


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM it if the runner dies without stopping it (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


_PR_SET_PDEATHSIG = 1


def _spawn(command: list[str]) -> subprocess.Popen[bytes]:
    """A service in its own session (Ctrl-C reaches only the runner) that dies with the runner."""
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )


class ServiceError(RuntimeError):
    """A project-local service could not be started; the message says what to install or check."""


@dataclass
class LocalService:
    name: str
    url: str
    process: subprocess.Popen[bytes] | None = None
    stop_command: list[str] = field(default_factory=list)
    grace_s: float = 15.0

    def stop(self) -> None:
        if self.stop_command:
            subprocess.run(self.stop_command, check=False, capture_output=True, timeout=60)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=self.grace_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _wait_until(check: object, *, what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.2)
    raise ServiceError(f"{what} did not become ready within {timeout_s:.0f} s")


def _postgres_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    found = shutil.which("initdb") or (candidates[0] if candidates else None)
    if found is None:
        raise ServiceError("PostgreSQL is not installed (initdb not found); run `make bootstrap`")
    return Path(os.path.realpath(found)).parent


def _as_postgres_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _reachable_by_postgres(path: Path) -> bool:
    account = pwd.getpwnam("postgres")
    for folder in path.parents:
        info = folder.stat()
        if info.st_uid != account.pw_uid and not info.st_mode & 0o001:
            return False
    return True


def postgres_home(data_dir: Path) -> Path:
    """Where the cluster lives: `data_dir`, unless (as root) the postgres account cannot reach it.

    A checkout under a private folder (such as /root) cannot hold a cluster owned by `postgres`;
    then the cluster lives under the account's own home, keyed by the checkout's path.
    """
    if os.geteuid() != 0 or _reachable_by_postgres(data_dir):
        return data_dir
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:12]
    fallback = Path(pwd.getpwnam("postgres").pw_dir) / f"studyaid-{digest}"
    logger.warning("%s is not reachable by the postgres account; keeping the cluster in %s", data_dir, fallback)
    return fallback


def _prepare_owned_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(path, account.pw_uid, account.pw_gid)
        path.chmod(0o700)


def start_postgres(data_dir: Path, *, port: int) -> LocalService:
    bindir = _postgres_bindir()
    data_dir = postgres_home(data_dir)
    pgdata = data_dir / "data"
    if not (pgdata / "PG_VERSION").exists():
        _prepare_owned_dir(data_dir)
        _prepare_owned_dir(pgdata)
        init = [str(bindir / "initdb"), "-D", str(pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        subprocess.run(_as_postgres_user(init), check=True, capture_output=True, timeout=120)
    pg_ctl_here = [str(bindir / "pg_ctl"), "-D", str(pgdata)]
    stop = _as_postgres_user([*pg_ctl_here, "-m", "fast", "-w", "stop"])
    status = subprocess.run(_as_postgres_user([*pg_ctl_here, "status"]), capture_output=True)
    if status.returncode == 0:
        # Left running by a runner that was killed (pg_ctl daemonises it): stop it, start afresh.
        logger.warning("a project-local PostgreSQL was still running on %s; restarting it", pgdata)
        subprocess.run(stop, capture_output=True, timeout=90)
    options = f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1"
    pg_ctl = [*pg_ctl_here, "-l", str(data_dir / "postgres.log"), "-o", options]
    result = subprocess.run(
        _as_postgres_user([*pg_ctl, "-w", "-t", "60", "start"]), capture_output=True, timeout=90, start_new_session=True
    )
    if result.returncode != 0:
        log = data_dir / "postgres.log"
        tail = log.read_text(errors="replace")[-800:] if log.exists() else result.stderr.decode(errors="replace")
        raise ServiceError(f"PostgreSQL did not start on port {port}; its log ends with:\n{tail}")
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    _wait_until(lambda: probe.postgres_ok(url), what="PostgreSQL")
    return LocalService("postgres", url, stop_command=stop)


def start_redis(data_dir: Path, *, port: int) -> LocalService:
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceError("redis-server is not installed; run `make bootstrap`")
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(data_dir),
        "--appendonly",
        "yes",
        "--appendfsync",
        "everysec",
        "--save",
        "",
        "--daemonize",
        "no",
        "--logfile",
        str(data_dir / "redis.log"),
    ]
    process = _spawn(command)
    url = f"redis://127.0.0.1:{port}/0"
    _wait_until(lambda: probe.redis_ok(url), what="Redis")
    return LocalService("redis", url, process=process)


def azurite_connection_string(port: int, *, scheme: str = "http") -> str:
    return (
        f"DefaultEndpointsProtocol={scheme};AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
        f"BlobEndpoint={scheme}://127.0.0.1:{port}/{AZURITE_ACCOUNT};"
    )


def start_azurite(data_dir: Path, *, port: int, tls: LocalTls | None = None) -> LocalService:
    """Azurite's blob service; over HTTPS with `tls` (an https page may not fetch http blob URLs)."""
    binary = REPO_ROOT / "node_modules" / ".bin" / "azurite-blob"
    if not binary.exists():
        raise ServiceError("Azurite is not installed (node_modules/.bin/azurite-blob); run `make bootstrap`")
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(binary),
        "--blobHost",
        "127.0.0.1",
        "--blobPort",
        str(port),
        "--location",
        str(data_dir),
        "--skipApiVersionCheck",
        "--loose",
        "--silent",
        # Telemetry would try to reach a cloud endpoint, and shutdown stalls waiting for it.
        "--disableTelemetry",
    ]
    if tls is not None:
        command += ["--cert", str(tls.cert), "--key", str(tls.key)]
    process = _spawn(command)
    url = azurite_connection_string(port, scheme="https" if tls else "http")
    _wait_until(lambda: probe.blob_ok(url), what="Azurite")
    return LocalService("azurite", url, process=process)
