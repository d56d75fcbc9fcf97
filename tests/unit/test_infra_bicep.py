"""The Bicep is proven without the Bicep CLI: every file parses, checkov passes ours and fails a
deliberately bad file (so it really parses them), and every skip carries its reason."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from lark.exceptions import UnexpectedInput

from tests.support.bicep import INFRA, ROOT, bicep_files, parse, run_checkov

BAD_BICEP = ROOT / "tests" / "fixtures" / "bad.bicep"
JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "int": int,
    "bool": bool,
    "array": list,
    "object": dict,
}
SKIP_COMMENT = re.compile(r"checkov:skip=(?P<ids>[A-Z0-9_,]+)(?P<reason>:.*)?$")

# What bad.bicep seeds, by the check that must catch it.
SEEDED_FAULTS = {
    "CKV_AZURE_70": "function app reachable over HTTP",
    "CKV_AZURE_145": "function app allows TLS 1.0",
    "CKV_AZURE_78": "FTP deployments allowed",
    "CKV_AZURE_71": "no managed identity",
    "CKV_AZURE_72": "remote debugging on",
    "CKV_AZURE_57": "CORS allows every origin",
    "CKV_AZURE_110": "Key Vault without purge protection",
    "CKV_AZURE_111": "Key Vault without soft delete",
    "CKV_AZURE_89": "Redis open to public networks",
    "CKV_STUDYAID_1": "Redis non-TLS port and TLS 1.0",
    "CKV_STUDYAID_2": "Managed Redis accepting plaintext",
    "CKV_STUDYAID_3": "storage with shared keys and anonymous access",
    "CKV_AZURE_3": "storage allows HTTP",
    "CKV_AZURE_44": "storage allows TLS 1.0",
    "CKV_AZURE_34": "public blob container",
}


pytestmark = pytest.mark.slow  # checkov takes a few seconds per run


@pytest.fixture(scope="module")
def infra_report() -> dict[str, Any]:
    return run_checkov(INFRA)


def _ids(report: dict[str, Any], kind: str) -> set[str]:
    return {check["check_id"] for check in report["results"][kind]}


def test_infra_has_bicep_to_check() -> None:
    names = {path.relative_to(INFRA).as_posix() for path in bicep_files()}
    assert {"main.bicep", "blob-events.bicep", "modules/function-app.bicep", "modules/workers-aca.bicep"} <= names


@pytest.mark.parametrize("path", bicep_files(), ids=lambda p: p.relative_to(INFRA).as_posix())
def test_every_bicep_file_parses(path: Path) -> None:
    document = parse(path)
    assert document["resources"] or document["modules"], f"{path.name} declares nothing"


def test_checkov_passes_our_bicep(infra_report: dict[str, Any]) -> None:
    summary = infra_report["summary"]
    failed = [f"{c['check_id']} {c['resource']} ({c['file_path']})" for c in infra_report["results"]["failed_checks"]]
    assert failed == []
    assert summary["parsing_errors"] == 0, infra_report["results"]["parsing_errors"]
    assert summary["passed"] >= 40
    assert summary["resource_count"] >= 40


# The baseline our Bicep must be seen to meet: evaluated and passed, not merely absent.
BASELINE_PASSED = {
    "CKV_AZURE_70": "function app HTTPS only",
    "CKV_AZURE_145": "function app TLS 1.2",
    "CKV_AZURE_78": "FTP off",
    "CKV_AZURE_71": "managed identity",
    "CKV_AZURE_72": "remote debugging off",
    "CKV_AZURE_110": "Key Vault purge protection",
    "CKV_AZURE_42": "Key Vault recoverable",
    "CKV_AZURE_3": "storage HTTPS only",
    "CKV_AZURE_44": "storage TLS 1.2",
    "CKV_AZURE_34": "private containers",
    "CKV_AZURE_114": "secrets have a content type",
    "CKV_STUDYAID_2": "Managed Redis TLS only",
    "CKV_STUDYAID_3": "storage without shared keys or anonymous access",
}


def test_our_bicep_meets_the_baseline(infra_report: dict[str, Any]) -> None:
    unmet = {check: why for check, why in BASELINE_PASSED.items() if check not in _ids(infra_report, "passed_checks")}
    assert unmet == {}


def test_every_declared_skip_has_a_reason_and_is_used(infra_report: dict[str, Any]) -> None:
    declared: set[tuple[str, str]] = set()
    for path in bicep_files():
        for line in path.read_text().splitlines():
            match = SKIP_COMMENT.search(line)
            if match is None:
                continue
            reason = (match["reason"] or ":").lstrip(":").strip()
            assert len(reason) >= 30, f"{path.name}: skip {match['ids']} needs a written reason"
            declared |= {(f"/{path.relative_to(INFRA).as_posix()}", check) for check in match["ids"].split(",")}
    used = {(check["file_path"], check["check_id"]) for check in infra_report["results"]["skipped_checks"]}
    assert declared == used, "a skip comment that matches no check is stale; remove it"


def test_checkov_flags_every_seeded_fault_in_bad_bicep() -> None:
    report = run_checkov(BAD_BICEP)
    assert report["summary"]["parsing_errors"] == 0
    missed = {check: why for check, why in SEEDED_FAULTS.items() if check not in _ids(report, "failed_checks")}
    assert missed == {}


@pytest.mark.parametrize(
    "name", ["main.parameters.json", "parameters/dev.parameters.json", "parameters/prod.parameters.json"]
)
def test_parameter_files_name_only_declared_parameters(name: str) -> None:
    declared = parse(INFRA / "main.bicep")["parameters"]
    given = json.loads((INFRA / name).read_text())["parameters"]
    assert set(given) - set(declared) == set()
    required = {param for param, spec in declared.items() if spec["default"] is None}
    assert required <= set(given), f"{name} misses required parameters {sorted(required - set(given))}"
    for param, entry in given.items():
        value = entry["value"]
        if isinstance(value, str) and value.startswith("${"):
            # azd fills it from its environment, always as a string
            assert declared[param]["type"] == "string", f"{name}: {param} cannot come from an azd variable"
            continue
        assert isinstance(value, JSON_TYPES[declared[param]["type"]]), (
            f"{name}: {param} is not a {declared[param]['type']}"
        )


def test_the_parser_refuses_broken_bicep(tmp_path: Path) -> None:
    broken = tmp_path / "broken.bicep"
    broken.write_text("resource site 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'x'\n")
    with pytest.raises(UnexpectedInput):
        parse(broken)
