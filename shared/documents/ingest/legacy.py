"""Legacy formats (DOC, PPT, ODT, ODP, RTF) to DOCX/PPTX with LibreOffice headless, inside the sandbox.

LibreOffice reads hostile files too (and follows links in them), so it runs in a confined child of
the extraction fork server: no network, an unprivileged user, an empty environment. Each conversion
gets its own user profile (a profile is locked while in use) in the job's private folder, its own
session (a timeout kills soffice and its children), and CPU and file-size limits.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import tempfile
from pathlib import Path

from shared.documents.extract.base import Rejected
from shared.documents.extract.sandbox import run_job

TARGET = {"doc": "docx", "rtf": "docx", "odt": "docx", "ppt": "pptx", "odp": "pptx"}
ENTRY = "shared.documents.ingest.legacy:convert_main"
OUTPUT_MAX_BYTES = 256 * 1024 * 1024


def convert_legacy(data: bytes, *, kind: str, binary: str, timeout_s: float) -> tuple[bytes, str]:
    """Returns (converted bytes, new kind: docx or pptx)."""
    target = TARGET[kind]
    with tempfile.TemporaryDirectory(prefix="soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"input.{kind}"
        source.write_bytes(data)
        (folder / "out").mkdir()
        argv = [binary, str(source), target, str(folder / "out"), str(timeout_s)]
        code = run_job(folder, argv=argv, wall_seconds=timeout_s + 10, entry=ENTRY)
        if code is None:
            raise Rejected("CONVERSION_FAILED", f"LibreOffice took longer than {timeout_s:.0f} s")
        failure = folder / "out" / "error.json"
        if failure.exists():
            raise Rejected("CONVERSION_FAILED", str(json.loads(failure.read_text())["message"]))
        produced = folder / "out" / f"input.{target}"
        if code != 0 or not produced.exists() or produced.stat().st_size == 0:
            raise Rejected("CONVERSION_FAILED", f"LibreOffice could not convert this {kind.upper()} file")
        return produced.read_bytes(), target


def convert_main(argv: list[str]) -> int:
    """The confined child: run soffice on `source` into `out` (argv: binary source target out timeout)."""
    binary, source, target, out, timeout = argv
    cpu = int(float(timeout)) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_MAX_BYTES, OUTPUT_MAX_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    profile = Path(out).parent / "tmp" / "profile"  # the job's private folder: a fresh profile each time
    command = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    command += ["--convert-to", target, "--outdir", out, source]
    try:
        _run(command, float(timeout))
    except Rejected as exc:
        (Path(out) / "error.json").write_text(json.dumps({"code": exc.code, "message": exc.message}))
        return 3
    return 0


def _run(command: list[str], timeout_s: float) -> None:
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except FileNotFoundError as exc:
        raise Rejected("CONVERSION_FAILED", f"LibreOffice ({command[0]}) is not installed") from exc
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise Rejected("CONVERSION_FAILED", f"LibreOffice took longer than {timeout_s:.0f} s") from None
