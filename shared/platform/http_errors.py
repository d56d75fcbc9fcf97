"""Rendering errors in the API's error model, in one place."""

from __future__ import annotations

from typing import Any, cast

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from shared.platform.context import current_request_id
from shared.platform.errors import (
    AppError,
    Conflict,
    InvalidArgument,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
    Unavailable,
    UnsupportedMediaType,
)

# Framework errors (unknown route, wrong method, ...) take the code of the class for their status.
_STATUS_CODES = {
    cls.status: cls.code
    for cls in (
        InvalidArgument,
        Unauthenticated,
        PermissionDenied,
        NotFound,
        MethodNotAllowed,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        RateLimited,
        Unavailable,
    )
}


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: dict[str, Any]
    request_id: str | None


class ErrorBody(BaseModel):
    error: ErrorDetail


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> JSONResponse:
    body = ErrorBody(
        error=ErrorDetail(
            code=code, message=message, details=field_map(details or {}, message), request_id=current_request_id()
        )
    )
    return JSONResponse(body.model_dump(), status_code=status)


def field_map(details: dict[str, Any], message: str) -> dict[str, Any]:
    """Add the specification's `{"field": "info"}` entries beside our own details: one per entry
    of `fields` (validation problems), and one for a `field` an error names. Ours win a clash."""
    named: dict[str, Any] = {}
    for problem in details.get("fields", ()):
        named.setdefault(problem["field"], problem["message"])
    if isinstance(details.get("field"), str):
        named.setdefault(details["field"], message)
    return {**named, **details}


async def app_error_handler(_request: Request, raised: Exception) -> JSONResponse:
    exc = cast(AppError, raised)  # registered for AppError only
    response = error_response(exc.status, exc.code, exc.message, exc.details)
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after_s)
    return response


async def validation_error_handler(_request: Request, raised: Exception) -> JSONResponse:
    exc = cast(RequestValidationError, raised)
    problems = [_describe(error) for error in exc.errors()]
    malformed = any(p["type"] == "json_invalid" for p in problems)
    message = "the request body is not valid JSON" if malformed else "the request is not valid"
    return error_response(400, "INVALID_ARGUMENT", message, {"fields": problems})


def _describe(error: Any) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ())]
    field = ".".join(location[1:]) or (location[0] if location else "")
    return {"field": field, "type": error.get("type", ""), "message": error.get("msg", "")}


async def http_error_handler(request: Request, raised: Exception) -> JSONResponse:
    exc = cast(StarletteHTTPException, raised)
    code = _STATUS_CODES.get(exc.status_code, "INTERNAL" if exc.status_code >= 500 else "INVALID_ARGUMENT")
    message = "no such route" if exc.status_code == 404 else str(exc.detail)
    response = error_response(exc.status_code, code, message)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(allowed_methods(request))
    return response


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)
