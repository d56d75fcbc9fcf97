"""Sandbox probe (F4): code running where a parser runs cannot read the worker's secrets or reach a socket."""

from __future__ import annotations

import json
import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.documents.extract.sandbox import run_job
from tests.support.documents_files import corpus

PROBE = "tests.security.sandbox_probe:main"


Listener = tuple[int, str]


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A loopback TCP port and a Unix socket under /run, where local services keep theirs."""
    unix_path = f"/run/studyaid-probe-{uuid.uuid4().hex[:8]}.sock"
    with socket.socket() as tcp, socket.socket(socket.AF_UNIX) as unix:
        tcp.bind(("127.0.0.1", 0))
        tcp.listen()
        unix.bind(unix_path)
        unix.listen()
        try:
            yield tcp.getsockname()[1], unix_path
        finally:
            os.unlink(unix_path)


def _probe(listening: Listener) -> dict[str, object]:
    port, unix_path = listening
    with tempfile.TemporaryDirectory(prefix="probe-") as tmp:
        folder = Path(tmp)
        (folder / "out").mkdir()
        argv = [str(folder / "out"), str(os.getpid()), str(port), unix_path]
        code = run_job(folder, argv=argv, wall_seconds=30, entry=PROBE)
        assert code == 0
        report: dict[str, object] = json.loads((folder / "out" / "probe.json").read_text())
        assert str(report["tmp"]).startswith(str(folder))
        return report


def test_the_child_has_no_network(listener: Listener) -> None:
    report = _probe(listener)
    assert str(report["loopback"]).startswith("refused")
    assert str(report["outside"]).startswith("refused")
    assert str(report["unix"]).startswith("refused")


def test_the_child_sees_an_empty_environment_and_a_private_temp_folder(listener: Listener) -> None:
    report = _probe(listener)
    environment = report["environment"]
    assert isinstance(environment, list)
    assert set(environment) <= {"PATH", "LANG", "OMP_THREAD_LIMIT", "HOME", "TMPDIR"}


def test_the_child_cannot_read_the_worker_or_parent_environment(listener: Listener) -> None:
    report = _probe(listener)
    assert report["uid"] != 0 or report["capabilities"] == 0
    assert str(report["worker_environ"]).startswith("refused")
    assert str(report["parent_environ"]).startswith("refused")


@pytest.mark.slow
def test_libreoffice_converts_inside_the_sandbox() -> None:
    from shared.documents.ingest.legacy import convert_legacy

    converted, kind = convert_legacy(corpus("legacy-sample.doc"), kind="doc", binary="soffice", timeout_s=120)
    assert kind == "docx" and converted.startswith(b"PK")
