"""The Functions door: registered user functions called as the host calls them."""

from __future__ import annotations

import json
from collections.abc import Iterator

import azure.functions as func
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from devtools.devhost import functions_host
from devtools.devhost.functions_host import IndexedFunction
from shared.container import Container, set_container
from shared.platform.drain import StageHandler
from shared.platform.streams import stream_key
from shared.platform.triggers import RawBlob
from shared.registry import Registry
from shared.workers import run_drain, run_timer_job
from tests.support.function_app import fresh_function_app
from tests.support.probe import CREATE_EFFECTS, Probe, apply_probe


class Echo(BaseModel):
    text: str


@pytest.fixture(scope="module")
def indexed(container: Container) -> Iterator[tuple[FastAPI, dict[str, IndexedFunction]]]:
    set_container(container)  # what get_container() hands the functions, as the host's process would
    module = fresh_function_app()
    gateway: FastAPI = module.gateway

    @gateway.post("/v1/test-echo")
    def echo(body: Echo) -> Echo:
        return body

    yield gateway, functions_host.index(module.app)


def _http(indexed: tuple[FastAPI, dict[str, IndexedFunction]], request: func.HttpRequest) -> func.HttpResponse:
    return functions_host.call_http(indexed[1]["http_app_func"], request)


def test_health_through_the_functions_http_path(indexed: tuple[FastAPI, dict[str, IndexedFunction]]) -> None:
    request = func.HttpRequest("GET", "http://localhost:7071/health", headers={"x-request-id": "fn-1"}, body=b"")
    response = _http(indexed, request)
    assert response.status_code == 200
    assert json.loads(response.get_body())["ok"] is True
    assert response.headers["x-request-id"] == "fn-1"


def test_unknown_route_through_the_functions_path_is_404_in_the_error_model(
    indexed: tuple[FastAPI, dict[str, IndexedFunction]],
) -> None:
    request = func.HttpRequest("GET", "http://localhost:7071/v1/nowhere", headers={}, body=b"")
    response = _http(indexed, request)
    assert response.status_code == 404
    assert json.loads(response.get_body())["error"]["code"] == "NOT_FOUND"


def test_malformed_json_through_the_functions_path_is_400_invalid_argument(
    indexed: tuple[FastAPI, dict[str, IndexedFunction]],
) -> None:
    request = func.HttpRequest(
        "POST",
        "http://localhost:7071/v1/test-echo",
        headers={"content-type": "application/json", "x-request-id": "fn-2"},
        body=b'{"text": "unterminated',
    )
    response = _http(indexed, request)
    assert response.status_code == 400
    error = json.loads(response.get_body())["error"]
    assert error["code"] == "INVALID_ARGUMENT"
    assert error["request_id"] == "fn-2"
    assert error["message"] == "the request body is not valid JSON"


def test_a_drain_timer_processes_its_stream(
    container: Container, indexed: tuple[FastAPI, dict[str, IndexedFunction]], monkeypatch: pytest.MonkeyPatch
) -> None:
    with container.db.connection() as conn:
        conn.execute(CREATE_EFFECTS)
    handler = StageHandler("ingest.request", Probe, lambda message: apply_probe(container.db, message))
    monkeypatch.setattr(container, "registry", Registry(container, stage_handlers={"ingest.request": handler}))
    key = stream_key(container.settings.stream_prefix, "ingest.request")
    container.redis.xadd(key, {"type": "probe.request", "data": Probe(key=3_000_001).model_dump_json()})
    functions_host.call_timer(indexed[1]["drain_ingest"])
    with container.db.connection() as conn:
        row = conn.execute("SELECT applied FROM probe_effects WHERE key = 3000001").fetchone()
    assert row == (1,)


def test_the_blob_trigger_hands_the_path_to_the_registered_handler(
    container: Container, indexed: tuple[FastAPI, dict[str, IndexedFunction]], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[RawBlob] = []
    monkeypatch.setattr(container, "registry", Registry(container, raw_blob_handler=seen.append))
    functions_host.call_blob(indexed[1]["raw_upload"], path="raw/u-1/d-2/week 1.pdf")
    assert seen == [RawBlob(user_id="u-1", doc_id="d-2", name="week 1.pdf", path="raw/u-1/d-2/week 1.pdf")]


def test_a_stream_without_a_handler_is_reported_not_consumed(container: Container) -> None:
    report = run_drain(container, "nobody.request", budget_s=0.1)
    assert report.no_handler is True
    assert report.errors == ["no handler registered for nobody.request"]


def test_a_timer_without_a_job_is_reported(container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container, "registry", Registry(container, timer_jobs={}))
    assert run_timer_job(container, "reminders") == {"job": "reminders", "status": "no_handler"}
