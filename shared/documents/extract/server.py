"""The extraction fork server: `python -m shared.documents.extract.server` (started by `forkserver.py`).

It imports the parsers once, then forks one child per job read from stdin (a JSON line with the
job id and the child's arguments) and answers on stdout with the child's pid, then its exit code.
It is single-threaded (select on stdin and a SIGCHLD wake-up pipe), so forking is safe, and it
runs with a minimal environment inside its own network namespace. Each child is confined first
(`isolation.py`: another user, an empty environment, a private temp folder), then limits itself
before touching the file (`child.py`). A job may name another entry point (`module:function`).
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import sys
from collections.abc import Callable
from typing import Any

import shared.documents.extract.preload  # noqa: F401  # the imports every child inherits warm
from shared.documents.extract.child import main as child_main
from shared.documents.extract.isolation import (
    Isolation,
    confine,
    enter_network_namespace,
    hide_run,
    make_undumpable,
    sandbox_ids,
)


def _send(message: dict[str, Any]) -> None:
    os.write(1, (json.dumps(message) + "\n").encode())


def _entry(name: str | None) -> Callable[[list[str]], int]:
    if not name:
        return child_main
    module, _, function = name.partition(":")
    entry: Callable[[list[str]], int] = getattr(importlib.import_module(module), function)
    return entry


def _start(job: dict[str, Any], jobs: dict[int, str], isolation: Isolation) -> None:
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            confine(isolation, tmp=str(job["tmp"]))
            code = _entry(job.get("entry"))([str(a) for a in job["argv"]])
        finally:
            os._exit(code)
    jobs[pid] = str(job["id"])
    _send({"id": job["id"], "pid": pid})


def _reap(jobs: dict[int, str]) -> None:
    while jobs:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        job_id = jobs.pop(pid, None)
        if job_id is not None:
            _send({"id": job_id, "code": os.waitstatus_to_exitcode(status)})


def _isolate() -> Isolation:
    root = os.geteuid() == 0  # asked before the namespace: a user namespace would hide it
    ids = sandbox_ids([p for p in sys.path if os.path.isdir(p)])
    network = enter_network_namespace()
    run = hide_run()
    make_undumpable()
    privilege = "user" if ids else "capabilities" if root else "kept"
    uid, gid = ids if ids else (None, None)
    return Isolation(network=network, uid=uid, gid=gid, privilege=privilege, run=run)


def serve() -> None:
    isolation = _isolate()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    jobs: dict[int, str] = {}
    pending = b""
    _send({"ready": True, "isolation": isolation.as_dict()})
    while True:
        readable, _, _ = select.select([0, wake_r], [], [])
        if wake_r in readable:
            while True:
                try:
                    if not os.read(wake_r, 512):
                        break
                except BlockingIOError:
                    break
        if 0 in readable:
            chunk = os.read(0, 65536)
            if not chunk:
                return  # the worker is gone; running children finish within their own limits
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                _start(json.loads(line), jobs, isolation)
        _reap(jobs)


if __name__ == "__main__":
    serve()
    sys.exit(0)
