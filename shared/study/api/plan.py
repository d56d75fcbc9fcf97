"""Routes of the study plan and the student's study settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from shared.auth.deps import CurrentUser
from shared.deps import ContainerDep
from shared.platform.db import reading
from shared.study.contracts import Plan, StudySettings, StudySettingsUpdate
from shared.study.plan.service import MAX_DAYS, MIN_DAYS, build_plan
from shared.study.plan.store import read_settings, save_settings

router = APIRouter(tags=["study"])


@router.get("/plan", summary="Reviews and readings per day until upcoming assignments are due")
def plan(
    principal: CurrentUser, container: ContainerDep, days: Annotated[int, Query(ge=MIN_DAYS, le=MAX_DAYS)] = 14
) -> Plan:
    with reading(container.db) as conn:
        return build_plan(conn, user_id=principal.user_id, now=container.clock.now(), days=days)


@router.get("/study/settings")
def settings(principal: CurrentUser, container: ContainerDep) -> StudySettings:
    with reading(container.db) as conn:
        return read_settings(conn, user_id=principal.user_id)[0]


@router.put("/study/settings", summary="Set the daily minute budget and the daily digest email")
def update_settings(body: StudySettingsUpdate, principal: CurrentUser, container: ContainerDep) -> StudySettings:
    with reading(container.db) as conn:
        save_settings(conn, user_id=principal.user_id, change=body)
        return read_settings(conn, user_id=principal.user_id)[0]
