"""A configured service that is not reachable is replaced by a project-local one on a private port."""

from __future__ import annotations

from pathlib import Path

from shared.devhost import probe
from shared.devhost.stack import LocalPorts, Stack, ensure_stack
from tests.support.services import free_port


def test_an_unreachable_redis_is_replaced_by_a_project_local_one(stack: Stack, tmp_path: Path) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    environ = {
        "POSTGRES_URL": stack.postgres_url,
        "REDIS_URL": dead,
        "AZURE_STORAGE_CONNECTION_STRING": stack.storage_connection_string,
    }
    port = free_port()
    resolved = ensure_stack(environ, state_dir=tmp_path, ports=LocalPorts(postgres=1, redis=port, azurite=1))
    try:
        assert [s.name for s in resolved.started] == ["redis"]
        assert resolved.redis_url == f"redis://127.0.0.1:{port}/0"
        assert probe.redis_ok(resolved.redis_url)
        assert resolved.postgres_url == stack.postgres_url
    finally:
        resolved.stop()
    assert not probe.redis_ok(f"redis://127.0.0.1:{port}/0")
