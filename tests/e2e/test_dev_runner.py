"""`studyaid dev` from nothing: project-local services on private ports, health, restart keeps data."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from devtools.devhost import probe
from tests.support.services import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICE_VARIABLES = ("POSTGRES_URL", "REDIS_URL", "AZURE_STORAGE_CONNECTION_STRING")


@pytest.fixture
def tmp_root() -> Iterator[Path]:
    # Readable by the postgres account (pytest's own temporary folders are private to root).
    folder = Path(tempfile.mkdtemp(prefix="studyaid-dev-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _start(state_dir: Path, ports: dict[str, int]) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(
        {
            "LOCAL_POSTGRES_PORT": str(ports["pg"]),
            "LOCAL_REDIS_PORT": str(ports["redis"]),
            "LOCAL_AZURITE_PORT": str(ports["azurite"]),
            "LOG_LEVEL": "WARNING",
        }
    )
    # The console script `make dev` runs, from outside the checkout: nothing may rely on the cwd.
    studyaid_dev = str(Path(sys.executable).parent / "studyaid-dev")
    command = [studyaid_dev, "dev", "--port", str(ports["api"]), "--state-dir", str(state_dir)]
    return subprocess.Popen(command, cwd=state_dir.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait_healthy(process: subprocess.Popen[bytes], port: int, timeout_s: float = 90) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise AssertionError(f"studyaid dev exited early:\n{output[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError("studyaid dev did not answer /health in time")


def _interrupt(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=60)
    finally:
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.slow
def test_dev_starts_its_own_services_answers_health_and_keeps_data_across_restarts(tmp_root: Path) -> None:
    ports = {"pg": free_port(), "redis": free_port(), "azurite": free_port(), "api": free_port()}
    state_dir = tmp_root / "state"  # does not exist yet, as `.local` in a fresh checkout
    database = f"postgresql://postgres@127.0.0.1:{ports['pg']}/studyaid"

    first = _start(state_dir, ports)
    try:
        assert _wait_healthy(first, ports["api"]) < 60
        with psycopg.connect(database, autocommit=True) as conn:
            conn.execute("INSERT INTO users (id, email) VALUES (gen_random_uuid(), 'kept@example.edu')")
    finally:
        assert _interrupt(first) == 0
    assert not probe.postgres_ok(database), "project-local Postgres still running after Ctrl-C"
    assert not probe.redis_ok(f"redis://127.0.0.1:{ports['redis']}/0")

    second = _start(state_dir, ports)
    try:
        _wait_healthy(second, ports["api"])
        with psycopg.connect(database) as conn:
            row = conn.execute("SELECT count(*) FROM users WHERE email = 'kept@example.edu'").fetchone()
        assert row == (1,)
    finally:
        assert _interrupt(second) == 0
