"""What can go wrong talking to Canvas, with a reason a student or operator can act on."""

from __future__ import annotations

import json

import httpx


class CanvasError(Exception):
    """A Canvas request failed. `reason` is safe to show and to store (no tokens, no file URLs)."""

    code = "CANVAS_ERROR"

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class CanvasAuthExpired(CanvasError):
    code = "CANVAS_TOKEN_EXPIRED"


class CanvasNotConnected(CanvasError):
    code = "CANVAS_NOT_CONNECTED"


class CanvasPermissionDenied(CanvasError):
    code = "CANVAS_PERMISSION_DENIED"


class CanvasNotFound(CanvasError):
    code = "CANVAS_NOT_FOUND"


class CanvasThrottled(CanvasError):
    code = "CANVAS_RATE_LIMITED"


class CanvasUnavailable(CanvasError):
    code = "CANVAS_UNAVAILABLE"


class CanvasRefusedUrl(CanvasError):
    code = "CANVAS_URL_REFUSED"


class CanvasFileTooLarge(CanvasError):
    code = "CANVAS_FILE_TOO_LARGE"


class DocumentRejected(CanvasError):
    """The documents context refused the file (for example, its contents are not its kind)."""

    code = "DOCUMENT_REJECTED"


def canvas_messages(response: httpx.Response) -> str:
    """The `{"errors":[{"message"}]}` messages of a Canvas error body, else a short text."""
    text = response.text[:2000]
    try:
        body = json.loads(text)
    except ValueError:
        return text.strip()[:200] or response.reason_phrase
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list):
        found = [str(e.get("message")) for e in errors if isinstance(e, dict) and e.get("message")]
        if found:
            return "; ".join(found)[:300]
    if isinstance(errors, dict):
        return "; ".join(f"{k}: {v}" for k, v in errors.items())[:300]
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])[:300]
    return response.reason_phrase


def error_for(response: httpx.Response, *, what: str) -> CanvasError:
    """Map a final (non-retried) error response to the matching CanvasError."""
    status = response.status_code
    message = canvas_messages(response)
    if status == 401 and "www-authenticate" in response.headers:
        return CanvasAuthExpired(f"Canvas refused the access token for {what}: {message}", status=status)
    if status in (401, 403):
        return CanvasPermissionDenied(f"Canvas does not allow {what}: {message}", status=status)
    if status == 404:
        return CanvasNotFound(f"Canvas has no {what}: {message}", status=status)
    if status == 429:
        return CanvasThrottled(f"Canvas kept rate-limiting {what}", status=status)
    if status >= 500:
        return CanvasUnavailable(f"Canvas failed on {what} ({status}): {message}", status=status)
    return CanvasError(f"Canvas answered {status} for {what}: {message}", status=status)
