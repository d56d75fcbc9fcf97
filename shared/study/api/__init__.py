"""The `/v1` routes of the study context: reviews, Anki export, quizzes, the plan and questions."""

from __future__ import annotations

from fastapi import APIRouter

from shared.study.api import learn, plan, reviews

router = APIRouter()
router.include_router(reviews.router)
router.include_router(learn.router)
router.include_router(plan.router)
