"""Reading the Bicep in infra-bicep/ for tests: parse with pycep, pull out names and settings."""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from pycep import BicepParser

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra-bicep"
CHECKOV = ROOT / ".venv-tools" / "bin" / "checkov"
CUSTOM_CHECKS = INFRA / "checks"


def bicep_files() -> list[Path]:
    return sorted(INFRA.rglob("*.bicep"))


@cache
def _parser() -> BicepParser:
    return BicepParser()  # building the grammar costs about a second: build it once


@cache
def parse(path: Path) -> dict[str, Any]:
    """The pycep document of one file (raises lark's UnexpectedInput on a syntax error)."""
    return dict(_parser().parse(file_path=path))


def variable(path: Path, name: str) -> Any:
    return parse(path)["variables"][name]["value"]


def setting_names(items: list[dict[str, Any]]) -> list[str]:
    """Names from a literal list of `{name: ..., ...}` objects (quotes stripped)."""
    return [str(item["name"]).strip("'") for item in items]


def run_checkov(target: Path) -> dict[str, Any]:
    """Run checkov (its own venv) on a file or folder; the JSON report of the Bicep framework.

    `--skip-download` keeps it offline: no policy or guideline download from any platform.
    """
    if not CHECKOV.exists():
        raise FileNotFoundError(f"{CHECKOV} is missing: run `make bootstrap` (scripts/bootstrap.sh builds .venv-tools)")
    flag = "-d" if target.is_dir() else "-f"
    command = [str(CHECKOV), flag, str(target), "--framework", "bicep", "--output", "json", "--skip-download"]
    command += ["--external-checks-dir", str(CUSTOM_CHECKS)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"checkov crashed ({done.returncode}): {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report
