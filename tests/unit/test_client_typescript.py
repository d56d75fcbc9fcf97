"""The committed TypeScript client is what `make codegen` makes today, and it type-checks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from shared.container import Container
from shared.gateway import create_app

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "clients" / "typescript"
GENERATED = ("openapi.json", "schema.d.ts", "routes.ts")
TSC = ROOT / "node_modules" / ".bin" / "tsc"

pytestmark = pytest.mark.slow  # node start-up and a full type-check take a few seconds


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("client")
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "scripts" / "codegen.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=180,
        cwd=ROOT,
    )
    return out


@pytest.mark.parametrize("name", GENERATED)
def test_committed_client_is_up_to_date(regenerated: Path, name: str) -> None:
    fresh, committed = (regenerated / name).read_text(), (CLIENT / name).read_text()
    assert fresh == committed, f"clients/typescript/{name} is out of date: run `make codegen` and commit it"


def test_committed_spec_is_what_the_gateway_serves() -> None:
    assert json.loads((CLIENT / "openapi.json").read_text()) == create_app(Container()).openapi()


def test_every_operation_has_a_route_constant() -> None:
    spec = json.loads((CLIENT / "openapi.json").read_text())
    routes = (CLIENT / "routes.ts").read_text()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            expected = f'method: "{method.upper()}", path: "{path}", operationId: "{operation["operationId"]}"'
            assert expected in routes


def test_client_type_checks() -> None:
    done = subprocess.run(
        [str(TSC), "--noEmit", "-p", str(CLIENT / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
