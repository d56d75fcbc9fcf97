"""A developer's walkthrough of `studyaid dev` over HTTP only: from sign-up to a playable video.

The runner is started as a subprocess, as `make dev` does (tests/support/dev_runner.py). Every
step after that goes through the API and signed blob URLs, exactly as the React app would.
"""

from __future__ import annotations

import collections
import json
import logging
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from devtools.devhost.stack import Stack
from tests.conftest import FROM_APP
from tests.support.dev_runner import Runner, running_dev
from tests.support.documents_files import lecture_pdf
from tests.support.outbox import mails_to, token_in

logger = logging.getLogger(__name__)

PDF_NAME = "lecture3.pdf"

Json = dict[str, Any]


@pytest.fixture
def runner(stack: Stack, tmp_path: Path) -> Iterator[Runner]:
    with running_dev(stack, tmp_path) as started:
        yield started


def _poll(what: str, check: Callable[[], Json | None], *, timeout_s: float, why: Callable[[], str]) -> Json:
    """Call `check` until it returns a value; fail naming the stage and why it is stuck."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found is not None:
            return found
        time.sleep(0.25)
    raise AssertionError(f"{what} did not finish within {timeout_s} s; {why()}")


def _stage(document: Json, name: str) -> Json | None:
    return next((s for s in document["stages"] if s["stage"] == name), None)


def _ok(response: httpx.Response, *expected: int) -> Json:
    assert response.status_code in (expected or (200,)), (
        f"{response.request.url}: {response.status_code} {response.text}"
    )
    body: Json = response.json()
    return body


class Walkthrough:
    """One signed-in developer driving the running app."""

    def __init__(self, runner: Runner, http: httpx.Client) -> None:
        self.runner, self.http = runner, http
        self.doc_id = ""

    def document(self) -> Json:
        return _ok(self.http.get(f"/v1/documents/{self.doc_id}"))

    def why(self) -> str:
        stages = [(s["stage"], s["status"], s["error_code"], s["error_message"]) for s in self.document()["stages"]]
        return f"document stages (stage, status, error_code, error_message): {stages}\nrunner:\n{self.runner.output()}"

    def wait_stage(self, name: str, *, timeout_s: float) -> Json:
        def done() -> Json | None:
            document = self.document()
            stage = _stage(document, name)
            assert stage is None or stage["status"] != "failed", f"{name} failed: {self.why()}"
            return document if stage is not None and stage["status"] == "done" else None

        return _poll(f"the {name} stage", done, timeout_s=timeout_s, why=self.why)

    def wait_ready(self, route: str, *, timeout_s: float) -> Json:
        def ready() -> Json | None:
            response = self.http.get(f"/v1/{route}/{self.doc_id}")
            assert response.status_code in (200, 202), f"/v1/{route}: {response.status_code} {response.text}"
            return _ok(response) if response.status_code == 200 else None

        return _poll(f"/v1/{route}", ready, timeout_s=timeout_s, why=self.why)

    def wait_media(self, *, timeout_s: float) -> Json:
        def listed() -> Json | None:
            media = _ok(self.http.get(f"/v1/media/{self.doc_id}"))
            assert media["status"] != "failed", f"media failed: {media}"
            complete = media["status"] == "done" and all(media[kind] for kind in ("video", "audio", "captions"))
            return media if complete else None

        return _poll("the media stage (video, thumbnail, captions, audio)", listed, timeout_s=timeout_s, why=self.why)


def _sign_up(http: httpx.Client, runner: Runner) -> Json:
    """Sign up and follow the link in the verification email (only a verified address gets mail)."""
    email = f"walk-{uuid.uuid4().hex[:10]}@example.edu"
    _ok(http.post("/v1/auth/signup", json={"email": email, "password": "a long enough passphrase"}), 201)

    def mailed() -> Json | None:  # the email goes out after the answer
        found = mails_to(runner.outbox, email)
        return {"token": token_in(found[0])} if found else None

    token = _poll("the verification email", mailed, timeout_s=10, why=runner.output)
    return _ok(http.post("/v1/auth/email/verify", json=token))


def _upload(walk: Walkthrough) -> None:
    data = lecture_pdf()
    body = {"title": "Lecture 3", "filename": PDF_NAME, "kind": "pdf", "size": len(data)}
    created = _ok(walk.http.post("/v1/documents", json=body), 201)
    walk.doc_id = created["document"]["id"]
    put = httpx.put(created["upload_url"], content=data, headers=created["upload_headers"], timeout=30)
    assert put.status_code == 201, f"PUT to the SAS URL: {put.status_code} {put.text}"


def _unique_heading(structure: Json) -> Json:
    """A section on a known page whose heading no other section shares (search must put it first)."""
    sections = structure["sections"]
    counts = collections.Counter(s["heading"].lower() for s in sections)
    candidates = [
        s
        for s in sections
        if s["source"]["page"] and counts[s["heading"].lower()] == 1 and s["text"] and not s["continued"]
    ]
    assert candidates, f"no section with a unique heading and a page in {PDF_NAME}"
    return max(candidates, key=lambda s: len(s["heading"].split()))


def _check_derived(document: Json) -> Json:
    markdown = httpx.get(document["markdown_url"], timeout=10)
    assert markdown.status_code == 200, f"document.md: {markdown.status_code} {markdown.text[:200]}"
    has_pages = "<!-- page 10 -->" in markdown.text and "\n# " in markdown.text
    assert has_pages, f"document.md lacks page marks or headings: {markdown.text[:200]!r}"
    structure: Json = httpx.get(document["structure_url"], timeout=10).json()
    assert structure["page_count"] >= 10 and len(structure["sections"]) >= 10, structure.get("page_count")
    assert document["page_count"] == structure["page_count"]
    return structure


def _check_study_aids(walk: Walkthrough) -> None:
    notes = walk.wait_ready("notes", timeout_s=60)
    walk.runner.timings["notes"] = time.monotonic() - walk.runner.timings["uploaded_at"]
    assert notes["summary"]["key_points"], notes
    assert httpx.get(notes["markdown_url"], timeout=10).status_code == 200
    slides = walk.wait_ready("slides", timeout_s=30)
    assert slides["slide_count"] == len(slides["slides"]) > 0
    assert all(slide["source"]["page"] for slide in slides["slides"]), "every slide cites its page"
    cards = walk.wait_ready("flashcards", timeout_s=30)
    assert cards["cards"] and all(card["source"]["section"] for card in cards["cards"])


def _check_media(walk: Walkthrough) -> None:
    media = walk.wait_media(timeout_s=300)
    walk.runner.timings["media"] = time.monotonic() - walk.runner.timings["uploaded_at"]
    video = httpx.get(media["video"]["url"], timeout=30)
    assert video.status_code == 200 and video.content[4:8] == b"ftyp", video.content[:16]
    assert httpx.get(media["video"]["thumbnail_url"], timeout=10).content[:3] == b"\xff\xd8\xff"
    assert httpx.get(media["captions"]["url"], timeout=10).text.startswith("WEBVTT")
    assert httpx.get(media["audio"]["url"], timeout=10).status_code == 200


def _check_search(walk: Walkthrough, structure: Json) -> None:
    section = _unique_heading(structure)
    found = _ok(walk.http.get("/v1/search", params={"q": section["heading"] + " "}))
    assert found["hits"], f"no hits for {section['heading']!r}"
    first = found["hits"][0]
    assert first["citation"] == {"section": section["heading"], "page": section["source"]["page"], "unit": "page"}
    assert first["document"]["id"] == walk.doc_id


def _check_test_email(walk: Walkthrough) -> None:
    queued = _ok(walk.http.post("/v1/notify/test"), 202)

    def sent() -> Json | None:
        status = _ok(walk.http.get(f"/v1/notify/status/{queued['id']}"))
        assert status["status"] in ("queued", "sent"), status
        return status if status["status"] == "sent" else None

    # A few seconds. It once took a visibility timeout when the worker met the row still locked by
    # the API's `published_at` stamp (fixed in notify's store; see test_notify_delivery.py).
    _poll("the test email", sent, timeout_s=30, why=walk.runner.output)
    eml = walk.runner.outbox / f"{queued['id']}.eml"
    assert eml.is_file(), f"no {eml.name} in {sorted(p.name for p in walk.runner.outbox.glob('*'))}"
    assert b"Subject:" in eml.read_bytes()


def _check_smoke_walk(runner: Runner) -> None:
    """`studyaid verify --url` walks `make dev` exactly as it walks Azure (scripts/azd/postdeploy.sh)."""
    done = subprocess.run(
        [sys.executable, "-m", "shared.cli", "verify", "--url", runner.base_url, "--wait", "240"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = done.stdout
    assert done.returncode == 0, f"{report}\n{done.stderr[-2000:]}\nrunner:\n{runner.output()}"
    steps = [line.split()[1] for line in report.splitlines() if line.startswith("ok    ")]
    assert steps == ["health", "sign-up", "upload", "ingest", "notes", "media", "read", "clean-up:"], report
    assert "account deleted (204)" in report
    request_id = re.search(r"request id (verify-[0-9a-f]+)", report)
    assert request_id is not None
    # The walk's request id rode every stage: the media worker's lines carry it too.
    log = runner.log_file.read_text(errors="replace")
    assert any(request_id[1] in line and '"logger": "shared.media' in line for line in log.splitlines()), (
        f"no media log line carries {request_id[1]}"
    )


@pytest.mark.integration
@pytest.mark.slow
def test_a_developer_walks_from_sign_up_to_a_playable_video_in_the_dev_runner(runner: Runner) -> None:
    """Then the post-deploy smoke check walks the same runner (the one runner start serves both)."""
    with httpx.Client(base_url=runner.base_url, timeout=10, headers=FROM_APP) as http:
        walk = Walkthrough(runner, http)
        _sign_up(http, runner)
        _upload(walk)
        runner.timings["uploaded_at"] = time.monotonic()
        document = walk.wait_stage("ingest", timeout_s=60)
        runner.timings["ingest"] = time.monotonic() - runner.timings["uploaded_at"]
        structure = _check_derived(document)
        _check_study_aids(walk)
        _check_search(walk, structure)
        _check_test_email(walk)
        _check_media(walk)
    started = time.monotonic()
    _check_smoke_walk(runner)
    runner.timings["smoke_check"] = time.monotonic() - started
    timings = {k: round(v, 2) for k, v in runner.timings.items() if k != "uploaded_at"}
    logger.info("dev walkthrough timings (s, from the end of the upload): %s", json.dumps(timings))
    runner.process.send_signal(signal.SIGINT)
    code = runner.process.wait(timeout=60)
    assert code == 0, f"studyaid dev exited with {code} after Ctrl-C (timings {timings}):\n{runner.output()}"
