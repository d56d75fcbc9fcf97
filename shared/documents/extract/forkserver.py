"""The worker's side of the extraction fork server: start it lazily, submit jobs, wait with a deadline.

One server per worker process; jobs from the drain's threads run concurrently in separate
children. If the server itself dies, waiting jobs fail with `ServerLost` (transient: retried).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from shared.documents.extract.isolation import Isolation

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[3]
STARTUP_TIMEOUT_S = 60.0


class ServerLost(RuntimeError):
    """The fork server stopped while a job was waiting; the job can be retried."""


@dataclass
class _Waiter:
    done: threading.Event = field(default_factory=threading.Event)
    pid: int | None = None
    code: int | None = None
    cancelled: bool = False


SERVER_MODULE = "shared.documents.extract.server"


class ForkServer:
    def __init__(self, environ: dict[str, str], *, module: str = SERVER_MODULE) -> None:
        self._environ = environ
        self._module = module
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._waiters: dict[str, _Waiter] = {}
        self._ready = threading.Event()
        self._isolation = Isolation(network="shared", uid=None, gid=None)

    def isolation(self) -> Isolation:
        """How the children are confined (starts the server if it is not running)."""
        with self._lock:
            self._ensure()
            return self._isolation

    def run(self, argv: list[str], *, timeout_s: float, tmp: str, entry: str | None = None) -> int | None:
        """The child's exit code (negative: killed by that signal), or None past the deadline.

        `tmp` is the child's private temp folder; `entry` (`module:function`) replaces the extractor."""
        job_id, waiter = uuid.uuid4().hex, _Waiter()
        job = {"id": job_id, "argv": argv, "tmp": tmp, "entry": entry}
        with self._lock:
            stdin = self._ensure()
            self._waiters[job_id] = waiter
            stdin.write((json.dumps(job) + "\n").encode())
            stdin.flush()
        if not waiter.done.wait(timeout_s):
            with self._lock:
                waiter.cancelled = True  # a child that reports its pid late is killed on arrival
                pid = waiter.pid
            if pid is not None:
                _kill(pid)
            waiter.done.wait(5)
            return None
        if waiter.code is None:
            raise ServerLost("the extraction server stopped while the file was being extracted")
        return waiter.code

    def _ensure(self) -> IO[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", self._module],
                cwd=PROJECT_ROOT,
                env=self._environ,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self._ready = threading.Event()
            threading.Thread(target=self._read, args=(self._process,), daemon=True, name="extract-server").start()
            if not self._ready.wait(STARTUP_TIMEOUT_S):
                self._process.kill()
                raise ServerLost(f"the extraction server did not start within {STARTUP_TIMEOUT_S} s")
        if self._process.stdin is None:
            raise ServerLost("the extraction server has no input pipe")
        return self._process.stdin

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        for line in process.stdout or ():
            message = json.loads(line)
            if message.get("ready"):
                self._isolation = Isolation(**message["isolation"])
                if not self._isolation.complete:
                    logger.warning("the extraction sandbox is only partly isolated: %s", message["isolation"])
                self._ready.set()
                continue
            waiter = self._waiters.get(message["id"])
            if waiter is None:
                continue
            if "pid" in message:
                with self._lock:
                    waiter.pid = int(message["pid"])
                    late = waiter.cancelled
                if late:
                    _kill(waiter.pid)
            if "code" in message:
                waiter.code = int(message["code"])
                self._waiters.pop(message["id"], None)
                waiter.done.set()
        with self._lock:
            lost = list(self._waiters.values())
            self._waiters.clear()
        for waiter in lost:
            waiter.done.set()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
