"""The blob-service CORS rules: the Bicep deploys the same rules `make dev` sets on Azurite."""

from __future__ import annotations

from typing import Any

from devtools.devhost.blob_cors import ALLOWED_HEADERS, ALLOWED_METHODS, EXPOSED_HEADERS, MAX_AGE_SECONDS
from tests.support.bicep import INFRA, parse


def _deployed_rule() -> dict[str, Any]:
    cors = parse(INFRA / "modules" / "storage.bicep")["resources"]["blobService"]["config"]["properties"]["cors"]
    operands = cors["corsRules"]["operator"]["operands"]
    assert operands["true_value"] == []  # no origins configured: no rules, so no browser access
    [rule] = operands["false_value"]
    return dict(rule)


def test_bicep_rules_match_the_local_ones() -> None:
    rule = _deployed_rule()
    assert rule["allowedOrigins"] == "corsOrigins"
    assert tuple(rule["allowedMethods"]) == ALLOWED_METHODS
    assert tuple(rule["allowedHeaders"]) == ALLOWED_HEADERS
    assert tuple(rule["exposedHeaders"]) == EXPOSED_HEADERS
    assert rule["maxAgeInSeconds"] == MAX_AGE_SECONDS


def test_storage_gets_the_same_origins_as_the_api() -> None:
    params = parse(INFRA / "main.bicep")["modules"]["storage"]["config"]["params"]
    assert "corsOrigins" in str(params["corsOrigins"])
    assert "split" in str(params["corsOrigins"])
