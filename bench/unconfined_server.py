"""The extraction fork server without its confinement (no namespace, same user, inherited environment):
the baseline `bench/sandbox_bench.py` compares the confined server against. Never used by the app."""

from __future__ import annotations

import sys

from shared.documents.extract import server
from shared.documents.extract.isolation import Isolation


def _unconfined() -> Isolation:
    return Isolation(network="shared", uid=None, gid=None)


def _no_confinement(_isolation: Isolation, *, tmp: str) -> None:
    del tmp


if __name__ == "__main__":
    server._isolate = _unconfined  # type: ignore[assignment]  # the baseline swaps the two steps out
    server.confine = _no_confinement  # type: ignore[assignment]
    server.serve()
    sys.exit(0)
