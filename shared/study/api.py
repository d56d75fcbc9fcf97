"""The `/v1` routes of the study context: reviews, Anki export, quizzes, the plan and questions."""

from __future__ import annotations

from fastapi import APIRouter

from shared.study import api_learn, api_plan, api_reviews

router = APIRouter()
router.include_router(api_reviews.router)
router.include_router(api_learn.router)
router.include_router(api_plan.router)
