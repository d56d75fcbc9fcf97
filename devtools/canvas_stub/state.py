"""The stub's mutable state: tokens, switches for faults, the request log and the quota."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from devtools.canvas_stub.school import School

BUCKET = 700.0  # Canvas's default leaky-bucket size per token
LEAK_PER_S = 10.0


@dataclass(frozen=True)
class Logged:
    host: str  # "api" or "files"
    method: str
    path: str
    authorized: bool
    status: int


@dataclass
class StubState:
    school: School
    client_id: str
    client_secret: str
    token_ttl_s: float
    lock: threading.RLock = field(default_factory=threading.RLock)
    codes: dict[str, str] = field(default_factory=dict)  # code -> redirect_uri
    access: dict[str, float] = field(default_factory=dict)  # token -> expires (monotonic)
    refresh: set[str] = field(default_factory=set)
    throttles: list[str] = field(default_factory=list)  # "429" / "403" for the next API calls
    failing_courses: dict[int, int] = field(default_factory=dict)
    broken_files: set[int] = field(default_factory=set)
    file_url_overrides: dict[int, str] = field(default_factory=dict)
    redirect_overrides: dict[int, str] = field(default_factory=dict)
    deny_next_authorize: bool = False
    link_header_name: str = "Link"
    used: float = 0.0
    leaked_at: float = field(default_factory=time.monotonic)
    log: list[Logged] = field(default_factory=list)

    def issue_tokens(self) -> tuple[str, str]:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        self.access[access] = time.monotonic() + self.token_ttl_s
        self.refresh.add(refresh)
        return access, refresh

    def token_valid(self, token: str | None) -> bool:
        expires = self.access.get(token or "")
        return expires is not None and expires > time.monotonic()

    def spend(self, cost: float) -> float:
        """Leaky bucket: charge a request, return what is left (the X-Rate-Limit-Remaining)."""
        now = time.monotonic()
        self.used = max(0.0, self.used - (now - self.leaked_at) * LEAK_PER_S) + cost
        self.leaked_at = now
        return max(0.0, BUCKET - self.used)

    def api_requests(self) -> list[Logged]:
        return [entry for entry in self.log if entry.host == "api"]
