"""Robustness probes (F17/F18): crafted input gets a 4xx in the error model, internals stay inside."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from fastapi.testclient import TestClient

from shared.container import Container
from shared.documents.extract.base import Rejected
from shared.documents.extract.sandbox import SandboxLimits, run_extraction
from tests.support.users import make_user

pytestmark = pytest.mark.integration


def test_a_crafted_assignment_cursor_is_refused_not_a_500(client: TestClient, container: Container) -> None:
    user = make_user(container)
    crafted = base64.urlsafe_b64encode(json.dumps(["abc", str(uuid.uuid4())]).encode()).decode().rstrip("=")
    client.cookies.update(user.cookies)
    response = client.get(f"/v1/canvas/assignments?cursor={crafted}")
    client.cookies.clear()
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "cursor"


def test_a_parser_failure_tells_the_user_no_internals() -> None:
    with pytest.raises(Rejected) as caught:
        run_extraction(b"PK\x03\x04 not a zip at all", kind="docx", limits=SandboxLimits())
    assert caught.value.code == "CORRUPT_FILE"
    assert "BadZipFile" not in caught.value.message and "Error" not in caught.value.message
