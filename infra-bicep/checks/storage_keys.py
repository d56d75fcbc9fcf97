"""Storage must refuse shared keys: every client here (host, app, Event Grid) uses Entra ID."""

from __future__ import annotations

from typing import Any

from checkov.bicep.checks.resource.base_resource_check import BaseResourceCheck
from checkov.common.models.enums import CheckCategories, CheckResult


class StorageSharedKeyOff(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure storage accounts disable shared key access and anonymous blob access",
            id="CKV_STUDYAID_3",
            categories=(CheckCategories.IAM,),
            supported_resources=("Microsoft.Storage/storageAccounts",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        properties = conf.get("properties") or {}
        if properties.get("allowSharedKeyAccess") is False and properties.get("allowBlobPublicAccess") is False:
            return CheckResult.PASSED
        return CheckResult.FAILED


check = StorageSharedKeyOff()
