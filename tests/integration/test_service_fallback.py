"""A configured service that is not reachable is replaced by a project-local one on a private port."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from devtools.devhost import probe
from devtools.devhost.services import start_postgres
from devtools.devhost.stack import LocalPorts, Stack, ensure_stack
from tests.support.services import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_an_unreachable_redis_is_replaced_by_a_project_local_one(stack: Stack, tmp_path: Path) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    environ = {
        "POSTGRES_URL": stack.postgres_url,
        "REDIS_URL": dead,
        "AZURE_STORAGE_CONNECTION_STRING": stack.storage_connection_string,
    }
    port = free_port()
    resolved = ensure_stack(environ, state_dir=tmp_path, ports=LocalPorts(postgres=1, redis=port, azurite=1))
    try:
        assert [s.name for s in resolved.started] == ["redis"]
        assert resolved.redis_url == f"redis://127.0.0.1:{port}/0"
        assert probe.redis_ok(resolved.redis_url)
        assert resolved.postgres_url == stack.postgres_url
    finally:
        resolved.stop()
    assert not probe.redis_ok(f"redis://127.0.0.1:{port}/0")


def test_a_project_local_service_dies_with_a_runner_that_was_killed(tmp_path: Path) -> None:
    port = free_port()
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from devtools.devhost.services import start_redis\n"
        f"start_redis(Path({str(tmp_path)!r}), port={port})\n"
        "print('up', flush=True)\n"
        "time.sleep(120)\n"
    )
    runner = subprocess.Popen([sys.executable, "-c", script], cwd=REPO_ROOT, stdout=subprocess.PIPE)
    try:
        assert runner.stdout is not None and runner.stdout.readline() == b"up\n"
        assert probe.redis_ok(f"redis://127.0.0.1:{port}/0")
        runner.kill()  # no finally block, no stop(): only the death signal can end the service
        runner.wait(timeout=10)
        deadline = time.monotonic() + 10
        while probe.redis_ok(f"redis://127.0.0.1:{port}/0") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not probe.redis_ok(f"redis://127.0.0.1:{port}/0")
    finally:
        if runner.poll() is None:
            runner.kill()
        if runner.stdout is not None:
            runner.stdout.close()


def test_a_postgres_left_running_by_a_killed_runner_is_restarted_not_fatal(tmp_path: Path) -> None:
    home = tmp_path / "pg-home"
    home.mkdir()
    home.chmod(0o755)
    tmp_path.chmod(0o755)
    orphan = start_postgres(home, port=free_port())  # as if its runner died without stopping it
    try:
        again = start_postgres(home, port=free_port())
        assert probe.postgres_ok(again.url)
        assert not probe.postgres_ok(orphan.url)  # the old postmaster was stopped first
    finally:
        orphan.stop()
