"""Spend limits against real Postgres, Redis and Azurite: each stage refuses work past a quota."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.ai.contracts import AiRequest
from shared.container import Container
from shared.documents.service import create_document, request_ingest
from shared.gateway import create_app
from shared.media.adapters import Speech
from shared.media.stage import handle_media_request
from shared.notify.contracts import DeliveryView
from shared.notify.service import send_test
from shared.platform.clock import FixedClock
from shared.platform.errors import QuotaExceeded
from shared.platform.stages import StageState, stages_of
from shared.quota.service import QuotaGate
from shared.quota.store import PgUsageCounters
from shared.workers import run_drain
from tests.conftest import FROM_APP, make_settings
from tests.support import documents_files as files
from tests.support.ai_docs import lecture, seed_document
from tests.support.media_docs import make_document, media_request
from tests.support.users import make_user

pytestmark = pytest.mark.integration

TIGHT = {
    "QUOTA_PAGES_DAILY": 4,
    "QUOTA_AI_TOKENS_DAILY": 1_000,
    "QUOTA_SPEECH_SECONDS_DAILY": 5,
    "QUOTA_EMAILS_DAILY": 1,
    "LOG_SINK_DB": False,
}


@pytest.fixture(scope="module")
def tight(stack: Stack, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    outbox = tmp_path_factory.mktemp("outbox")
    built = Container(make_settings(stack, database_url, OUTBOX_DIR=str(outbox), **TIGHT))
    built.blobs.ensure_containers()
    try:
        yield built
    finally:
        keys = list(built.redis.scan_iter(match=f"{built.settings.stream_prefix}*", count=500))
        if keys:
            built.redis.delete(*keys)
        built.close()


def _stage(container: Container, doc_id: uuid.UUID, stage: str) -> StageState:
    with container.db.connection() as conn:
        return next(s for s in stages_of(conn, doc_id=doc_id) if s.stage == stage)


def _upload_pdf(container: Container, user_id: uuid.UUID, pages: int) -> uuid.UUID:
    data = files.text_pdf(pages)
    with container.db.connection() as conn:
        row = create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=user_id,
            title="notes",
            filename="notes.pdf",
            kind="pdf",
            size=len(data),
            course_id=None,
            source="upload",
            data=data,
        )
        request_ingest(conn=conn, publisher=container.publisher, doc_id=row.id, user_id=user_id)
    return row.id


def test_a_charge_counts_in_the_day_and_the_month_or_not_at_all(tight: Container) -> None:
    user = make_user(tight)
    clock = FixedClock(datetime(2026, 12, 29, 22, 0, tzinfo=UTC))
    settings = tight.settings.model_copy(update={"quota_pages_daily": 5, "quota_pages_monthly": 8})
    gate = QuotaGate(counters=PgUsageCounters(tight.db), settings=settings, clock=clock)

    gate.charge(user_id=user.user_id, metric="pages", amount=3)
    with pytest.raises(QuotaExceeded) as daily:
        gate.charge(user_id=user.user_id, metric="pages", amount=3)
    assert daily.value.resets_at == "2026-12-30T00:00:00Z"
    clock.advance(days=1)
    gate.charge(user_id=user.user_id, metric="pages", amount=4)  # a fresh day; the month holds 7 of 8
    clock.advance(days=1)
    with pytest.raises(QuotaExceeded) as monthly:
        gate.charge(user_id=user.user_id, metric="pages", amount=2)  # within the day, past the month
    assert monthly.value.resets_at == "2027-01-01T00:00:00Z"
    assert "monthly quota of 8" in monthly.value.message

    used = {(u.metric, u.period): u.used for u in gate.usage(user_id=user.user_id) if u.metric == "pages"}
    assert used == {("pages", "day"): 0, ("pages", "month"): 7}  # a refused charge counts in neither period


def test_ingest_past_the_page_quota_fails_with_the_reset_time_in_the_api(tight: Container) -> None:
    user = make_user(tight)
    first = _upload_pdf(tight, user.user_id, pages=3)
    second = _upload_pdf(tight, user.user_id, pages=3)

    run_drain(tight, "ingest.request", budget_s=3)

    outcomes = {doc_id: _stage(tight, doc_id, "ingest") for doc_id in (first, second)}
    [second] = [doc_id for doc_id, stage in outcomes.items() if stage.status == "failed"]  # the drain runs two at once
    assert sorted((s.status, s.error_code) for s in outcomes.values()) == [("done", None), ("failed", "QUOTA_EXCEEDED")]
    with TestClient(create_app(tight), headers=FROM_APP) as client:
        anonymous = client.get("/v1/account/usage")
        client.cookies.update(user.cookies)
        body = client.get(f"/v1/documents/{second}").json()
        usage = client.get("/v1/account/usage").json()["usage"]
    [ingest] = [s for s in body["stages"] if s["stage"] == "ingest"]
    assert ingest["error_code"] == "QUOTA_EXCEEDED"
    assert "resets at" in ingest["error_message"] and "daily quota of 4" in ingest["error_message"]
    pages = {line["period"]: line for line in usage if line["metric"] == "pages"}
    assert (pages["day"]["used"], pages["day"]["limit"], pages["day"]["remaining"]) == (3, 4, 1)
    assert {line["metric"] for line in usage} == {"pages", "ai_tokens", "speech_seconds", "emails"}
    assert anonymous.status_code == 401


def test_study_aids_past_the_token_quota_fail_before_the_generator_runs(tight: Container) -> None:
    user = make_user(tight)
    doc_id = seed_document(tight, user_id=user.user_id, structure=lecture(pages=4))
    tight.publisher.publish(AiRequest(doc_id=doc_id, user_id=user.user_id))

    report = run_drain(tight, "ai.request", budget_s=1)

    assert report.dead >= 1  # (the ingest test's document queued one too)
    stage = _stage(tight, doc_id, "ai")
    assert (stage.status, stage.error_code) == ("failed", "QUOTA_EXCEEDED")
    assert "AI tokens" in (stage.error_message or "")


class NoSpeech:
    name = "must-not-speak"

    def synthesize(self, *, text: str, out_path: Path) -> Speech:
        raise AssertionError(f"spoke {text!r} into {out_path} past the quota")


def test_narration_past_the_speech_quota_fails_before_any_speech(tight: Container) -> None:
    user = make_user(tight)
    doc_id = make_document(tight, user.user_id)

    with pytest.raises(QuotaExceeded):
        handle_media_request(tight, media_request(user.user_id, doc_id, count=3), tts=NoSpeech())

    stage = _stage(tight, doc_id, "media")
    assert (stage.status, stage.error_code) == ("failed", "QUOTA_EXCEEDED")


def _test_email(container: Container, user_id: uuid.UUID) -> DeliveryView:
    return send_test(
        user_id=user_id,
        db=container.db,
        publisher=container.publisher,
        throttle=container.throttle,
        clock=container.clock,
        settings=container.settings,
    )


def test_emails_past_the_quota_are_not_sent_and_say_why(tight: Container) -> None:
    user = make_user(tight)
    first, second = _test_email(tight, user.user_id), _test_email(tight, user.user_id)

    run_drain(tight, "notify.request", budget_s=1)

    with tight.db.connection() as conn:
        rows: dict[uuid.UUID, str] = dict(
            conn.execute(
                "SELECT id, status || ' ' || coalesce(error, '') FROM notification_deliveries WHERE id = ANY(%(ids)s)",
                {"ids": [first.id, second.id]},
            ).fetchall()
        )
    # The drain sends two at once, so either may be the one past the quota: one goes, one says why.
    outcomes = sorted(rows[d.id].strip() for d in (first, second))
    assert outcomes[0].startswith("failed QUOTA_EXCEEDED") and outcomes[1] == "sent", outcomes
    used = {(u.metric, u.period): u.used for u in tight.quota.usage(user_id=user.user_id)}
    assert used[("emails", "day")] == 1
