"""The hashed lock files are in step with the pinned sources they are compiled from (scripts/lock.sh).

Offline: the `# via` notes uv writes say why each locked package is there; every package must trace
back to a requirement of the source, and every requirement of the source must be locked at its pin.
`make lock-check` recompiles against the package index for the full comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Locked:
    version: str
    hashes: int = 0
    via: list[str] = field(default_factory=list)


def source_pins(path: Path) -> dict[str, str]:
    """Name → version of every requirement of a .in file and the .in files it includes (-r)."""
    pins: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins |= source_pins(path.parent / line[3:].strip())
        elif line:
            found = PIN.match(line)
            assert found, f"{path.name}: not pinned with ==: {line}"
            pins[normal(found[1])] = found[2]
    return pins


def parse_lock(path: Path) -> dict[str, Locked]:
    entries: dict[str, Locked] = {}
    current: Locked | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if found := PIN.match(raw):
            current = entries[normal(found[1])] = Locked(found[2])
        elif current is not None and line.startswith("--hash=sha256:"):
            current.hashes += 1
        elif current is not None and line.startswith("# via"):
            current.via += [line.removeprefix("# via").strip()] if line != "# via" else []
        elif current is not None and line.startswith("#   "):
            current.via.append(line.removeprefix("#").strip())
    return entries


def untraced(lock: dict[str, Locked], roots: set[str]) -> set[str]:
    """Locked packages that no chain of `via` notes leads to from a requirement of the source."""
    reached = set(roots)
    grew = True
    while grew:
        grew = False
        for name, entry in lock.items():
            if name not in reached and any(normal(v) in reached for v in entry.via if not v.startswith("-")):
                reached.add(name)
                grew = True
    return set(lock) - reached


LOCKS = [
    ("requirements.in", "requirements.txt"),
    ("requirements-dev.in", "requirements-dev.txt"),
    ("requirements-tools.in", "requirements-tools.txt"),
]


@pytest.mark.parametrize("source, lock_file", LOCKS)
def test_every_locked_package_is_pinned_with_hashes_and_traces_back_to_the_source(source: str, lock_file: str) -> None:
    pins, lock = source_pins(ROOT / source), parse_lock(ROOT / lock_file)
    assert lock, f"{lock_file} locks nothing"
    assert [name for name, entry in lock.items() if entry.hashes == 0] == []
    stale = {name: pin for name, pin in pins.items() if name not in lock or lock[name].version != pin}
    assert stale == {}, f"{source} pins these differently from {lock_file}; run make lock"
    assert untraced(lock, set(pins)) == set(), f"{lock_file} holds packages {source} no longer needs; run make lock"


def test_the_development_lock_uses_the_run_time_versions() -> None:
    runtime, dev = parse_lock(ROOT / "requirements.txt"), parse_lock(ROOT / "requirements-dev.txt")
    assert {n: (e.version, dev[n].version) for n, e in runtime.items() if dev.get(n, e).version != e.version} == {}
    assert set(runtime) <= set(dev)


def test_a_lock_out_of_step_with_its_source_is_caught(tmp_path: Path) -> None:
    """The checks above can fail: a dropped requirement and a changed pin both show."""
    (tmp_path / "requirements.in").write_text("httpx==0.28.1\n")
    (tmp_path / "requirements.txt").write_text(
        "anyio==4.16.0 \\\n    --hash=sha256:aa\n    # via httpx\n"
        "httpx==0.28.1 \\\n    --hash=sha256:bb\n    # via -r requirements.in\n"
        "idna==3.10 \\\n    --hash=sha256:cc\n    # via -r requirements.in\n"
        "sniffio==1.3.1 \\\n    --hash=sha256:dd\n    # via\n    #   anyio\n    #   idna\n"
    )
    lock, pins = parse_lock(tmp_path / "requirements.txt"), source_pins(tmp_path / "requirements.in")
    assert pins == {"httpx": "0.28.1"} and lock["sniffio"].via == ["anyio", "idna"]
    assert untraced(lock, set(pins)) == {"idna"}  # dropped from the source; sniffio still comes via anyio
    (tmp_path / "requirements.in").write_text("httpx==0.28.0\n")
    assert source_pins(tmp_path / "requirements.in")["httpx"] != lock["httpx"].version
