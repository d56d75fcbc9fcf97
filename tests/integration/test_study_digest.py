"""The daily digest timer: one email a day with the plan, through the notify stage, never to opted-out students."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from shared.container import Container
from shared.platform.clock import FixedClock
from shared.workers import run_timer_job
from tests.support.study_docs import studied_document
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


@pytest.fixture
def noon(container: Container) -> Iterator[FixedClock]:
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    fixed, before = FixedClock(today + timedelta(days=1)), container.clock  # tomorrow: every new card is due
    container.clock = fixed
    try:
        yield fixed
    finally:
        container.clock = before


def _student(container: Container, *, digest: bool, opted_out: bool = False) -> TestUser:
    user = make_user(container)
    with container.db.connection() as conn:
        conn.execute("INSERT INTO study_settings (user_id, digest) VALUES (%s, %s)", (user.user_id, digest))
        if opted_out:
            conn.execute("INSERT INTO notify_preferences (user_id, opted_out) VALUES (%s, true)", (user.user_id,))
    _, aids = studied_document(container, user_id=user.user_id)
    CARDS[user.user_id] = len(aids.cards)
    return user


#: How many cards each student's document has (every new card is due today).
CARDS: dict[uuid.UUID, int] = {}


def _digests(container: Container, user_id: uuid.UUID) -> list[str]:
    with container.db.connection() as conn:
        rows = conn.execute(
            "SELECT body_text FROM notification_deliveries WHERE user_id = %s AND kind = 'custom'", (user_id,)
        ).fetchall()
    return [row[0] for row in rows]


def test_one_digest_a_day_only_for_students_who_want_it(container: Container, noon: FixedClock) -> None:
    wants, opted_out, off = (
        _student(container, digest=True),
        _student(container, digest=True, opted_out=True),
        _student(container, digest=False),
    )
    result = run_timer_job(container, "study_digest")
    assert result["status"] == "ok"
    [text] = _digests(container, wants.user_id)
    assert text.startswith("Today's study plan") and f"- review {CARDS[wants.user_id]} cards" in text
    assert _digests(container, opted_out.user_id) == [] and _digests(container, off.user_id) == []
    run_timer_job(container, "study_digest")
    assert len(_digests(container, wants.user_id)) == 1  # once a day
    noon.advance(days=1)
    run_timer_job(container, "study_digest")
    assert len(_digests(container, wants.user_id)) == 2


def test_no_digest_before_the_hour(container: Container, noon: FixedClock) -> None:
    early = _student(container, digest=True)
    noon.at = noon.at.replace(hour=container.settings.study_digest_hour - 1)
    run_timer_job(container, "study_digest")
    assert _digests(container, early.user_id) == []
