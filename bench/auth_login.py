"""Cost of one login with the pinned Argon2id parameters, and memory held by 50 concurrent logins.

Two parts, side by side in one run:
1. Argon2 alone, in-process: median ms of `verify` with the pinned parameters (19 MiB, t=2, p=1)
   and with argon2-cffi's defaults (64 MiB, t=3, p=4), as a ratio.
2. Full `POST /v1/auth/login` over HTTP (uvicorn, real Postgres and Redis), each mode in a fresh
   child process: one login at a time (median ms), then 50 logins at once; peak RSS above the
   idle baseline, sampled every 2 ms from /proc. Modes: ARGON2_CONCURRENCY=2 (the default) and
   50 (no effective bound), so the bound's effect on memory and latency shows as a ratio.

Run: `.venv/bin/python -m bench.auth_login` (appends a section to bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from argon2 import PasswordHasher, profiles

from bench.harness import migrated_database, services
from shared.auth.adapters.passwords import MEMORY_COST_KIB, PARALLELISM, TIME_COST, PasswordHashing
from shared.container import Container
from shared.gateway import create_app
from shared.settings import Settings

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PASSWORD = "a long and honest benchmark password"
APP_ORIGIN = "http://localhost:5173"


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


class PeakRss:
    """Samples this process's RSS until stopped; `peak` is the highest value seen."""

    def __init__(self) -> None:
        self.peak = rss_kib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_kib())
            time.sleep(0.002)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def argon2_medians(repeats: int) -> dict[str, float]:
    pinned = PasswordHashing(concurrency=1, queue_timeout_s=60)
    stored = pinned.hash(PASSWORD)
    defaults = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
    default_hash = defaults.hash(PASSWORD)
    return {
        "pinned": _median_ms(lambda: pinned.verify(stored, PASSWORD), repeats),
        "defaults": _median_ms(lambda: defaults.verify(default_hash, PASSWORD), repeats),
    }


def _median_ms(work: object, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


# -- child: one mode, full HTTP logins -----------------------------------------------------------


def child(mode_concurrency: int, postgres_url: str, redis_url: str, blob: str, users: int, port: int) -> None:
    settings = Settings.model_validate({
        "APP_ENV": "test", "POSTGRES_URL": postgres_url, "REDIS_URL": redis_url,
        "AZURE_STORAGE_CONNECTION_STRING": blob, "STREAM_PREFIX": f"bench{uuid.uuid4().hex[:8]}:",
        "LOG_LEVEL": "WARNING", "ARGON2_CONCURRENCY": mode_concurrency, "ARGON2_QUEUE_TIMEOUT_SECONDS": 60,
        "AUTH_IP_LIMIT_PER_MINUTE": 100_000, "LOGIN_ACCOUNT_MAX_FAILURES": 100_000,
        "CORS_ORIGINS": [APP_ORIGIN],
    })  # fmt: skip
    container = Container(settings)
    emails = _seed_users(container, users)
    server = uvicorn.Server(uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    single = asyncio.run(_logins(base, emails[:1] * 20, concurrent=1))
    asyncio.run(_logins(base, emails, concurrent=len(emails)))  # warm-up: threads, pools, allocator
    baseline = rss_kib()
    with PeakRss() as peak:
        burst = asyncio.run(_logins(base, emails, concurrent=len(emails)))
    server.should_exit = True
    thread.join()
    result = {
        "single_median_ms": statistics.median(single[0]), "burst_p50_ms": statistics.median(burst[0]),
        "burst_max_ms": max(burst[0]), "burst_errors": burst[1], "baseline_mib": baseline / 1024,
        "peak_over_baseline_mib": (peak.peak - baseline) / 1024,
    }  # fmt: skip
    print(json.dumps(result))


def _seed_users(container: Container, count: int) -> list[str]:
    hashing = PasswordHashing(concurrency=2, queue_timeout_s=60)
    stored = hashing.hash(PASSWORD)  # the same hash for every seeded user: seeding is not measured
    emails = [f"bench-{uuid.uuid4().hex[:10]}@example.edu" for _ in range(count)]
    with container.db.connection() as conn:
        for email in emails:
            conn.execute(
                "INSERT INTO users (id, email, password_hash) VALUES (%s, %s, %s)", (uuid.uuid4(), email, stored)
            )
    return emails


async def _logins(base: str, emails: list[str], *, concurrent: int) -> tuple[list[float], int]:
    limits = httpx.Limits(max_connections=concurrent)
    # As the browser app does: after the first answer the jar holds a session cookie, so the CSRF check
    # wants the app's Origin on every later login.
    headers = {"Origin": APP_ORIGIN}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120, headers=headers) as client:
        gate = asyncio.Semaphore(concurrent)

        async def one(email: str) -> tuple[float, bool]:
            async with gate:
                started = time.perf_counter()
                response = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
                return (time.perf_counter() - started) * 1000, response.status_code == 200

        results = await asyncio.gather(*(one(email) for email in emails))
    return [ms for ms, _ in results], sum(1 for _, ok in results if not ok)


# -- parent ------------------------------------------------------------------------------------


def run_mode(concurrency: int, url: str, redis_url: str, blob: str, users: int, port: int) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.auth_login", "--child", str(concurrency), "--users", str(users),
               "--port", str(port), url, redis_url, blob]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=600).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--child", type=int)
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        postgres_url, redis_url, blob = args.urls
        child(args.child, postgres_url, redis_url, blob, users=args.users, port=args.port)
        return
    medians = argon2_medians(args.repeats)
    with services() as stack, migrated_database(stack) as url:
        modes = {n: run_mode(n, url, stack.redis_url, stack.storage_connection_string, args.users, args.port)
                 for n in (2, args.users)}  # fmt: skip
    report = render(args, medians, modes)
    print(report)
    with RESULTS.open("a") as out:
        out.write(report)


def render(args: argparse.Namespace, medians: dict[str, float], modes: dict[int, dict[str, float]]) -> str:
    bounded, unbounded = modes[2], modes[args.users]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"\n## Auth: login cost and memory under a burst ({when})\n",
        f"Command: `.venv/bin/python -m bench.auth_login --users {args.users} --repeats {args.repeats}`."
        f" Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; uvicorn 1 worker, Postgres and Redis"
        " on loopback.\n",
        "| Argon2id verify, in-process | median ms |",
        "|---|---|",
        f"| pinned m={MEMORY_COST_KIB} KiB, t={TIME_COST}, p={PARALLELISM} | {medians['pinned']:.1f} |",
        f"| argon2-cffi defaults m=65536, t=3, p=4 | {medians['defaults']:.1f} |",
        f"| ratio defaults / pinned | {medians['defaults'] / medians['pinned']:.2f}x |\n",
        f"| POST /v1/auth/login over HTTP | ARGON2_CONCURRENCY=2 | ={args.users} (unbounded) | ratio |",
        "|---|---|---|---|",
        _row("one login at a time, median ms", bounded, unbounded, "single_median_ms"),
        _row(f"{args.users} at once: p50 ms", bounded, unbounded, "burst_p50_ms"),
        _row(f"{args.users} at once: slowest ms", bounded, unbounded, "burst_max_ms"),
        _row(f"{args.users} at once: peak RSS above idle, MiB", bounded, unbounded, "peak_over_baseline_mib"),
        _row("idle RSS before the burst, MiB", bounded, unbounded, "baseline_mib"),
        f"| errors | {bounded['burst_errors']:.0f} | {unbounded['burst_errors']:.0f} | |\n",
    ]
    return "\n".join(lines) + "\n"


def _row(label: str, bounded: dict[str, float], unbounded: dict[str, float], key: str) -> str:
    ratio = unbounded[key] / bounded[key] if bounded[key] else float("nan")
    return f"| {label} | {bounded[key]:.1f} | {unbounded[key]:.1f} | {ratio:.2f}x |"


if __name__ == "__main__":
    main()
