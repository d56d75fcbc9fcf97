"""The smoke walk's steps, in order. Each returns a short detail for the report or raises StepFailed."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from shared.smoke.sample import sample_pdf
from shared.smoke.walk import Json, StepFailed, Walk

Step = Callable[[Walk], str]


def health(walk: Walk) -> str:
    body: Json = walk.call("health", "GET", "/health").json()
    if body.get("ok") is not True:
        raise StepFailed("health", f"/health answered {body}")
    return f"version {body.get('version')}"


def sign_up(walk: Walk) -> str:
    email = f"smoke-{uuid.uuid4().hex[:12]}@example.edu"
    walk.password = f"smoke check {uuid.uuid4().hex}"
    walk.call("sign-up", "POST", "/v1/auth/signup", 201, json={"email": email, "password": walk.password})
    return email


def upload(walk: Walk) -> str:
    data = sample_pdf()
    body = {"title": "Smoke check", "filename": "smoke-check.pdf", "kind": "pdf", "size": len(data)}
    created: Json = walk.call("upload", "POST", "/v1/documents", 201, json=body).json()
    walk.doc_id = created["document"]["id"]
    try:
        put = walk.blobs.put(created["upload_url"], content=data, headers=created["upload_headers"])
    except httpx.HTTPError as exc:
        raise StepFailed("upload", f"PUT to the SAS URL: {type(exc).__name__}: {exc}") from exc
    if put.status_code != 201:
        raise StepFailed("upload", f"PUT to the SAS URL answered {put.status_code}: {put.text[:300]}")
    return f"document {walk.doc_id}, {len(data)} bytes through the SAS URL"


def _stage(walk: Walk, name: str) -> Json | None:
    document: Json = walk.call(name, "GET", f"/v1/documents/{walk.doc_id}").json()
    stage: Json | None = next((s for s in document["stages"] if s["stage"] == name), None)
    if stage is not None and stage["status"] == "failed":
        raise StepFailed(name, f"the stage failed: {walk.stages()}")
    return document if stage is not None and stage["status"] == "done" else None


def ingest(walk: Walk) -> str:
    document = walk.wait("ingest", lambda: _stage(walk, "ingest"), walk.stages)
    return f"{document['page_count']} pages"


def notes(walk: Walk) -> str:
    def ready() -> Json | None:
        _stage(walk, "ai")  # fails fast, with the stage's error, when the AI stage failed
        response = walk.call("notes", "GET", f"/v1/notes/{walk.doc_id}", 200, 202)
        body: Json = response.json()
        return body if response.status_code == 200 else None

    found = walk.wait("notes", ready, walk.stages)
    if not found["summary"]["key_points"]:
        raise StepFailed("notes", "the notes have no key points")
    return f"{len(found['summary']['key_points'])} key points"


def media(walk: Walk) -> str:
    def listed() -> Json | None:
        view: Json = walk.call("media", "GET", f"/v1/media/{walk.doc_id}").json()
        if view["status"] == "failed":
            raise StepFailed("media", f"the stage failed ({view['error_code']}: {view['error_message']})")
        complete = view["status"] == "done" and all(view[kind] for kind in ("video", "audio", "captions"))
        return view if complete else None

    view = walk.wait("media", listed, walk.stages)
    walk.media = view
    return f"video of {view['duration_ms'] or view['video'].get('duration_ms')} ms"


def read(walk: Walk) -> str:
    document: Json = walk.call("read", "GET", f"/v1/documents/{walk.doc_id}").json()
    notes_view: Json = walk.call("read", "GET", f"/v1/notes/{walk.doc_id}").json()
    checks: dict[str, tuple[str, Callable[[bytes], bool]]] = {
        "document.md": (document["markdown_url"], lambda b: b"Photosynthesis" in b),
        "notes": (notes_view["markdown_url"], lambda b: len(b) > 0),
        "video": (walk.media["video"]["url"], lambda b: b[4:8] == b"ftyp"),
        "thumbnail": (walk.media["video"]["thumbnail_url"], lambda b: b[:3] == b"\xff\xd8\xff"),
        "captions": (walk.media["captions"]["url"], lambda b: b.startswith(b"WEBVTT")),
        "audio": (walk.media["audio"]["url"], lambda b: len(b) > 0),
    }
    for name, (url, looks_right) in checks.items():
        try:
            response = walk.blobs.get(url)
        except httpx.HTTPError as exc:
            raise StepFailed("read", f"{name}: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200 or not looks_right(response.content):
            raise StepFailed("read", f"{name} answered {response.status_code}: {response.content[:80]!r}")
    return ", ".join(checks)


STEPS: tuple[tuple[str, Step], ...] = (
    ("health", health),
    ("sign-up", sign_up),
    ("upload", upload),
    ("ingest", ingest),
    ("notes", notes),
    ("media", media),
    ("read", read),
)
