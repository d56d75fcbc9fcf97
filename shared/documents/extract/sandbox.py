"""Run the extractor in a child process with memory, CPU, wall-time and output limits.

Children are forked from our fork server (`server.py`, driven by `forkserver.py`), a fresh
single-threaded interpreter started with a minimal environment (no database or storage secrets)
that has already imported PyMuPDF, python-docx and python-pptx, so a job starts in milliseconds
instead of paying ~0.4 s of imports. The server has no network (its own namespace); each child
runs as an unprivileged user with an empty environment (`isolation.py`), limits itself first
(`child.py`: address space, CPU seconds, file size, no core) and works in the job's folder only.
A crash or a limit kills only that child; past the wall time the worker kills it.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.documents.extract.base import Rejected
from shared.documents.extract.forkserver import PROJECT_ROOT, ForkServer
from shared.documents.extract.isolation import make_undumpable, share_folder

logger = logging.getLogger(__name__)

_server_lock = threading.Lock()
_server: ForkServer | None = None


def _fork_server() -> ForkServer:
    global _server
    with _server_lock:
        if _server is None:
            make_undumpable()  # the worker's environment holds every secret: not readable via /proc
            _server = ForkServer(_environment())
        return _server


@dataclass(frozen=True)
class SandboxLimits:
    memory_mb: int = 1536
    cpu_seconds: int = 120
    wall_seconds: float = 180.0
    output_max_bytes: int = 256 * 1024 * 1024
    max_pages: int = 2000
    tessdata: str | None = None
    ocr_language: str = "eng"
    ocr_dpi: int = 200


@dataclass(frozen=True)
class SandboxResult:
    summary: dict[str, Any]
    images: dict[str, tuple[str, bytes]]


def run_extraction(data: bytes, *, kind: str, limits: SandboxLimits) -> SandboxResult:
    with tempfile.TemporaryDirectory(prefix="extract-") as tmp:
        folder = Path(tmp)
        source, out = folder / f"input.{kind}", folder / "out"
        source.write_bytes(data)
        out.mkdir()
        returncode = run_job(folder, argv=_command(source, kind, out, limits), wall_seconds=limits.wall_seconds)
        if returncode is None:
            raise Rejected("EXTRACTION_LIMIT", f"extraction took longer than {limits.wall_seconds:.0f} s")
        return _collect(out, returncode, limits.output_max_bytes)


def run_job(folder: Path, *, argv: list[str], wall_seconds: float, entry: str | None = None) -> int | None:
    """Run one confined child over `folder` (handed to the sandbox user); its exit code, None past the wall time.

    `entry` (`module:function`, default the extractor) is what the child runs after confinement."""
    server = _fork_server()
    private = folder / "tmp"
    private.mkdir(exist_ok=True)
    share_folder(str(folder), server.isolation())
    return server.run(argv, timeout_s=wall_seconds, tmp=str(private), entry=entry)


def _command(source: Path, kind: str, out: Path, limits: SandboxLimits) -> list[str]:
    command = ["--input", str(source), "--kind", kind]
    command += ["--out", str(out), "--max-pages", str(limits.max_pages), "--memory-mb", str(limits.memory_mb)]
    command += ["--cpu-seconds", str(limits.cpu_seconds), "--max-file-bytes", str(limits.output_max_bytes)]
    if limits.tessdata:
        command += ["--ocr", "--tessdata", limits.tessdata, "--ocr-language", limits.ocr_language]
        command += ["--ocr-dpi", str(limits.ocr_dpi)]
    return command


def _environment() -> dict[str, str]:
    """What the fork server and its children see: no secrets, and the worker's import path (on Azure
    the packages live in `.python_packages`, which the host adds to `sys.path`, not to PYTHONPATH)."""
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "HOME") if k in os.environ}
    paths = [str(PROJECT_ROOT), *(p for p in sys.path if p and os.path.isdir(p))]
    pythonpath = os.pathsep.join(dict.fromkeys(paths))
    return {**keep, "PYTHONPATH": pythonpath, "OMP_THREAD_LIMIT": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def _collect(out: Path, returncode: int, output_max: int) -> SandboxResult:
    error = out / "error.json"
    if error.exists():
        failure = json.loads(error.read_text())
        if failure.get("detail"):
            logger.warning("extraction refused the file (%s): %s", failure["code"], failure["detail"])
        raise Rejected(str(failure["code"]), str(failure["message"]))
    if returncode != 0:
        raise crash_reason(returncode)
    files = [p for p in out.rglob("*") if p.is_file()]
    if sum(p.stat().st_size for p in files) > output_max:
        raise Rejected("EXTRACTION_LIMIT", f"extraction produced more than {output_max} bytes")
    summary = json.loads((out / "result.json").read_text())
    images = {ref: (ext, (out / "images" / f"{ref}.{ext}").read_bytes()) for ref, ext in summary["images"].items()}
    return SandboxResult(summary=summary, images=images)


def crash_reason(returncode: int) -> Rejected:
    signals = {
        -signal.SIGXCPU: ("EXTRACTION_LIMIT", "extraction used more CPU time than allowed"),
        -signal.SIGKILL: ("EXTRACTION_LIMIT", "extraction was killed at its CPU or memory limit"),
        -signal.SIGXFSZ: ("EXTRACTION_LIMIT", "extraction wrote a file larger than allowed"),
    }
    code, message = signals.get(returncode, ("CORRUPT_FILE", f"the parser crashed on this file (exit {returncode})"))
    return Rejected(code, message)
