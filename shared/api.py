"""The `/v1` routers of every context. Add one line per context router.

Order matters for speed, not meaning (no two contexts share a path): FastAPI tries each included
router's routes in turn until one matches, so a request pays for every route listed ahead of
its own. The reads a student's app makes most (documents, search, reviews due) come first; a
detail read matched behind auth and account cost ~70 µs more, reviews due ~150 µs
(bench/functions_bench.py, in process).
"""

from __future__ import annotations

from fastapi import APIRouter

from shared.account.api import router as account_router
from shared.ai.api import router as ai_router
from shared.auth.api import router as auth_router
from shared.canvas.api import router as canvas_router
from shared.documents.api import router as documents_router
from shared.logs.api import router as logs_router
from shared.media.api import router as media_router
from shared.notify.api import router as notify_router
from shared.quota.api import router as quota_router
from shared.search.api import router as search_router
from shared.study.api import router as study_router


def v1_routers() -> list[APIRouter]:
    routers: list[APIRouter] = []
    routers.append(documents_router)  # the hot reads first: see above
    routers.append(search_router)
    routers.append(study_router)
    routers.append(auth_router)
    routers.append(account_router)
    routers.append(ai_router)
    routers.append(notify_router)
    routers.append(logs_router)
    routers.append(media_router)
    routers.append(canvas_router)
    routers.append(quota_router)
    return routers
