"""What the Functions host will see: every function's trigger, route or schedule."""

from __future__ import annotations

import inspect
import json
from types import ModuleType
from typing import Any

import pytest
from azurefunctions.extensions.base import SdkType  # type: ignore[import-untyped]  # no type hints

from tests.support.function_app import fresh_function_app


def _fresh_function_app() -> ModuleType:
    # get_functions() may only be called once per app object: index a freshly built one.
    return fresh_function_app()


@pytest.fixture(scope="module")
def bindings() -> dict[str, dict[str, Any]]:
    module = _fresh_function_app()
    return {f.get_function_name() or "": json.loads(f.get_raw_bindings()[0]) for f in module.app.get_functions()}


def test_the_gateway_is_one_anonymous_catch_all_http_function(bindings: dict[str, dict[str, Any]]) -> None:
    http = bindings["http_app_func"]
    assert http["type"] == "httpTrigger"
    assert http["route"] == "/{*route}"
    assert http["authLevel"] == "ANONYMOUS"
    assert set(http["methods"]) >= {"GET", "POST", "PUT", "DELETE", "PATCH"}


def test_raw_uploads_trigger_through_event_grid(bindings: dict[str, dict[str, Any]]) -> None:
    blob = bindings["raw_upload"]
    assert blob["type"] == "blobTrigger"
    assert blob["path"] == "raw/{user_id}/{doc_id}/{name}"
    assert blob["source"] == "EventGrid"


def test_the_raw_upload_trigger_binds_a_blob_reference_not_its_bytes() -> None:
    # The Python worker marks a binding deferred (the host sends a reference, never the blob's
    # bytes) when the parameter's annotation is an SDK type; `func.InputStream` would carry the bytes.
    function = next(f for f in _fresh_function_app().app.get_functions() if f.get_function_name() == "raw_upload")
    annotation = inspect.signature(function.get_user_function()).parameters["client"].annotation
    assert isinstance(annotation, type) and issubclass(annotation, SdkType)


@pytest.mark.parametrize("name", ["drain_ingest", "drain_ai", "drain_media", "drain_notify", "drain_canvas"])
def test_each_stream_has_a_drain_every_minute(bindings: dict[str, dict[str, Any]], name: str) -> None:
    assert bindings[name]["type"] == "timerTrigger"
    assert bindings[name]["schedule"] == "0 */1 * * * *"
    assert bindings[name]["runOnStartup"] is False


@pytest.mark.parametrize(
    ("name", "schedule"),
    [
        ("reminders", "0 */1 * * * *"),
        ("log_purge", "0 30 3 * * *"),
        ("reconciler", "0 */5 * * * *"),
        ("retention", "0 17 * * * *"),
        ("canvas_schedule", "0 */10 * * * *"),
        ("study_digest", "0 7 * * * *"),
    ],
)
def test_timers_have_their_schedules(bindings: dict[str, dict[str, Any]], name: str, schedule: str) -> None:
    assert bindings[name]["type"] == "timerTrigger"
    assert bindings[name]["schedule"] == schedule


def test_no_other_functions_are_registered(bindings: dict[str, dict[str, Any]]) -> None:
    assert set(bindings) == {
        "http_app_func",
        "raw_upload",
        "drain_ingest",
        "drain_ai",
        "drain_media",
        "drain_notify",
        "drain_canvas",
        "reminders",
        "log_purge",
        "reconciler",
        "retention",
        "canvas_schedule",
        "study_digest",
    }


def test_host_json_has_an_empty_route_prefix_and_bundle_4() -> None:
    from pathlib import Path

    host = json.loads((Path(__file__).resolve().parents[2] / "host.json").read_text())
    assert host["extensions"]["http"]["routePrefix"] == ""
    assert host["extensionBundle"]["version"] == "[4.*, 5.0.0)"
