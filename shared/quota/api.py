"""`GET /v1/account/usage`: the caller's use of each metered resource against its quotas."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from shared.auth.deps import CurrentUser
from shared.deps import ContainerDep
from shared.quota.contracts import Metric
from shared.quota.periods import Period

router = APIRouter(prefix="/account", tags=["account"])


class UsageLine(BaseModel):
    metric: Metric
    period: Period
    used: int
    limit: int
    remaining: int
    resets_at: datetime


class UsageView(BaseModel):
    usage: list[UsageLine]


@router.get("/usage")
def account_usage(user: CurrentUser, container: ContainerDep) -> UsageView:
    """Pages ingested, AI tokens, narration seconds and emails, today and this month (UTC)."""
    lines = container.quota.usage(user_id=user.user_id)
    return UsageView(
        usage=[
            UsageLine(
                metric=u.metric,
                period=u.period,
                used=u.used,
                limit=u.limit,
                remaining=max(0, u.limit - u.used),
                resets_at=u.resets_at,
            )
            for u in lines
        ]
    )
