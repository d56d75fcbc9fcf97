"""Retries for transient provider errors (429, 408/409, 5xx, connection) with backoff and Retry-After.

This is the one module that maps the SDK's exceptions: transient ones are retried here and end
as `ProviderUnavailable`; a refusal of the request itself (400, 401, 403, 404) is `GenerationFailed`.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import openai

from shared.ai.errors import GenerationFailed, ProviderUnavailable

logger = logging.getLogger(__name__)
T = TypeVar("T")
TRANSIENT_STATUS = frozenset({408, 409, 429})


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int
    base_s: float
    max_s: float


def call_with_retries(
    call: Callable[[], T], *, policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep
) -> tuple[T, int]:
    """The call's result and how many retries it took."""
    attempt = 0
    while True:
        try:
            return call(), attempt
        except (openai.APIConnectionError, openai.APIStatusError) as exc:
            delay = _delay_or_raise(exc, attempt=attempt, policy=policy)
            logger.warning("provider error (%s); retry %d in %.2fs", _describe(exc), attempt + 1, delay)
        sleep(delay)
        attempt += 1


def _delay_or_raise(exc: openai.APIError, *, attempt: int, policy: RetryPolicy) -> float:
    if isinstance(exc, openai.APIStatusError) and not _transient(exc.status_code):
        raise GenerationFailed("PROVIDER_REJECTED", f"the provider refused the request: {_describe(exc)}") from exc
    if attempt >= policy.max_retries:
        raise ProviderUnavailable(f"the provider kept failing after {attempt + 1} attempts: {_describe(exc)}") from exc
    asked = retry_after(exc.response.headers) if isinstance(exc, openai.APIStatusError) else None
    if asked is None:
        return min(policy.max_s, policy.base_s * 2.0**attempt) * (0.5 + random.random() / 2)
    if asked > policy.max_s:
        raise ProviderUnavailable(
            f"the provider asked to wait {asked:.0f}s ({_describe(exc)}); retrying later"
        ) from exc
    return asked


def _transient(status: int) -> bool:
    return status in TRANSIENT_STATUS or status >= 500


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from `retry-after-ms` or `Retry-After` (seconds or an HTTP date)."""
    if (millis := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


def _describe(exc: openai.APIError) -> str:
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}: {exc.message}" if status is not None else f"{type(exc).__name__}: {exc.message}"
