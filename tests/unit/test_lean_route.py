"""`LeanRoute` answers exactly as FastAPI's own handler would, without a dependency solve.

The same endpoints are served twice, once on a `LeanRoute` router and once on a plain
`APIRouter`, and every request of a matrix (good values, missing and malformed parameters,
constraint violations, repeated list values, a refused caller) must get the same status and
body from both. Which routes qualify, FastAPI's dependency order and per-request cache, an
inclusion's `dependencies=` and `app.dependency_overrides` are checked on their own.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Literal

import fastapi.routing
import pytest
from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse, Response

from shared.platform.lean_route import LeanRoute, plan_of
from shared.platform.middleware import RequestContextMiddleware

pytestmark = pytest.mark.unit

Kind = Literal["section", "glossary"]
CALLS: list[str] = []


class Refused(Exception):
    pass


async def caller(request: Request) -> str:
    CALLS.append("caller")
    who = request.headers.get("x-user")
    if not who:
        raise Refused
    return who


async def counted(_request: Request) -> int:
    CALLS.append("counted")
    return len(CALLS)


Caller = Annotated[str, Depends(caller)]


def _echo(**values: object) -> Response:
    return JSONResponse({k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in values.items()})


def _routes(router: APIRouter) -> APIRouter:
    @router.get("/things/{thing_id:uuid}")
    async def thing(thing_id: uuid.UUID, who: Caller) -> Response:
        return _echo(thing_id=thing_id, who=who)

    @router.get("/search")
    async def search(
        who: Caller,
        q: Annotated[str, Query(min_length=1, max_length=20)],
        course_id: uuid.UUID | None = None,
        kind: Annotated[list[Kind] | None, Query()] = None,
        cursor: Annotated[str | None, Query(max_length=8)] = None,
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
        exact: bool = False,
    ) -> Response:
        return _echo(who=who, q=q, course_id=course_id, kind=kind, cursor=cursor, limit=limit, exact=exact)

    @router.get("/twice")
    async def twice(a: Annotated[int, Depends(counted)], b: Annotated[int, Depends(counted)]) -> Response:
        return _echo(a=a, b=b)

    @router.get("/request")
    async def with_request(request: Request, who: Caller) -> Response:
        return _echo(path=request.url.path, who=who)

    return router


def _app(router: APIRouter, **include: object) -> FastAPI:
    app = FastAPI()

    async def refused(_request: Request, _exc: Exception) -> Response:
        return JSONResponse({"error": "unauthenticated"}, status_code=401)

    async def invalid(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"errors": list(exc.errors())}, status_code=400)

    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(router, prefix="/v1", **include)  # type: ignore[arg-type]
    return app


@pytest.fixture(scope="module")
def both() -> Iterator[tuple[TestClient, TestClient]]:
    with (
        TestClient(_app(_routes(APIRouter(route_class=LeanRoute)))) as lean,
        TestClient(_app(_routes(APIRouter()))) as std,
    ):
        yield lean, std


THING = str(uuid.UUID(int=7))
MATRIX = [
    ("/v1/things/" + THING, {"x-user": "ann"}),
    ("/v1/things/" + THING, {}),  # refused before anything else
    ("/v1/search?q=heuristic", {"x-user": "ann"}),
    ("/v1/search?q=heuristic&kind=section&kind=glossary&limit=50&exact=true", {"x-user": "ann"}),
    ("/v1/search?q=heuristic&course_id=" + THING + "&cursor=abc", {"x-user": "ann"}),
    ("/v1/search", {"x-user": "ann"}),  # q missing
    ("/v1/search?q=", {"x-user": "ann"}),  # too short
    ("/v1/search?q=" + "x" * 21, {"x-user": "ann"}),  # too long
    ("/v1/search?q=a&limit=0", {"x-user": "ann"}),
    ("/v1/search?q=a&limit=many", {"x-user": "ann"}),
    ("/v1/search?q=a&limit=3&limit=4", {"x-user": "ann"}),  # the last one counts
    ("/v1/search?q=a&course_id=not-a-uuid", {"x-user": "ann"}),
    ("/v1/search?q=a&kind=section&kind=nonsense", {"x-user": "ann"}),
    ("/v1/search?q=a&exact=maybe", {"x-user": "ann"}),
    ("/v1/search?q=a&cursor=123456789", {"x-user": "ann"}),
    ("/v1/search?limit=0&course_id=x", {"x-user": "ann"}),  # several problems at once, in FastAPI's order
    ("/v1/search?limit=0", {}),  # refused before the parameters are looked at
    ("/v1/twice", {}),
    ("/v1/request", {"x-user": "ann"}),
]


@pytest.mark.parametrize(("path", "headers"), MATRIX)
def test_a_lean_route_answers_as_fastapi_does(
    both: tuple[TestClient, TestClient], path: str, headers: dict[str, str]
) -> None:
    lean, standard = both
    CALLS.clear()
    ours = lean.get(path, headers=headers)
    lean_calls = list(CALLS)
    CALLS.clear()
    theirs = standard.get(path, headers=headers)
    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())
    assert lean_calls == CALLS  # the same dependencies, the same number of times, in the same order


def test_the_plain_routes_skip_the_dependency_solve(
    both: tuple[TestClient, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    lean, standard = both
    solves: list[object] = []
    real = vars(fastapi.routing)["solve_dependencies"]

    async def counting(**kwargs: object) -> object:
        solves.append(kwargs["dependant"])
        return await real(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    for path, headers in MATRIX:
        lean.get(path, headers=headers)
    assert solves == []
    standard.get("/v1/search?q=a", headers={"x-user": "ann"})
    assert len(solves) == 1  # the probe sees FastAPI's own handler


def test_a_dependency_declared_twice_runs_once_per_request(both: tuple[TestClient, TestClient]) -> None:
    lean, _ = both
    CALLS.clear()
    body = lean.get("/v1/twice").json()
    assert CALLS == ["counted"] and body["a"] == body["b"]


def test_only_plain_routes_are_planned() -> None:
    router = APIRouter(route_class=LeanRoute)

    async def gen_dependency(_request: Request) -> AsyncIterator[int]:
        yield 1

    async def nested(who: Caller) -> str:
        return who

    @router.get("/sync")
    def sync_route(who: Caller) -> Response:
        return _echo(who=who)

    @router.get("/model")
    async def returns_model(who: Caller) -> dict[str, str]:
        return {"who": who}

    @router.get("/header")
    async def with_header(x_token: Annotated[str, Header()]) -> Response:
        return _echo(x=x_token)

    @router.post("/body")
    async def with_body(payload: dict[str, int]) -> Response:
        return _echo(**payload)

    @router.get("/generator")
    async def with_generator(n: Annotated[int, Depends(gen_dependency)]) -> Response:
        return _echo(n=n)

    @router.get("/nested")
    async def with_nested(who: Annotated[str, Depends(nested)]) -> Response:
        return _echo(who=who)

    @router.get("/alias")
    async def with_alias(page_size: Annotated[int, Query(alias="page-size")] = 1) -> Response:
        return _echo(page_size=page_size)

    @router.get("/plain")
    async def plain(who: Caller, limit: int = 1) -> Response:
        return _echo(who=who, limit=limit)

    planned = {
        route.path: plan_of(route.dependant, route.endpoint) is not None
        for route in router.routes
        if isinstance(route, LeanRoute)
    }
    assert planned == {
        "/sync": False,
        "/model": False,
        "/header": False,
        "/body": False,
        "/generator": False,
        "/nested": False,
        "/alias": False,
        "/plain": True,
    }


def test_an_inclusions_dependencies_still_run() -> None:
    seen: list[str] = []

    async def audit(request: Request) -> None:
        seen.append(request.url.path)

    app = _app(_routes(APIRouter(route_class=LeanRoute)), dependencies=[Depends(audit)])
    with TestClient(app) as client:
        assert client.get("/v1/things/" + THING, headers={"x-user": "ann"}).status_code == 200
    assert seen == ["/v1/things/" + THING]


def test_dependency_overrides_are_honoured() -> None:
    app = _app(_routes(APIRouter(route_class=LeanRoute)))

    async def someone(_request: Request) -> str:
        return "override"

    app.dependency_overrides[caller] = someone
    with TestClient(app) as client:
        assert client.get("/v1/things/" + THING).json()["who"] == "override"
