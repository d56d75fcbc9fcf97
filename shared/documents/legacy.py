"""Legacy formats (DOC, PPT, ODT, ODP, RTF) to DOCX/PPTX with LibreOffice headless.

Each conversion gets its own user profile (a profile is locked while in use), its own session
(a timeout kills soffice and its children) and a private folder that is removed afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

from shared.documents.extract.base import Rejected

TARGET = {"doc": "docx", "rtf": "docx", "odt": "docx", "ppt": "pptx", "odp": "pptx"}


def convert_legacy(data: bytes, *, kind: str, binary: str, timeout_s: float) -> tuple[bytes, str]:
    """Returns (converted bytes, new kind: docx or pptx)."""
    target = TARGET[kind]
    with tempfile.TemporaryDirectory(prefix="soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"input.{kind}"
        source.write_bytes(data)
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        _run(command, timeout_s, folder)
        produced = folder / "out" / f"input.{target}"
        if not produced.exists() or produced.stat().st_size == 0:
            raise Rejected("CONVERSION_FAILED", f"LibreOffice could not convert this {kind.upper()} file")
        return produced.read_bytes(), target


def _run(command: list[str], timeout_s: float, home: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8"}
    try:
        process = subprocess.Popen(
            command,
            env=env,
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
