"""Test clients started like a browser session: their app's lifespan runs, so the event loop they
use keeps one async pool for all their requests and closes it at the end.

A `TestClient` used without `with` runs every request on a fresh event loop, so each request
opens its own async pool (and Postgres connection), left behind with that loop.
`started(client)` enters the client; the `clients_started_here_are_closed` fixture (autouse, in
`tests/conftest.py`) leaves it after the test.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

_OPEN: list[TestClient] = []


def started(client: TestClient) -> TestClient:
    client.__enter__()
    _OPEN.append(client)
    return client


def close_started() -> None:
    while _OPEN:
        _OPEN.pop().__exit__(None, None, None)
