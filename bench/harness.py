"""Shared pieces for HTTP benchmarks: services, a migrated scratch database, uvicorn, a load driver.

The driver is closed-loop: each client sends its next request when the previous answer has
arrived (plus an optional think time), so latency and throughput are measured together.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

import httpx

from devtools.devhost.stack import Stack
from shared.platform.migrate import apply_migrations
from tests.support.services import resolve_stack, scratch_database

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"


@contextmanager
def services() -> Iterator[Stack]:
    """Configured Postgres/Redis (or this machine's), else project-local ones; Azurite likewise."""
    with tempfile.TemporaryDirectory(prefix="studyaid-bench-") as state:
        Path(state).chmod(0o755)  # a project-local Postgres runs as the postgres account
        stack = resolve_stack(Path(state))
        try:
            yield stack
        finally:
            stack.stop()


@contextmanager
def migrated_database(stack: Stack) -> Iterator[str]:
    with scratch_database(stack.postgres_url) as url:
        apply_migrations(url)
        yield url


@contextmanager
def uvicorn_server(
    env: dict[str, str],
    *,
    port: int,
    workers: int = 1,
    app: str = "shared.gateway:process_app",
    checkout: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """The real gateway (or `app`, a factory) under uvicorn in its own process; settings come only from `env`.

    `checkout` serves another copy of the project instead of this one (an earlier commit's
    `git worktree`), with this one's virtual environment, for a side-by-side comparison."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/root"), "APP_ENV": "local"}
    base.update({k: v for k, v in os.environ.items() if k == "PYTHONPATH"})  # where a variant `app` lives
    if checkout is not None:
        base["PYTHONPATH"] = str(checkout)  # ahead of the editable install of this checkout
    command = [sys.executable, "-m", "uvicorn", "--factory", app, "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, cwd=checkout or ROOT, env={**base, **env})
    try:
        wait_healthy(f"http://127.0.0.1:{port}/health", server)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def describe_checkout(checkout: Path) -> str:
    """`commit abc1234 <subject>` when the checkout is a git work tree; else its path."""
    found = subprocess.run(
        ["git", "-C", str(checkout), "log", "-1", "--format=%h %s"], capture_output=True, text=True, check=False
    )
    return f"commit {found.stdout.strip()[:90]}" if found.returncode == 0 else str(checkout)


def baseline_ratios(checkout: Path, pairs: list[tuple[str, Run, Run]]) -> list[str]:
    """The report's comparison: for each (label, this code's run, the baseline's run)."""
    if not pairs:
        return []
    lines = [f"This code against the baseline ({describe_checkout(checkout)}), same run, same database:\n"]
    for label, ours, base in pairs:
        lines.append(
            f"- {label}: {ours.rate / base.rate:.2f}x the req/s, "
            f"P50 {base.p(50) / ours.p(50):.2f}x and P95 {base.p(95) / ours.p(95):.2f}x lower"
        )
    return [*lines, ""]


def wait_healthy(url: str, server: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {server.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"uvicorn did not become healthy within {timeout_s} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_jiffies() -> tuple[float, float]:
    """(busy, total) CPU jiffies of the whole machine so far; the difference of two readings is a load."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@dataclass
class Run:
    """Latencies (ms) and statuses of one load run, with the CPU each side used."""

    name: str
    ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed_s: float = 0.0
    server_cpu_s: float = 0.0
    driver_cpu_s: float = 0.0
    machine_busy: float = 0.0  # share of all cores busy during the run, every process counted

    def p(self, pct: float) -> float:
        return percentile(self.ms, pct)

    @property
    def rate(self) -> float:
        return len(self.ms) / self.elapsed_s if self.elapsed_s else math.nan

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 400)


class Client(Protocol):
    """One load-generating client: a single keep-alive connection, one user."""

    async def get(self, path: str) -> int: ...

    async def close(self) -> None: ...


class HttpxClient:
    def __init__(self, base_url: str, *, cookies: dict[str, str]) -> None:
        limits = httpx.Limits(max_connections=1)
        self._client = httpx.AsyncClient(base_url=base_url, cookies=cookies, limits=limits, timeout=30)

    async def get(self, path: str) -> int:
        return (await self._client.get(path)).status_code

    async def close(self) -> None:
        await self._client.aclose()


class RawClient:
    """HTTP/1.1 GET over a bare asyncio stream: a few microseconds per request, so the 2 cores go to the server."""

    def __init__(self, host: str, port: int, *, cookies: dict[str, str]) -> None:
        self._host, self._port = host, port
        self._head = f"Host: {host}\r\nCookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        try:
            return await self._get(path)
        except (asyncio.IncompleteReadError, ConnectionError):
            # uvicorn closes a keep-alive connection idle for 5 s (while other runs went on); GET is safe to resend
            await self.close()
            return await self._get(path)

    async def _get(self, path: str) -> int:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self._host, self._port)
        reader, writer = self._streams
        writer.write(f"GET {path} HTTP/1.1\r\n{self._head}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        return int(head.split(b" ", 2)[1])

    async def close(self) -> None:
        streams, self._streams = self._streams, None
        if streams is not None:
            streams[1].close()
            with contextlib.suppress(ConnectionError):
                await streams[1].wait_closed()


T = TypeVar("T")


async def drive(
    clients: Sequence[T],
    request: Callable[[T, int], Awaitable[int]],
    *,
    name: str,
    total: int,
    max_s: float,
    think_s: float = 0.0,
    server_pid: int | None = None,
) -> Run:
    """`total` requests shared by the clients (stopping early after `max_s`), each client in a loop.

    With `think_s`, each client starts at a random moment within one think time and pauses
    0.5-1.5 x `think_s` between requests, so the paced load arrives spread out, not in waves.
    """
    run = Run(name)
    remaining = [total]
    deadline = time.monotonic() + max_s

    async def client_loop(client: T) -> None:
        n = 0
        if think_s:  # clients that start together and pause alike would arrive in bursts
            await asyncio.sleep(random.uniform(0, think_s))
        while remaining[0] > 0 and time.monotonic() < deadline:
            remaining[0] -= 1
            started = time.perf_counter()
            status = await request(client, n)
            run.ms.append((time.perf_counter() - started) * 1000)
            run.statuses[status] += 1
            n += 1
            if think_s:
                await asyncio.sleep(random.uniform(0.5, 1.5) * think_s)

    server_cpu = cpu_seconds(server_pid) if server_pid else 0.0
    driver_cpu = time.process_time()
    busy, jiffies = cpu_jiffies()
    started = time.perf_counter()
    await asyncio.gather(*(client_loop(c) for c in clients))
    run.elapsed_s = time.perf_counter() - started
    busy_after, jiffies_after = cpu_jiffies()
    run.machine_busy = (busy_after - busy) / max(jiffies_after - jiffies, 1.0)
    run.driver_cpu_s = time.process_time() - driver_cpu
    run.server_cpu_s = cpu_seconds(server_pid) - server_cpu if server_pid else 0.0
    return run


@contextmanager
def py_spy(pid: int, out: Path, *, rate: int = 250) -> Iterator[None]:
    """Sample the server with py-spy while the block runs (collapsed stacks, one per line, to `out`)."""
    spy = Path(sys.executable).with_name("py-spy")
    command = [
        str(spy),
        "record",
        "--pid",
        str(pid),
        "--rate",
        str(rate),
        "--gil",
        "--format",
        "raw",
        "--output",
        str(out),
    ]
    recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)  # py-spy attaches before the load starts
    try:
        yield
    finally:
        recorder.send_signal(2)  # SIGINT: py-spy writes its file and exits
        recorder.wait(timeout=30)
