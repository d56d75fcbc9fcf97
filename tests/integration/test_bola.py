"""BOLA/IDOR: walk every `/v1` route in /openapi.json; user B never reaches user A's objects.

HOW TO ADD YOUR ROUTE: add one row to `ROUTES` below, keyed by (METHOD, path template exactly as
in /openapi.json). The test FAILS for any route that names an object (a path parameter, a query
parameter ending in `id`) or changes state (not GET) and has no row. Pick the row kind:

- `owned(factory)` — the route names one of the caller's objects. `factory(world, owner)` makes
  that object for `owner` (through the API with `world.client_for(owner)`, or in the database)
  and returns `Call(path=..., query=..., body=..., ids=...)`. B must get 404 NOT_FOUND (not 403,
  nothing of A's), and A must then still reach it (anything but 404 or 5xx).
- `filter_of(factory)` — a listing filtered by an object id (`?course_id=`): B's answer has the
  same status as for an id that exists nowhere, and holds none of A's things.
- `caller_scoped(call)` — acts only on the caller's own things (logout, preferences): B's answer
  holds none of A's things.
- `operators()` — operator-only: a student gets 403/404 and none of A's things.
- `PUBLIC` — reachable without a session (sign-in, sign-up, OAuth and Canvas callbacks).

GET routes without ids need no row: they are listings, checked automatically (B sees none of
A's things, made by every factory below). Every non-public route must also answer 401 to nobody.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import pytest
from fastapi.testclient import TestClient

from shared.container import Container
from shared.gateway import create_app
from tests.conftest import FROM_APP
from tests.support.ai_docs import lecture
from tests.support.study_docs import studied_document
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Call:
    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    ids: tuple[str, ...] = ()  # ids of the owner's things (beyond `path`) that B must never see


@dataclass
class World:
    container: Container
    marker: str  # put into the titles/texts of A's things; must never show up in B's answers
    clients: dict[uuid.UUID, TestClient] = field(default_factory=dict)

    def client_for(self, user: TestUser) -> TestClient:
        if user.user_id not in self.clients:
            client = TestClient(create_app(self.container), cookies=user.cookies, headers=FROM_APP)
            self.clients[user.user_id] = client.__enter__()  # one loop, one pool, for the module
        return self.clients[user.user_id]


Factory = Callable[[World, TestUser], Call]
Kind = Literal["owned", "filter", "caller", "operators", "public"]


@dataclass(frozen=True)
class Row:
    kind: Kind
    factory: Factory | None = None


def owned(factory: Factory) -> Row:
    return Row("owned", factory)


def filter_of(factory: Factory) -> Row:
    return Row("filter", factory)


def caller_scoped(call: Call | None = None) -> Row:
    return Row("caller", lambda _world, _owner: call or Call())


def operators() -> Row:
    return Row("operators", lambda _world, _owner: Call())


PUBLIC = Row("public")


# -- factories: one per kind of object ----------------------------------------------------------


def document(world: World, owner: TestUser) -> Call:
    body = {"title": f"{world.marker} notes", "filename": "lecture.pdf", "kind": "pdf", "size": 1024}
    response = world.client_for(owner).post("/v1/documents", json=body)
    assert response.status_code == 201, response.text
    doc_id = response.json()["document"]["id"]
    return Call(path={"doc_id": doc_id}, body={"doc_id": doc_id})


def course(world: World, owner: TestUser) -> str:
    course_id = uuid.uuid4()
    with world.container.db.connection() as conn:
        conn.execute(
            "INSERT INTO courses (id, user_id, canvas_id, name) VALUES (%s, %s, %s, %s)",
            (course_id, owner.user_id, uuid.uuid4().int % 10**12, f"{world.marker} course"),
        )
    return str(course_id)


def course_media(world: World, owner: TestUser) -> Call:
    return Call(path={"course_id": course(world, owner)}, body={"media": True})


def assignment(world: World, owner: TestUser) -> str:
    assignment_id, course_id = uuid.uuid4(), course(world, owner)
    with world.container.db.connection() as conn:
        conn.execute(
            "INSERT INTO assignments (id, user_id, course_id, canvas_id, name, due_at) VALUES (%s, %s, %s, %s, %s, %s)",
            (assignment_id, owner.user_id, course_id, uuid.uuid4().int % 10**12, f"{world.marker} essay",
             datetime.now(UTC) + timedelta(days=3)),
        )  # fmt: skip
    return str(assignment_id)


def document_in_course(world: World, owner: TestUser) -> Call:
    body = {"title": "mine", "filename": "mine.pdf", "kind": "pdf", "size": 10, "course_id": course(world, owner)}
    return Call(body=body)


def upload_in_course(world: World, owner: TestUser) -> Call:
    return Call(
        form={"course_id": course(world, owner)}, files={"file": ("mine.pdf", b"%PDF-1.4\n", "application/pdf")}
    )


def delivery(world: World, owner: TestUser) -> Call:
    response = world.client_for(owner).post("/v1/notify/test")
    assert response.status_code == 202, response.text
    return Call(path={"delivery_id": response.json()["id"]})


def reminder_about_assignment(world: World, owner: TestUser) -> Call:
    send_at = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    return Call(body={"send_at": send_at, "assignment_id": assignment(world, owner)})


def sync_run(world: World, owner: TestUser) -> Call:
    run_id = uuid.uuid4()
    with world.container.db.connection() as conn:
        conn.execute(
            "INSERT INTO canvas_sync_runs (id, user_id, status, error) VALUES (%s, %s, 'failed', %s)",
            (run_id, owner.user_id, world.marker),
        )
    return Call(path={"sync_id": str(run_id)})


def search_filtered(world: World, owner: TestUser) -> Call:
    doc = document(world, owner).path["doc_id"]
    return Call(query={"q": world.marker, "course_id": course(world, owner), "document_id": doc})


def assignments_of_course(world: World, owner: TestUser) -> Call:
    return Call(query={"course_id": course(world, owner)})


def extra_session(world: World, owner: TestUser) -> Call:
    """Another live session of the owner (ending it leaves the owner's own client signed in)."""
    session_id = uuid.uuid4()
    with world.container.db.connection() as conn:
        conn.execute(
            "INSERT INTO sessions (id, user_id, token_hash, expires_at) VALUES (%s, %s, %s, %s)",
            (session_id, owner.user_id, uuid.uuid4().bytes, datetime.now(UTC) + timedelta(hours=1)),
        )
    return Call(path={"session_id": str(session_id)})


def search_listing(world: World, _owner: TestUser) -> Call:
    return Call(query={"q": world.marker})


def studied(world: World, owner: TestUser) -> Call:
    doc_id, aids = studied_document(
        world.container, user_id=owner.user_id, structure=lecture(title=f"{world.marker} lecture")
    )
    return Call(path={"doc_id": str(doc_id)}, ids=(aids.cards[0].id,))


def card_review(world: World, owner: TestUser) -> Call:
    studied_call = studied(world, owner)
    body = {"review_id": str(uuid.uuid4()), "document_id": studied_call.path["doc_id"], "rating": "good"}
    return Call(path={"card_id": studied_call.ids[0]}, body={**body, "duration_ms": 1000})


def course_export(world: World, owner: TestUser) -> Call:
    return Call(path={"course_id": course(world, owner)})


def quiz_request(world: World, owner: TestUser) -> Call:
    return Call(body={"document_id": studied(world, owner).path["doc_id"], "count": 3})


def quiz(world: World, owner: TestUser) -> Call:
    made = world.client_for(owner).post("/v1/quizzes", json=quiz_request(world, owner).body)
    assert made.status_code == 201, made.text
    return Call(path={"quiz_id": made.json()["id"]}, body={"answers": []})


def ask_document(world: World, owner: TestUser) -> Call:
    return Call(
        body={"question": "What is an admissible heuristic?", "document_id": studied(world, owner).path["doc_id"]}
    )


def reviews_filtered(world: World, owner: TestUser) -> Call:
    return Call(query={"course_id": course(world, owner), "document_id": studied(world, owner).path["doc_id"]})


# -- the table ----------------------------------------------------------------------------------

ROUTES: dict[tuple[str, str], Row] = {
    ("POST", "/v1/auth/signup"): PUBLIC,
    ("POST", "/v1/auth/login"): PUBLIC,
    ("GET", "/v1/auth/oauth/google/start"): PUBLIC,
    ("GET", "/v1/auth/oauth/google/callback"): PUBLIC,
    ("GET", "/v1/auth/oauth/microsoft/start"): PUBLIC,
    ("GET", "/v1/auth/oauth/microsoft/callback"): PUBLIC,
    ("POST", "/v1/auth/logout"): caller_scoped(),
    ("POST", "/v1/auth/token"): caller_scoped(),
    ("POST", "/v1/auth/email/verify"): PUBLIC,
    ("POST", "/v1/auth/email/resend"): caller_scoped(),
    ("POST", "/v1/auth/password/forgot"): PUBLIC,
    ("POST", "/v1/auth/password/reset"): PUBLIC,
    ("POST", "/v1/auth/password/change"): caller_scoped(
        Call(body={"current_password": "not it", "new_password": "a brand new passphrase"})
    ),
    ("DELETE", "/v1/auth/sessions/{session_id}"): owned(extra_session),
    ("DELETE", "/v1/account"): caller_scoped(Call(body={"confirm_email": "nobody@example.edu"})),
    ("POST", "/v1/documents"): owned(document_in_course),
    ("POST", "/v1/documents/upload"): owned(upload_in_course),
    ("GET", "/v1/documents/{doc_id}"): owned(document),
    ("DELETE", "/v1/documents/{doc_id}"): owned(document),
    ("POST", "/v1/ingestion/start"): owned(document),
    ("POST", "/v1/ai/start"): owned(document),
    ("GET", "/v1/notes/{doc_id}"): owned(document),
    ("GET", "/v1/flashcards/{doc_id}"): owned(document),
    ("GET", "/v1/slides/{doc_id}"): owned(document),
    ("POST", "/v1/media/start"): owned(document),
    ("GET", "/v1/media/{doc_id}"): owned(document),
    ("GET", "/v1/search"): filter_of(search_filtered),
    ("POST", "/v1/notify/test"): caller_scoped(),
    ("POST", "/v1/notify/schedule"): owned(reminder_about_assignment),
    ("GET", "/v1/notify/status/{delivery_id}"): owned(delivery),
    ("PUT", "/v1/notify/preferences"): caller_scoped(Call(body={"opted_out": False})),
    ("POST", "/v1/logs"): operators(),
    ("GET", "/v1/logs/query"): operators(),
    ("POST", "/v1/canvas/connect"): caller_scoped(),
    ("GET", "/v1/canvas/callback"): PUBLIC,
    ("DELETE", "/v1/canvas/connection"): caller_scoped(),
    ("POST", "/v1/canvas/sync"): caller_scoped(),
    ("GET", "/v1/canvas/sync/{sync_id}"): owned(sync_run),
    ("GET", "/v1/canvas/assignments"): filter_of(assignments_of_course),
    ("GET", "/v1/reviews/due"): filter_of(reviews_filtered),
    ("POST", "/v1/reviews/{card_id}"): owned(card_review),
    ("GET", "/v1/flashcards/{doc_id}/export.apkg"): owned(studied),
    ("GET", "/v1/courses/{course_id}/flashcards/export.apkg"): owned(course_export),
    ("POST", "/v1/quizzes"): owned(quiz_request),
    ("GET", "/v1/quizzes/{quiz_id}"): owned(quiz),
    ("POST", "/v1/quizzes/{quiz_id}/answers"): owned(quiz),
    ("POST", "/v1/ask"): owned(ask_document),
    ("PUT", "/v1/study/settings"): caller_scoped(Call(body={"daily_minutes": 30})),
    ("GET", "/v1/account/usage"): caller_scoped(),
    ("PUT", "/v1/canvas/courses/{course_id}/media"): owned(course_media),
}

# Rows that fail today, each with the reason and the owner who fixes it. Strict xfail: once fixed,
# the test passes, the xfail turns into a failure, and the line must be deleted.
KNOWN_GAPS: dict[tuple[str, str], str] = {}

# Listings whose required query parameters the automatic check cannot guess.
LISTING_CALLS: dict[tuple[str, str], Factory] = {("GET", "/v1/search"): search_listing}


# -- the walk -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    path_params: tuple[str, ...]
    query_id_params: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def names_an_object(self) -> bool:
        return bool(self.path_params or self.query_id_params) or self.method != "GET"


def _operations() -> list[Operation]:
    found = []
    for path, operations in create_app(Container()).openapi()["paths"].items():
        for method, spec in operations.items():
            params = spec.get("parameters", [])
            in_path = tuple(p["name"] for p in params if p["in"] == "path")
            id_query = tuple(p["name"] for p in params if p["in"] == "query" and p["name"].endswith("id"))
            if path.startswith("/v1/"):
                found.append(Operation(method.upper(), path, in_path, id_query))
    return found


def _kind(op: Operation) -> Kind | Literal["listing", "unlisted"]:
    row = ROUTES.get(op.key)
    if row is not None:
        return row.kind
    return "unlisted" if op.names_an_object else "listing"


def _cases(*kinds: str) -> pytest.MarkDecorator:
    chosen = [op for op in OPERATIONS if _kind(op) in kinds]
    return pytest.mark.parametrize("op", chosen, ids=[f"{op.method} {op.path}" for op in chosen])


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def world(container: Container) -> Iterator[World]:
    built = World(container=container, marker=f"bola-{uuid.uuid4().hex[:12]}")
    try:
        yield built
    finally:
        for client in built.clients.values():
            client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def user_a(container: Container) -> TestUser:
    return make_user(container)


@pytest.fixture(scope="module")
def a_things(world: World, user_a: TestUser) -> set[str]:
    """Everything A owns, made once by every factory: what B's listings must never show."""
    things = {world.marker, str(user_a.user_id), user_a.email}
    for row in ROUTES.values():
        if row.kind in ("owned", "filter") and row.factory is not None:
            call = row.factory(world, user_a)
            things.update(call.path.values(), call.ids)
    return things


def _send(client: TestClient, op: Operation, call: Call) -> Any:
    path = op.path.format(**call.path)
    if call.form is not None or call.files is not None:
        return client.request(op.method, path, params=call.query, data=call.form, files=call.files)
    return client.request(op.method, path, params=call.query, json=call.body)


def _leaks(text: str, things: set[str], sent: Call) -> list[str]:
    asked = set(sent.path.values()) | set(sent.query.values()) | {str(v) for v in (sent.body or {}).values()}
    return sorted(thing for thing in things - asked if thing and thing in text)


def _readable(response: Any) -> str:
    """The answer as text; an archive (the account export) is read member by member."""
    if response.headers.get("content-type") != "application/zip":
        return str(response.text)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_every_route_is_classified() -> None:
    unlisted = [f"{op.method} {op.path}" for op in OPERATIONS if _kind(op) == "unlisted"]
    assert not unlisted, f"these routes name an object or change state; add their rows to ROUTES in {__file__}"
    assert ("POST", "/v1/auth/login") in {op.key for op in OPERATIONS}  # the walk sees the live spec


@pytest.mark.usefixtures("container")
@_cases("owned", "filter", "caller", "operators", "listing")
def test_nobody_gets_401(container: Container, op: Operation) -> None:
    call = Call(path={name: str(uuid.uuid4()) for name in op.path_params}, body={})
    with TestClient(create_app(container), headers=FROM_APP) as anonymous:
        response = _send(anonymous, op, call)
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"


@_cases("owned")
def test_b_gets_404_for_a_objects(
    request: pytest.FixtureRequest, world: World, user_a: TestUser, a_things: set[str], op: Operation
) -> None:
    if op.key in KNOWN_GAPS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_GAPS[op.key], strict=True))
    factory = ROUTES[op.key].factory
    assert factory is not None
    call = factory(world, user_a)
    user_b = make_user(world.container)
    as_b = _send(world.client_for(user_b), op, call)
    assert as_b.status_code == 404, f"B got {as_b.status_code}: {as_b.text}"
    assert as_b.json()["error"]["code"] == "NOT_FOUND"
    assert not _leaks(as_b.text, a_things | {world.marker}, call)
    as_a = _send(world.client_for(user_a), op, call)
    assert as_a.status_code != 404 and as_a.status_code < 500, f"A got {as_a.status_code}: {as_a.text}"


@_cases("filter", "caller", "operators", "listing")
def test_b_sees_none_of_a_things(world: World, user_a: TestUser, a_things: set[str], op: Operation) -> None:
    row = ROUTES.get(op.key)
    as_b = world.client_for(make_user(world.container))
    if row is not None and row.factory is not None:
        call = row.factory(world, user_a)
    else:
        call = LISTING_CALLS[op.key](world, user_a) if op.key in LISTING_CALLS else Call()
    response = _send(as_b, op, call)
    assert response.status_code < 500, response.text
    assert not _leaks(_readable(response), a_things, call), response.text
    if row is not None and row.kind == "operators":
        assert response.status_code in (403, 404), response.text
    if row is not None and row.kind == "filter":
        nowhere = Call(query={k: str(uuid.uuid4()) if k.endswith("id") else v for k, v in call.query.items()})
        assert _send(as_b, op, nowhere).status_code == response.status_code
