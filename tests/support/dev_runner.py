"""`studyaid dev` as a subprocess, as `make dev` runs it, on the test session's Postgres and Redis.

It gets a scratch database (which it migrates itself) and a private stream prefix, and starts its
own Azurite, so its raw-blob watcher sees only this test's uploads.
"""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from redis import Redis

from devtools.devhost.stack import Stack
from tests.support.services import free_port, scratch_database

REPO_ROOT = Path(__file__).resolve().parents[2]
# Names the runner would otherwise take from this process: services, providers, secrets.
INHERITED_PREFIXES = ("POSTGRES_", "REDIS_", "AZURE_", "OPENAI_", "AI_", "EMAIL_", "SMTP_", "ACS_", "STREAM_")


@dataclass
class Runner:
    process: subprocess.Popen[bytes]
    base_url: str
    log_file: Path
    outbox: Path
    state_dir: Path
    timings: dict[str, float] = field(default_factory=dict)

    def output(self, lines: int = 40) -> str:
        text = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def verify(self) -> ssl.SSLContext | bool:
        """What an HTTP client must trust to reach this runner (its local CA in production-like mode)."""
        ca = self.state_dir / "tls" / "ca.pem"
        return ssl.create_default_context(cafile=str(ca)) if self.base_url.startswith("https") else True


@contextmanager
def running_dev(
    stack: Stack, tmp_path: Path, *, prod_like: bool = False, env: dict[str, str] | None = None, api_port: int = 0
) -> Iterator[Runner]:
    prefix = f"walk{uuid.uuid4().hex[:8]}:"
    with scratch_database(stack.postgres_url) as database, _stream_keys_dropped(stack.redis_url, prefix):
        api_port = api_port or free_port()
        child_env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_PREFIXES)}
        child_env.update(
            {
                "POSTGRES_URL": database,
                "REDIS_URL": stack.redis_url,
                "STREAM_PREFIX": prefix,
                # Empty wins over a local.settings.json value: the runner starts its own Azurite.
                "AZURE_STORAGE_CONNECTION_STRING": "",
                "LOCAL_AZURITE_PORT": str(free_port()),
                "AI_PROVIDER": "local",
                "EMAIL_PROVIDER": "outbox",
                "OUTBOX_DIR": str(tmp_path / "outbox"),
                "LOG_LEVEL": "INFO",
                **(env or {}),
            }
        )
        tmp_path.mkdir(parents=True, exist_ok=True)
        log_file = tmp_path / "runner.log"
        command = [sys.executable, "-m", "devtools.cli", "dev", "--port", str(api_port), "--state-dir", str(tmp_path)]
        command += ["--prod-like"] if prod_like else []
        with log_file.open("wb") as log:
            process = subprocess.Popen(command, cwd=REPO_ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT)
        scheme_host = "https://localhost" if prod_like else "http://127.0.0.1"
        started = Runner(process, f"{scheme_host}:{api_port}", log_file, tmp_path / "outbox", tmp_path)
        try:
            _wait_healthy(started)
            yield started
        finally:
            if process.poll() is None:  # a test may stop it itself; this is for one that failed early
                process.send_signal(signal.SIGINT)
                process.wait(timeout=60)


@contextmanager
def _stream_keys_dropped(redis_url: str, prefix: str) -> Iterator[None]:
    """The runner's streams and rate-limit keys live under `prefix` in the session's Redis; drop them after."""
    try:
        yield
    finally:
        with Redis.from_url(redis_url) as redis:
            keys = list(redis.scan_iter(match=f"{prefix}*", count=500))
            if keys:
                redis.delete(*keys)


def _wait_healthy(runner: Runner, timeout_s: float = 90) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if runner.process.poll() is not None:
            raise AssertionError(f"studyaid dev exited early ({runner.process.returncode}):\n{runner.output()}")
        try:
            if httpx.get(f"{runner.base_url}/health", timeout=1, verify=runner.verify()).status_code == 200:
                runner.timings["start"] = time.monotonic() - started
                return
        except (httpx.TransportError, FileNotFoundError):  # not listening yet; no CA written yet
            pass
        time.sleep(0.25)
    raise AssertionError(f"studyaid dev did not answer /health within {timeout_s} s:\n{runner.output()}")
