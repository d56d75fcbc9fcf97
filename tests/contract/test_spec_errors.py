"""The specification's error model: its codes (FORBIDDEN for 403) and `details` as a field map."""

from __future__ import annotations

from fastapi.testclient import TestClient

from shared.container import Container
from shared.platform.errors import ERROR_CODES, PermissionDenied
from tests.support.users import make_user

SPEC_CODES = {"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "INVALID_ARGUMENT", "CONFLICT", "RATE_LIMITED", "INTERNAL"}


def test_every_code_of_the_specification_is_ours_and_ours_are_kept() -> None:
    assert set(ERROR_CODES) >= SPEC_CODES | {"FAILED_PRECONDITION", "UNAVAILABLE", "PAYLOAD_TOO_LARGE"}
    assert "PERMISSION_DENIED" not in ERROR_CODES
    assert PermissionDenied.code == "FORBIDDEN"


def test_a_refusal_is_403_forbidden(client: TestClient, container: Container) -> None:
    student = make_user(container)
    client.cookies.update(student.cookies)
    response = client.get("/v1/logs/query")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


def test_validation_details_carry_a_field_map_beside_the_fields_list(client: TestClient) -> None:
    response = client.post("/v1/auth/signup", json={"email": "not-an-email", "password": "short"})
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert {p["field"] for p in details["fields"]} == {"email", "password"}
    assert "not an email address" in details["email"]
    assert "12 characters" in details["password"]


def test_a_domain_error_naming_a_field_maps_it_to_its_message(client: TestClient, container: Container) -> None:
    taken = make_user(container)
    response = client.post("/v1/auth/signup", json={"email": taken.email, "password": "a long enough secret"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["details"]["field"] == "email"
    assert error["details"]["email"] == error["message"]
