"""The auth routes under `/auth`: password sign-in and sessions, the account's email and
password, and sign-in with Google or Microsoft."""

from __future__ import annotations

from fastapi import APIRouter

from shared.auth.api import account, oauth, sign_in

router = APIRouter(prefix="/auth", tags=["auth"])
# In this order, so the OpenAPI document (and the generated client) keeps its order.
router.include_router(oauth.router)
router.include_router(account.router)
router.include_router(sign_in.router)
