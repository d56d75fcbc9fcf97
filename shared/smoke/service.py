"""The walk a student's first document takes, over the public API only: health, sign-up, a PDF
through the SAS URL, notes, media, reading them back, then deleting what it made.

Each step is named; the first that fails stops the walk with the step's name and the reason
(HTTP status and error body, or the stage's `error_code`/`error_message`), and the clean-up
runs whatever happened. Every call carries one request id, printed first, so an operator finds
the whole path in the logs (`GET /v1/logs/query?request_id=...` or Application Insights).
"""

from __future__ import annotations

import time
import uuid

import httpx

from shared.smoke.steps import STEPS
from shared.smoke.walk import Say, StepFailed, Walk


def run(
    *,
    base_url: str,
    say: Say,
    wait_s: float = 600.0,
    poll_s: float = 2.0,
    verify_tls: bool | str = True,
    transport: httpx.BaseTransport | None = None,
) -> bool:
    """Walk the deployment at `base_url`; True when every step passed. `transport` is for tests."""
    request_id = f"verify-{uuid.uuid4().hex[:12]}"
    say(f"verify {base_url} (request id {request_id}: every log line of this walk carries it)")
    # Not a browser, so no cross-site page can be behind it: say so the way a browser would for a
    # same-origin request, which the CSRF check accepts for cookie-authenticated writes.
    headers = {"X-Request-Id": request_id, "Sec-Fetch-Site": "same-origin"}
    api = httpx.Client(base_url=base_url, headers=headers, timeout=30, verify=verify_tls, transport=transport)
    blobs = httpx.Client(timeout=60, verify=verify_tls, transport=transport)
    with api as http, blobs:
        walk = Walk(http, blobs, say, wait_s=wait_s, poll_s=poll_s)
        try:
            for name, step in STEPS:
                started = time.monotonic()
                detail = step(walk)
                walk.timings[name] = time.monotonic() - started
                say(f"ok    {name} ({walk.timings[name]:.1f} s){': ' + detail if detail else ''}")
        except StepFailed as failed:
            say(f"FAIL  {failed.step}: {failed.reason}")
            return False
        finally:
            _clean_up(walk)
    say("verify: every step passed")
    return True


def _clean_up(walk: Walk) -> None:
    """Delete the walk's account, and with it everything it made (document, blobs, results, session)."""
    try:
        if not walk.password:
            return  # sign-up never happened: nothing was made
        deleted = walk.http.request("DELETE", "/v1/account", json={"password": walk.password})
        ok = deleted.status_code == 204
        walk.say(f"{'ok   ' if ok else 'FAIL '} clean-up: the walk's account deleted ({deleted.status_code})")
    except httpx.HTTPError as exc:
        walk.say(f"FAIL  clean-up: {type(exc).__name__}: {exc}")
