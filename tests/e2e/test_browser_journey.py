"""A student's journey in Debian's Chromium against `studyaid dev --prod-like`.

Production semantics throughout: the API on HTTPS with a throw-away CA that Chromium trusts for
real, `APP_ENV=production` (Secure `__Host-` cookie, CSRF origin check, HSTS), the page served
from another origin (the React app's) and calling the API with the generated TypeScript client.
Every step asserts on the page's DOM; screenshots go to .local/browser-journey/ for people.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from devtools.canvas_stub import CanvasStub
from devtools.devhost.local_ca import ensure_local_tls
from devtools.devhost.stack import Stack
from tests.support.browser import build_pages, home_trusting, launch_chromium, serving
from tests.support.canvas_stub import running_stub
from tests.support.dev_runner import REPO_ROOT, Runner, running_dev
from tests.support.services import free_port

logger = logging.getLogger(__name__)

SCREENSHOTS = REPO_ROOT / ".local" / "browser-journey"
PASSWORD = "a long enough passphrase"
# Small and quick media: the point is a real MP4 the browser plays, not its quality.
FAST_MEDIA = {"VIDEO_WIDTH": "320", "VIDEO_HEIGHT": "180", "VIDEO_FPS": "5", "ESPEAK_WPM": "400"}

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(600)]


class Journey:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.shots = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def step(self, name: str, *args: str) -> object:
        started = time.monotonic()
        result = self.page.evaluate(f"(args) => journey.{name}(...args)", list(args))
        self.shot(name)
        logger.info("browser step %s took %.2f s", name, time.monotonic() - started)
        return result

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=SCREENSHOTS / f"{self.shots:02d}-{name}.png", full_page=True)

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector)


def _env(app_origin: str, stub: CanvasStub) -> dict[str, str]:
    return {
        "CORS_ORIGINS": json.dumps([app_origin]),
        "APP_URL": f"{app_origin}/",
        "CANVAS_BASE_URL": stub.base_url,
        "CANVAS_CLIENT_ID": stub.state.client_id,
        "CANVAS_CLIENT_SECRET": stub.state.client_secret,
        "CANVAS_FILE_HOSTS": json.dumps([stub.files_url]),
        "CANVAS_ALLOW_PRIVATE_HOSTS": "true",
        **FAST_MEDIA,
    }


def _session_cookie(context: BrowserContext) -> dict[str, object]:
    cookies = [dict(c) for c in context.cookies() if "studyaid_session" in c["name"]]
    assert len(cookies) == 1, cookies
    return cookies[0]


def _documents(runner: Runner, cookie: dict[str, object]) -> int:
    headers = {"Cookie": f"{cookie['name']}={cookie['value']}"}
    listing = httpx.get(f"{runner.base_url}/v1/documents", headers=headers, verify=runner.verify())
    assert listing.status_code == 200, listing.text
    return len(listing.json()["items"])


def test_a_student_walks_the_app_in_chromium_with_production_settings(stack: Stack, tmp_path: Path) -> None:
    started = time.monotonic()
    app_port, foreign_port = free_port(), free_port()
    app_origin = f"https://localhost:{app_port}"
    with (
        running_stub() as stub,
        running_dev(stack, tmp_path / "dev", prod_like=True, env=_env(app_origin, stub)) as runner,
    ):
        tls = ensure_local_tls(runner.state_dir / "tls")
        pages = build_pages(tmp_path / "pages", api_base=runner.base_url)
        home = home_trusting(tls.ca, tmp_path / "home")
        with (
            serving(pages, tls, port=app_port),
            serving(pages, tls, port=foreign_port) as foreign_origin,
            sync_playwright() as playwright,
        ):
            browser = launch_chromium(playwright, home=home)
            try:
                context = browser.new_context()
                _walk(Journey(context.new_page()), context, runner, app_origin, foreign_origin)
            finally:
                browser.close()
    logger.info("browser journey took %.1f s in all", time.monotonic() - started)


def _walk(journey: Journey, context: BrowserContext, runner: Runner, app: str, foreign: str) -> None:
    page = journey.page
    page.goto(f"{app}/index.html")
    page.wait_for_selector("#ready:text('ready')")
    email = f"browser-{uuid.uuid4().hex[:8]}@example.edu"

    assert journey.step("signUp", email, PASSWORD) == email
    cookie = _session_cookie(context)
    assert cookie["name"] == "__Host-studyaid_session" and cookie["secure"] and cookie["httpOnly"]
    assert journey.step("signOut") == "signed out"
    assert journey.step("signIn", email, PASSWORD) == email

    _foreign_origin_changes_nothing(journey, context, runner, foreign, email)

    assert journey.step("upload", "/tiny.pdf") == 201
    journey.step("watchStages")
    stages = journey.text("#stages")
    assert all(f"{stage}: done" in stages for stage in ("ingest", "ai", "media")), stages
    assert int(str(journey.step("readStudyAids"))) > 0
    assert journey.text("#notes").strip() and page.locator("#cards li").count() > 0
    assert journey.step("readMarkdown") == 200
    assert "Chapter 1 Heading" in journey.text("#markdown")
    assert journey.step("playVideo") is True
    assert journey.text("#played").startswith("ended at")
    _study(journey, context, foreign)

    page.evaluate("() => { void journey.connectCanvas(); }")
    page.wait_for_url(re.compile(r"\?canvas="), timeout=30_000)
    page.wait_for_selector("#ready:text('ready')")
    journey.shot("canvas-callback")
    assert journey.text("#canvas") == "connected", page.url
    assert journey.text("#user") == email  # back on the app, still signed in
    assert journey.step("syncCanvas") == "done"
    assert page.locator("#courses li").count() > 0
    _plan_against_canvas(journey)
    assert journey.step("signOut") == "signed out"


def _foreign_origin_changes_nothing(
    journey: Journey, context: BrowserContext, runner: Runner, foreign: str, email: str
) -> None:
    """A page on another origin of the same site: the browser sends the cookie; nothing may change."""
    before = _documents(runner, _session_cookie(context))
    other = context.new_page()
    other.goto(f"{foreign}/foreign.html")
    results = other.evaluate("() => attacks()")
    other.screenshot(path=SCREENSHOTS / "foreign-origin.png", full_page=True)
    other.close()
    assert results["createDocument"].startswith("blocked"), results  # preflight refused: never sent
    assert results["deleteCanvas"].startswith("blocked"), results
    assert results["readSession"].startswith("blocked"), results  # no CORS grant: unreadable
    assert results["logout"] == "opaque" and results["syncForm"] == "opaque", results  # sent, refused by CSRF
    assert journey.step("whoAmI") == email  # the forged sign-out did not end the session
    assert _documents(runner, _session_cookie(context)) == before


CITED = re.compile(r"\[Tiny lecture, [^\]]*, p\. \d+\]")
REVIEWED = re.compile(r"^(?P<card>\S+) next due (?P<due>\S+) reviewed at (?P<at>\S+) replayed=(?P<replayed>\w+)$")


def _study(journey: Journey, context: BrowserContext, foreign: str) -> None:
    """Reviews, a retried review, a quiz, a question and the Anki export of the uploaded document."""
    due = [str(card) for card in journey.step("listDue")]  # type: ignore[attr-defined]
    assert due and journey.text("#due-total") == str(len(due)), due
    assert all("reps=0" in line for line in journey.page.locator("#due li").all_inner_texts())
    _foreign_review_changes_nothing(journey, context, foreign, card=due[0], due_now=len(due))
    _review_once_even_when_retried(journey, due)
    assert int(str(journey.step("takeQuiz"))) > 0
    questions, graded = journey.page.locator("#quiz li").all_inner_texts(), journey.page.locator("#graded li")
    assert questions and all(CITED.search(q) for q in questions), questions
    assert graded.count() == len(questions) and all(CITED.search(g) for g in graded.all_inner_texts())
    score = re.fullmatch(r"(\d+) of (\d+)", journey.text("#quiz-score"))
    assert score and int(score[1]) > 0 and score[2] == str(len(questions)), journey.text("#quiz-score")
    assert any(g.startswith("right") and "next due 20" in g for g in graded.all_inner_texts())  # fed the scheduler
    assert int(str(journey.step("askQuestion", "What is the body text of page 1 about?"))) > 0
    assert journey.text("#answer-found").startswith("found=true"), journey.text("#answer-found")
    sentences = journey.page.locator("#answer li").all_inner_texts()
    assert sentences and all(CITED.search(s) for s in sentences), sentences  # every sentence cites a page
    assert int(str(journey.step("downloadApkg"))) > 0
    apkg = journey.text("#apkg")
    assert "magic=50 4b 03 04" in apkg and re.search(r"entries=.*collection\.anki2", apkg), apkg


def _review_once_even_when_retried(journey: Journey, due: list[str]) -> None:
    before = time.time()
    journey.step("submitReview", due[0])
    first = REVIEWED.match(journey.text("#reviewed"))
    assert first and first["card"] == due[0] and first["replayed"] == "false", journey.text("#reviewed")
    assert datetime.fromisoformat(first["due"]).timestamp() > before  # a "good" new card comes back later
    assert due[0] not in journey.text("#due") and journey.text("#due-total") == str(len(due) - 1)
    assert journey.step("retryReview") is True
    again = REVIEWED.match(journey.text("#retried"))
    assert again and again["replayed"] == "true", journey.text("#retried")
    assert (again["due"], again["at"]) == (first["due"], first["at"])  # the same review, not a second one
    assert journey.text("#due-total") == str(len(due) - 1)


def _foreign_review_changes_nothing(
    journey: Journey, context: BrowserContext, foreign: str, *, card: str, due_now: int
) -> None:
    """Another origin rates one of the student's due cards with the student's cookie: refused."""
    other = context.new_page()
    other.goto(f"{foreign}/foreign.html")
    doc_id = journey.text("#upload").split()[-1]
    results = other.evaluate("([card, doc]) => attackReview(card, doc)", [card, doc_id])
    other.screenshot(path=SCREENSHOTS / "foreign-origin-review.png", full_page=True)
    other.close()
    assert results["reviewJson"].startswith("blocked"), results  # preflight refused: never sent
    assert results["reviewSimple"] == "opaque", results  # sent with the cookie, refused by the CSRF check
    still_due = [str(c) for c in journey.step("listDue")]  # type: ignore[attr-defined]
    assert card in still_due and len(still_due) == due_now, still_due
    line = next(t for t in journey.page.locator("#due li").all_inner_texts() if t.startswith(card))
    assert "reps=0" in line, line


def _plan_against_canvas(journey: Journey) -> None:
    """The plan at a daily budget: readings of the synced course documents before Canvas's due dates."""
    assert journey.step("readPlan", "45") == 45
    assert journey.text("#budget") == "45 min/day"
    check = dict(part.split("=") for part in journey.text("#plan-check").split())
    assert int(check["readings"]) > 0 and check["against-canvas"] == check["readings"], check
    plan = journey.page.locator("#plan li").all_inner_texts()
    assert any(" reviews: " in line for line in plan), plan  # the uploaded document's cards are due
