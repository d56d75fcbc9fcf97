"""Canvas rate limits as pure rules: when an answer is a throttle, how long to wait, how to pace.

Canvas throttles per token with a leaky bucket (700 units). It answers 429 (since 2025-10) or,
historically, 403 with "Rate Limit Exceeded" in a plain-text body; every answer may carry
`X-Rate-Limit-Remaining`, which lets a client slow down before it is refused.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

LOW_WATER = 100.0  # X-Rate-Limit-Remaining below this slows us down before Canvas says no


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 60.0


@dataclass
class ClientStats:
    requests: int = 0
    throttled: int = 0
    paced_s: float = 0.0
    refreshed: int = 0
    lowest_remaining: float | None = None


def throttled(response: httpx.Response) -> bool:
    if response.status_code == 429:
        return True
    return response.status_code == 403 and "rate limit exceeded" in response.text[:500].lower()


def remaining(response: httpx.Response) -> float | None:
    text = response.headers.get("x-rate-limit-remaining")
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def pacing_delay(policy: RetryPolicy, left: float) -> float:
    """Seconds to pause after an answer that left `left` units: 0 above LOW_WATER, up to the base."""
    if left >= LOW_WATER:
        return 0.0
    return policy.backoff_base_s * (LOW_WATER - max(left, 0.0)) / LOW_WATER


def backoff_delay(policy: RetryPolicy, attempt: int, response: httpx.Response) -> float:
    """Exponential from the base, at least `Retry-After`, capped, with jitter down to half."""
    delay: float = min(policy.backoff_cap_s, policy.backoff_base_s * float(2**attempt))
    retry_after = response.headers.get("retry-after", "")
    if retry_after.isdigit():
        delay = min(policy.backoff_cap_s, max(delay, float(retry_after)))
    return delay * (0.5 + random.random() / 2)
