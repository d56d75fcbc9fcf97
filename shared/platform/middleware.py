"""Pure-ASGI middleware: request id in and out, one access log line, the last-resort 500, and
whatever a request must give back when it ends.

It catches what nothing else handled so that even an unexpected failure answers in the
error model with the request id (Starlette's own 500 page sits outside user middleware).

`at_request_end` registers a cleanup (a pooled connection lent to the route, say) that runs when
the request is over, however it ended. A plain async dependency can then hold a resource without
being a generator: FastAPI runs a `yield` dependency through two exit stacks and a shielded cancel
scope per request, which costs more than the read it guards.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform.context import accept_request_id, set_request_id
from shared.platform.http_errors import error_response

logger = logging.getLogger("studyaid.access")

Cleanup = Callable[[], Awaitable[None]]
CLEANUPS = "studyaid.cleanups"


def at_request_end(scope: MutableMapping[str, Any], cleanup: Cleanup) -> None:
    """Run `cleanup` when the request ends (after the answer, or on any failure); last in, first out."""
    cleanups: list[Cleanup] | None = scope.get(CLEANUPS)
    if cleanups is None:
        raise RuntimeError("no request scope: the app is not wrapped in RequestContextMiddleware")
    cleanups.append(cleanup)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = _last_header(scope, b"x-request-id")
        request_id = accept_request_id(raw.decode("latin-1") if raw else None)
        set_request_id(request_id)
        started = time.perf_counter()
        cleanups: list[Cleanup] = []
        scope[CLEANUPS] = cleanups  # the list itself, so a copied scope still registers here
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        # The outermost boundary: whatever escaped every handler still answers in the error model.
        except Exception:
            logger.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if response_started:
                raise
            await error_response(500, "INTERNAL", "an unexpected error occurred")(scope, receive, send_with_id)
        finally:
            await _run(cleanups)
            elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
            logger.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={"status": status, "duration_ms": elapsed_ms},
            )
            set_request_id(None)


async def _run(cleanups: list[Cleanup]) -> None:
    while cleanups:
        try:
            await cleanups.pop()()
        except Exception:  # one failed cleanup must not keep the others from running
            logger.exception("a request cleanup failed")


def _last_header(scope: Scope, wanted: bytes) -> bytes | None:
    found = None
    for name, value in scope.get("headers") or ():
        if name == wanted:
            found = value
    return found
