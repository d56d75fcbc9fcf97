"""The `/v1` routers of every context. Add one line per context router."""

from __future__ import annotations

from fastapi import APIRouter


def v1_routers() -> list[APIRouter]:
    routers: list[APIRouter] = []
    return routers
