"""One smoke walk's state and the helpers its steps share: named calls and bounded waits."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

Json = dict[str, Any]
Say = Callable[[str], None]


class StepFailed(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step, self.reason = step, reason


@dataclass
class Walk:
    http: httpx.Client  # the API, with the walk's request id
    blobs: httpx.Client  # signed blob URLs: they carry their own authority, no API header belongs there
    say: Say
    wait_s: float = 600.0
    poll_s: float = 2.0
    doc_id: str = ""
    password: str = ""  # the walk's own account's, to delete it at the end
    media: Json = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def call(self, step: str, method: str, path: str, *expected: int, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise StepFailed(step, f"{method} {path}: {type(exc).__name__}: {exc}") from exc
        if response.status_code not in (expected or (200,)):
            raise StepFailed(step, f"{method} {path} answered {response.status_code}: {response.text[:500]}")
        return response

    def wait(self, step: str, check: Callable[[], Json | None], why: Callable[[], str]) -> Json:
        deadline = time.monotonic() + self.wait_s
        while time.monotonic() < deadline:
            found = check()
            if found is not None:
                return found
            time.sleep(self.poll_s)
        raise StepFailed(step, f"not done within {self.wait_s:.0f} s; {why()}")

    def stages(self) -> str:
        document: Json = self.call("status", "GET", f"/v1/documents/{self.doc_id}").json()
        return ", ".join(_describe(stage) for stage in document["stages"]) or "no stage has started"


def _describe(stage: Json) -> str:
    text = f"{stage['stage']} {stage['status']}"
    if stage.get("error_code") or stage.get("error_message"):
        text += f" ({stage.get('error_code')}: {stage.get('error_message')})"
    return text
