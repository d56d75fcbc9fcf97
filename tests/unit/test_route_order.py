"""The `/v1` routers are tried in order of traffic; that is safe only because no path is served by
two contexts, so whichever router comes first, a request reaches the same route."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.routing import compile_path

from shared.api import v1_routers

pytestmark = pytest.mark.unit


def _routes(router: APIRouter) -> Iterator[APIRoute]:
    for route in router.routes:
        included = getattr(route, "original_router", None)
        if isinstance(included, APIRouter):
            yield from _routes(included)
        elif isinstance(route, APIRoute):
            yield route


def _example(path: str) -> str:
    """A concrete path the template matches: a uuid for `{x:uuid}`, a word for any other parameter."""
    return re.sub(r"\{[^}]+\}", "word", re.sub(r"\{[^}:]+:uuid\}", str(uuid.uuid4()), path))


def test_no_path_is_served_by_two_contexts() -> None:
    routes = [(n, route, route.methods or set()) for n, router in enumerate(v1_routers()) for route in _routes(router)]
    assert len(routes) > 40
    for n, route, methods in routes:
        example = _example(route.path)
        owners = {m for m, other, theirs in routes if compile_path(other.path)[0].match(example) and theirs & methods}
        assert owners == {n}, f"{sorted(methods)} {route.path} is also served by router(s) {owners - {n}}"


def test_the_hot_reads_are_matched_first() -> None:
    first = [route.path for router in v1_routers()[:3] for route in _routes(router)]
    for path in ("/documents", "/documents/{doc_id:uuid}", "/search", "/reviews/due"):
        assert path in first
