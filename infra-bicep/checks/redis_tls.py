"""Redis must speak TLS only: checkov's ARM/Bicep set has no Redis TLS check (only Terraform's)."""

from __future__ import annotations

from typing import Any

from checkov.bicep.checks.resource.base_resource_check import BaseResourceCheck
from checkov.common.models.enums import CheckCategories, CheckResult


class RedisCacheTlsOnly(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure Azure Cache for Redis has the non-TLS port off and TLS 1.2 or newer",
            id="CKV_STUDYAID_1",
            categories=(CheckCategories.ENCRYPTION,),
            supported_resources=("Microsoft.Cache/redis",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        properties = conf.get("properties") or {}
        if properties.get("enableNonSslPort") not in (None, False):
            return CheckResult.FAILED
        if str(properties.get("minimumTlsVersion", "")) not in ("1.2", "1.3"):
            return CheckResult.FAILED
        return CheckResult.PASSED


class ManagedRedisTlsOnly(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure Azure Managed Redis databases accept TLS clients only",
            id="CKV_STUDYAID_2",
            categories=(CheckCategories.ENCRYPTION,),
            supported_resources=("Microsoft.Cache/redisEnterprise/databases",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        properties = conf.get("properties") or {}
        if properties.get("clientProtocol") == "Encrypted":
            return CheckResult.PASSED
        return CheckResult.FAILED


redis_cache_check = RedisCacheTlsOnly()
managed_redis_check = ManagedRedisTlsOnly()
