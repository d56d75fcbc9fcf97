"""The composition root: a container reads nothing until used, the app uses the container it was given."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shared.container import Container
from shared.deps import ContainerDep
from shared.gateway import create_app
from shared.registry import TIMERS, Registry
from shared.settings import Settings, load_settings
from shared.workers import run_timer_job


def local_settings() -> Settings:
    return load_settings({"APP_ENV": "test"})


def test_a_container_reads_its_settings_on_first_use_and_runs_its_hook_once(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[Container] = []
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("STREAM_PREFIX", "first:")
    container = Container(on_load=loaded.append)
    monkeypatch.setenv("STREAM_PREFIX", "later:")  # what the environment holds at first use is what counts
    assert loaded == []
    assert container.settings.stream_prefix == "later:"
    assert container.settings is container.settings
    assert loaded == [container]


def test_building_the_app_reads_no_settings() -> None:
    loaded: list[Container] = []
    app = create_app(Container(on_load=loaded.append))
    assert app.openapi()["paths"]
    assert loaded == []


def test_routes_get_the_container_the_app_was_built_with() -> None:
    container, other = Container(local_settings()), Container(local_settings())
    app = create_app(container)

    @app.get("/probe")
    async def which(given: ContainerDep) -> dict[str, bool]:
        return {"same": given is container, "other": given is other}

    with TestClient(app) as client:
        assert client.get("/probe").json() == {"same": True, "other": False}
        assert client.get("/health").json()["ok"] is True


def test_a_container_builds_its_registry_once() -> None:
    container = Container(local_settings())
    assert container.registry is container.registry


def test_every_timer_is_a_factory_of_its_job() -> None:
    assert set(TIMERS) == {"reminders", "log_purge", "reconciler", "retention", "canvas_schedule", "study_digest"}
    assert all(callable(factory) for factory in TIMERS.values())


def test_a_timer_runs_the_job_its_registry_holds() -> None:
    container = Container(local_settings())
    runs: list[str] = []

    def job() -> dict[str, object]:
        runs.append("ran")
        return {"swept": 3}

    container.registry = Registry(container, timer_jobs={"sweep": job})
    assert run_timer_job(container, "sweep") == {"job": "sweep", "status": "ok", "swept": 3}
    assert run_timer_job(container, "sweep")["status"] == "ok"
    assert runs == ["ran", "ran"]
    assert run_timer_job(container, "nothing") == {"job": "nothing", "status": "no_handler"}
