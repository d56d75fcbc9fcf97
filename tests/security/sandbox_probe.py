"""Runs inside a sandbox child in place of a parser: what could a hostile file's code reach?

argv: out folder, the worker's pid, a loopback port and a Unix socket the worker listens on.
Writes `probe.json`.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
from pathlib import Path


def _read(path: str) -> str:
    try:
        return "read" if Path(path).read_bytes() is not None else "empty"
    except OSError as exc:
        return f"refused: {exc.strerror}"


def _connect(host: str, port: int) -> str:
    try:
        with socket.create_connection((host, port), timeout=2):
            return "connected"
    except OSError as exc:
        return f"refused: {exc.strerror or exc}"


def _effective_capabilities() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return int(line.split()[1], 16)
    return -1


def _connect_unix(path: str) -> str:
    try:
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(2)
            client.connect(path)
            return "connected"
    except OSError as exc:
        return f"refused: {exc.strerror or exc}"


def main(argv: list[str]) -> int:
    out, worker_pid, port, unix_path = Path(argv[0]), argv[1], int(argv[2]), argv[3]
    report = {
        "uid": os.getuid(),
        "capabilities": _effective_capabilities(),
        "environment": sorted(os.environ),
        "tmp": tempfile.gettempdir(),
        "parent_environ": _read(f"/proc/{os.getppid()}/environ"),
        "worker_environ": _read(f"/proc/{worker_pid}/environ"),
        "loopback": _connect("127.0.0.1", port),
        "outside": _connect("1.1.1.1", 443),
        "unix": _connect_unix(unix_path),
    }
    (out / "probe.json").write_text(json.dumps(report))
    return 0
