"""Answers serialised once: a route builds its pydantic model and hands back the bytes.

A route that returns a model has FastAPI validate it again as the declared response model and
then serialise it; a route that returns `private_json(model)` is serialised by pydantic's own
serializer once and nothing else. Such a route declares `response_model=` on its decorator so
the OpenAPI document is the same as when it returned the model.
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


def private_json(model: BaseModel, *, status_code: int = 200) -> Response:
    """One user's data as JSON bytes made once (`SecurityHeadersMiddleware` marks every `/v1` answer no-store)."""
    body = model.__pydantic_serializer__.to_json(model)
    return Response(body, status_code=status_code, media_type="application/json")
