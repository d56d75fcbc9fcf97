"""The quota gate built from a container's pool, settings and clock."""

from __future__ import annotations

from shared.container import Container
from shared.quota.gate import QuotaGate


def quota_gate(container: Container) -> QuotaGate:
    return QuotaGate(db=container.db, settings=container.settings, clock=container.clock)
