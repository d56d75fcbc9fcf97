"""Sign-up and session speak `school_email` (the specification's name) beside `email`."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"


def test_sign_up_with_school_email_and_the_session_returns_it(client: TestClient) -> None:
    address = f"s{uuid.uuid4().hex[:10]}@school.example.edu"
    response = client.post("/v1/auth/signup", json={"school_email": address, "password": PASSWORD})
    assert response.status_code == 201, response.text
    assert response.json()["user"]["school_email"] == address
    assert response.json()["user"]["email"] == address
    session = client.get("/v1/auth/session").json()
    assert (session["user"]["email"], session["user"]["school_email"]) == (address, address)
    client.cookies.clear()
    login = client.post("/v1/auth/login", json={"school_email": address, "password": PASSWORD})
    assert login.status_code == 200, login.text


def test_email_still_answers_and_two_different_addresses_are_refused(client: TestClient) -> None:
    address = f"s{uuid.uuid4().hex[:10]}@school.example.edu"
    assert client.post("/v1/auth/signup", json={"email": address, "password": PASSWORD}).status_code == 201
    both = {"email": f"x{address}", "school_email": address, "password": PASSWORD}
    response = client.post("/v1/auth/signup", json=both)
    assert response.status_code == 400
    assert "differ" in response.json()["error"]["details"]["school_email"]
