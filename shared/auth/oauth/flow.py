"""Pending OAuth sign-ins in Redis, keyed by `state`, bound to the browser that started them.

The start route sets a random binding cookie and stores its hash with the flow (state, nonce,
PKCE verifier). The callback takes the flow exactly once (GETDEL), so a replayed callback finds
nothing, and refuses it unless the same browser's binding cookie comes back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from redis import Redis

from shared.platform.errors import Unauthenticated

FLOW_COOKIE = "studyaid_oauth"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class FlowStore:
    def __init__(self, redis: Redis, *, prefix: str, ttl_s: int) -> None:
        self._redis = redis
        self._prefix = f"{prefix}auth:oauth:"
        self._ttl = ttl_s

    def save(self, *, provider: str, flow: dict[str, Any]) -> str:
        """Keep `flow` until the callback; returns the binding value for the browser's cookie."""
        binding = secrets.token_urlsafe(32)
        record = {"provider": provider, "binding": _digest(binding), "flow": flow}
        self._redis.set(self._prefix + _digest(str(flow["state"])), json.dumps(record), ex=self._ttl)
        return binding

    def take(self, *, provider: str, state: str | None, binding: str | None) -> dict[str, Any]:
        if not state:
            raise Unauthenticated("the sign-in callback carries no state")
        raw = self._redis.getdel(self._prefix + _digest(state))
        if raw is None:
            raise Unauthenticated("unknown, expired or already used sign-in state")
        record: dict[str, Any] = json.loads(raw)
        same_browser = binding is not None and hmac.compare_digest(record["binding"], _digest(binding))
        if record["provider"] != provider or not same_browser:
            raise Unauthenticated("this sign-in was started in another browser or for another provider")
        flow: dict[str, Any] = record["flow"]
        return flow
