"""The application's error vocabulary, shared by the API, the workers and the streams.

Domain code raises an `AppError` subclass; the gateway renders every one of them as
`{"error": {"code", "message", "details", "request_id"}}` in one place (`gateway_errors`).
"""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    code: ClassVar[str] = "INTERNAL"
    status: ClassVar[int] = 500
    #: A permanent error is the input's fault: retrying cannot help (dead-letter at once).
    permanent: ClassVar[bool] = False

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}


class InvalidArgument(AppError):
    code = "INVALID_ARGUMENT"
    status = 400
    permanent = True


class Unauthenticated(AppError):
    code = "UNAUTHENTICATED"
    status = 401
    permanent = True


class PermissionDenied(AppError):
    code = "FORBIDDEN"
    status = 403
    permanent = True


class NotFound(AppError):
    code = "NOT_FOUND"
    status = 404
    permanent = True


class MethodNotAllowed(AppError):
    code = "METHOD_NOT_ALLOWED"
    status = 405
    permanent = True


class Conflict(AppError):
    code = "CONFLICT"
    status = 409
    permanent = True


class FailedPrecondition(AppError):
    code = "FAILED_PRECONDITION"
    status = 409
    permanent = True


class PayloadTooLarge(AppError):
    code = "PAYLOAD_TOO_LARGE"
    status = 413
    permanent = True


class UnsupportedMediaType(AppError):
    code = "UNSUPPORTED_MEDIA_TYPE"
    status = 415
    permanent = True


class RateLimited(AppError):
    code = "RATE_LIMITED"
    status = 429

    def __init__(self, message: str, *, retry_after_s: int, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, details={**(details or {}), "retry_after_s": retry_after_s})
        self.retry_after_s = retry_after_s


class QuotaExceeded(AppError):
    """A user's daily or monthly quota would be passed; `resets_at` says when it frees up."""

    code = "QUOTA_EXCEEDED"
    status = 429
    permanent = True

    def __init__(self, message: str, *, resets_at: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, details={**(details or {}), "resets_at": resets_at})
        self.resets_at = resets_at


class Unavailable(AppError):
    """A dependency (database, Redis, storage, provider) failed in a way worth retrying."""

    code = "UNAVAILABLE"
    status = 503


class Internal(AppError):
    code = "INTERNAL"
    status = 500


def _all_codes() -> tuple[str, ...]:
    classes: list[type[AppError]] = [AppError, *AppError.__subclasses__()]
    return tuple(sorted({cls.code for cls in classes}))


ERROR_CODES: tuple[str, ...] = _all_codes()
