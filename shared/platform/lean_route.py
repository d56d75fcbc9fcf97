"""A route class for the hot reads: FastAPI's contract, without its per-request machinery.

`APIRouter(route_class=LeanRoute)` declares routes exactly as any other (path and query
parameters, `Depends`, `response_model=` for the OpenAPI document), and FastAPI builds the same
`Dependant` for them. What changes is the handler: where a route is *plain* (below), the
handler reads its parameters from a plan made once when the route is built, instead of letting
`solve_dependencies` rediscover per request which parameter is a list, which has a model, which
alias applies (hundreds of `isinstance` calls a request for six query parameters), and without
the exit stacks a dependency solve opens. A six-parameter search read spent ~110 µs of CPU there.

A route is plain when:
- the endpoint is `async def` and returns a `Response` (it serialises its own answer once);
- its parameters are path and query parameters without aliases, JSON or model types, the
  `Request`, and dependencies that take only the `Request` (`async def`, no `yield`, no
  parameters or dependencies of their own: `ReadingUser`, `ContainerDep`);
- no body, header, cookie, `Response`, `BackgroundTasks` or security-scope parameter.

Anything else, and any request while `app.dependency_overrides` is set, goes through FastAPI's
own handler, so a route never behaves differently for being declared here. The semantics kept
are FastAPI's: dependencies run first, in declaration order (a request that is not signed in is
refused before its parameters are looked at); a missing required parameter, a value that fails
validation or a constraint gives the same `RequestValidationError` FastAPI raises (same `type`,
`loc` and `msg`); an absent optional parameter gets its default. `tests/contract/
test_lean_route.py` checks every lean route against FastAPI's handler, answer for answer.

It uses FastAPI's field objects (`Dependant.query_params`, `ModelField.validate`); FastAPI is
pinned in `requirements.txt`, and that test fails if an upgrade changes what they mean.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Coroutine
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi import routing as fastapi_routing
from fastapi._compat import ModelField, field_annotation_is_sequence, get_missing_field_error
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, Json
from starlette.responses import Response

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
RequestDependency = Callable[[Request], Awaitable[Any]]


@dataclass(frozen=True)
class _Param:
    name: str
    alias: str
    where: str  # "path" or "query"
    many: bool  # a list parameter: every value given, or absent when none is
    field: ModelField


@dataclass(frozen=True)
class _Dependency:
    name: str | None  # None: a router's `dependencies=[...]`, run for its effect only
    call: RequestDependency
    same_as: int | None  # FastAPI's per-request cache: the same dependency declared twice runs once


@dataclass(frozen=True)
class _Plan:
    dependencies: tuple[_Dependency, ...]
    params: tuple[_Param, ...]
    request_name: str | None
    reads_query: bool


class LeanRoute(APIRoute):
    """An `APIRoute` whose plain routes (see the module) skip FastAPI's per-request dependency solve."""

    def get_route_handler(self) -> Handler:
        standard = super().get_route_handler()
        effective = _effective(self)
        plan = plan_of(effective[0], self.endpoint) if effective is not None else None
        if effective is None or plan is None:
            return standard
        endpoint = typing.cast(Callable[..., Awaitable[Response]], self.endpoint)
        overrides = effective[1]

        async def lean(request: Request) -> Response:
            if overrides is not None and getattr(overrides, "dependency_overrides", None):
                return await standard(request)  # a test swapped a dependency: FastAPI resolves it
            values = await _solve(plan, request)
            response = await endpoint(**values)
            if not isinstance(response, Response):
                raise TypeError(f"{endpoint.__qualname__} must return a Response on a LeanRoute")
            return response

        return lean


def _effective(route: APIRoute) -> tuple[Dependant, Any] | None:
    """The dependant and the dependency-overrides provider (the app) FastAPI builds this handler
    for: an included route's carry the inclusion's `dependencies=` and the app, which the route's
    own do not (None: this FastAPI does not say which; the route stays standard)."""
    context_var = getattr(fastapi_routing, "_effective_route_context_var", None)
    if context_var is None:
        return None
    context = context_var.get()
    if context is not None and context.original_route is route:
        return typing.cast(Dependant, context.dependant), context.dependency_overrides_provider
    return route.dependant, route.dependency_overrides_provider


def plan_of(dependant: Dependant, endpoint: Callable[..., Any]) -> _Plan | None:
    """How to call `endpoint` without a dependency solve, or None when it is not plain."""
    if not inspect.iscoroutinefunction(endpoint) or not _returns_response(endpoint):
        return None
    if not _only_path_and_query(dependant):
        return None
    dependencies: list[_Dependency] = []
    first: dict[Any, int] = {}
    for at, sub in enumerate(dependant.dependencies):
        if not _takes_only_the_request(sub) or sub.call is None:
            return None
        same_as = first.setdefault(sub.call, at) if sub.use_cache else at
        dependencies.append(_Dependency(sub.name, _called_with_request(sub), None if same_as == at else same_as))
    params = []
    for where, fields in (("path", dependant.path_params), ("query", dependant.query_params)):
        for field in fields:
            if not _plain_field(field):
                return None
            many = where == "query" and field_annotation_is_sequence(field.field_info.annotation)
            params.append(_Param(field.name, field.alias, where, many, field))
    reads_query = any(param.where == "query" for param in params)
    return _Plan(tuple(dependencies), tuple(params), dependant.request_param_name, reads_query)


async def _solve(plan: _Plan, request: Request) -> dict[str, Any]:
    values: dict[str, Any] = {}
    solved: list[Any] = []
    for dependency in plan.dependencies:  # first, as FastAPI does: an anonymous caller is refused before a 422
        same_as = dependency.same_as
        value = await dependency.call(request) if same_as is None else solved[same_as]
        solved.append(value)
        if dependency.name is not None:
            values[dependency.name] = value
    errors: list[Any] = []
    query = request.query_params if plan.reads_query else None
    for param in plan.params:
        raw: Any
        if param.where == "path":
            raw = request.path_params.get(param.alias)
        elif param.many:
            raw = query.getlist(param.alias) if query is not None else []
            raw = raw or None
        else:
            raw = query.get(param.alias) if query is not None else None
        value, problems = _validated(param, raw)
        if problems:
            errors.extend(problems)
        else:
            values[param.name] = value
    if errors:
        raise RequestValidationError(errors)
    if plan.request_name is not None:
        values[plan.request_name] = request
    return values


def _validated(param: _Param, raw: Any) -> tuple[Any, list[Any]]:
    field = param.field
    loc = (param.where, param.alias)
    if raw is None:
        if field.field_info.is_required():
            return None, [get_missing_field_error(loc=loc)]
        default = deepcopy(field.default)
        if not field.field_info.validate_default:
            return default, []
        raw = default
    return field.validate(raw, {}, loc=loc)


def _returns_response(endpoint: Callable[..., Any]) -> bool:
    try:
        returned = typing.get_type_hints(endpoint).get("return")
    except (NameError, TypeError):
        return False
    return isinstance(returned, type) and issubclass(returned, Response)


def _only_path_and_query(dependant: Dependant) -> bool:
    return not (
        dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or dependant.websocket_param_name
        or dependant.http_connection_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
        or dependant.own_oauth_scopes
        or dependant.parent_oauth_scopes
    )


def _takes_only_the_request(sub: Dependant) -> bool:
    call = sub.call
    if call is None or not inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call):
        return False
    if not _only_path_and_query(sub) or sub.dependencies or sub.path_params or sub.query_params:
        return False
    parameters = list(inspect.signature(call).parameters.values())
    if sub.request_param_name is None:
        return not parameters
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return len(parameters) == 1 and parameters[0].kind in positional


def _called_with_request(sub: Dependant) -> RequestDependency:
    call = typing.cast(Callable[..., Awaitable[Any]], sub.call)
    if sub.request_param_name is None:
        return lambda _request: call()
    return call  # its one parameter is the request


def _plain_field(field: ModelField) -> bool:
    info = field.field_info
    if info.validation_alias is not None or field.alias != field.name:
        return False
    if any(type(item) is Json for item in info.metadata):
        return False
    annotation = info.annotation
    return not (isinstance(annotation, type) and issubclass(annotation, BaseModel))
