"""Reminders delivered through the real drain to a real SMTP server: once, retried, or given up."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from devtools.devhost.stack import Stack
from shared.container import Container
from shared.notify.contracts import NotifyRequest
from shared.notify.reminders import check_reminders
from shared.platform.clock import FixedClock
from shared.platform.drain import DrainReport
from shared.platform.streams import dead_key, stream_key
from shared.workers import run_drain
from tests.conftest import make_settings
from tests.support.notify_data import add_assignment, deliveries_of, delivery_ids_of, set_time_zone
from tests.support.notify_smtp import PASSWORD, USER, SmtpServer, smtp_server
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration

DUE = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    with smtp_server(tmp_path_factory.mktemp("smtp")) as running:
        yield running


@pytest.fixture(scope="module")
def mail(stack: Stack, database_url: str, server: SmtpServer) -> Iterator[Container]:
    settings = make_settings(
        stack,
        database_url,
        EMAIL_PROVIDER="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=server.port,
        SMTP_USER=USER,
        SMTP_PASSWORD=PASSWORD,
        SMTP_CA_FILE=str(server.ca_file),
        STREAM_VISIBILITY_TIMEOUT_MS=300,
        STREAM_MAX_DELIVERIES=3,
        LOG_SINK_DB=False,
        PUBLIC_BASE_URL="https://app.example.edu",
    )
    built = Container(settings)
    try:
        yield built
    finally:
        built.close()


def remind(container: Container) -> None:
    check_reminders(
        db=container.db,
        redis=container.redis,
        stream_key=stream_key(container.settings.stream_prefix, NotifyRequest.stream),
        clock=FixedClock(DUE - timedelta(hours=24)),
        windows_hours=[24],
        request_id=f"test-{uuid.uuid4().hex[:8]}",
    )


def student(container: Container, email: str | None = None) -> TestUser:
    user = make_user(container, email=email or f"s{uuid.uuid4().hex[:8]}@example.edu")
    set_time_zone(container, user_id=user.user_id, time_zone="America/Chicago")
    return user


def received_by(server: SmtpServer, address: str) -> int:
    return sum(address in r.rcpt_tos for r in server.handler.received)


def test_a_due_reminder_is_emailed_once_with_the_local_due_time(mail: Container, server: SmtpServer) -> None:
    user = student(mail)
    add_assignment(mail, user_id=user.user_id, due_at=DUE, name="Lab report", course="CHEM 110")
    remind(mail)
    report = run_drain(mail, "notify.request", budget_s=1.5)
    assert report.acked >= 1
    [got] = [r for r in server.handler.received if user.email in r.rcpt_tos]
    plain = got.message.get_body(preferencelist=("plain",))
    assert plain is not None
    local = DUE.astimezone(ZoneInfo("America/Chicago"))
    assert f"{local:%H:%M}" in plain.get_content() and "(America/Chicago)" in plain.get_content()
    assert "https://canvas.example.edu/courses/1/assignments/" in plain.get_content()
    assert got.message["Subject"].startswith("Reminder: Lab report is due in")
    [(_, window, kind, status, attempts, error)] = deliveries_of(mail, user.user_id)
    assert (window, kind, status, attempts, error) == (24, "reminder", "sent", 1, None)
    # The same message again (a re-published claim) finds the delivery sent: no second email.
    [delivery_id] = delivery_ids_of(mail, [user.user_id])
    message = NotifyRequest(delivery_id=uuid.UUID(delivery_id), user_id=user.user_id)
    mail.publisher.publish(message)
    run_drain(mail, "notify.request", budget_s=1.0)
    assert received_by(server, user.email) == 1


def test_a_delivery_row_briefly_locked_by_its_publisher_is_sent_without_a_retry(
    mail: Container, server: SmtpServer
) -> None:
    """`POST /v1/notify/test` publishes, then stamps `published_at` on the row: a worker that picks
    the message up in that moment waits for the stamp instead of retrying a visibility timeout later."""
    user = student(mail)
    add_assignment(mail, user_id=user.user_id, due_at=DUE)
    remind(mail)
    [delivery_id] = delivery_ids_of(mail, [user.user_id])
    stamped = threading.Event()
    with mail.db.connection() as publisher_side:
        publisher_side.execute("UPDATE notification_deliveries SET published_at = now() WHERE id = %s", (delivery_id,))
        threading.Timer(0.4, stamped.set).start()
        reports: list[DrainReport] = []
        drained = threading.Thread(target=lambda: reports.append(run_drain(mail, "notify.request", budget_s=1.5)))
        drained.start()
        stamped.wait()
    drained.join()
    assert (reports[0].acked, reports[0].retried) == (1, 0)
    assert received_by(server, user.email) == 1


def test_transient_failures_are_retried_until_sent(mail: Container, server: SmtpServer) -> None:
    user = student(mail)
    server.handler.deferrals[user.email] = 2
    add_assignment(mail, user_id=user.user_id, due_at=DUE)
    remind(mail)
    run_drain(mail, "notify.request", budget_s=3.0)
    assert received_by(server, user.email) == 1
    [(_, _, _, status, attempts, error)] = deliveries_of(mail, user.user_id)
    assert (status, attempts, error) == ("sent", 3, None)


def test_a_bad_address_fails_at_once_and_is_not_retried(mail: Container, server: SmtpServer) -> None:
    user = student(mail, email=f"nobody@{uuid.uuid4().hex[:6]}.example.edu")
    add_assignment(mail, user_id=user.user_id, due_at=DUE)
    remind(mail)
    report = run_drain(mail, "notify.request", budget_s=1.5)
    assert report.dead >= 1
    [(_, _, _, status, attempts, error)] = deliveries_of(mail, user.user_id)
    assert (status, attempts) == ("failed", 1)
    assert isinstance(error, str) and "550" in error
    dead: Any = mail.redis.xrange(dead_key(mail.settings.stream_prefix, "notify.request"))
    assert received_by(server, user.email) == 0
    assert any(fields[b"error_code"] == b"INVALID_ARGUMENT" for _, fields in dead)


def test_endless_deferral_gives_up_after_the_delivery_limit(mail: Container, server: SmtpServer) -> None:
    user = student(mail)
    server.handler.deferrals[user.email] = 99
    add_assignment(mail, user_id=user.user_id, due_at=DUE)
    remind(mail)
    run_drain(mail, "notify.request", budget_s=3.0)
    [(_, _, _, status, attempts, error)] = deliveries_of(mail, user.user_id)
    assert (status, attempts) == ("failed", 3)
    assert isinstance(error, str) and error.startswith("gave up after 3 attempts") and "451" in error
    assert received_by(server, user.email) == 0


def test_work_submitted_after_the_claim_is_skipped(mail: Container, server: SmtpServer) -> None:
    user = student(mail)
    assignment = add_assignment(mail, user_id=user.user_id, due_at=DUE)
    remind(mail)
    with mail.db.connection() as conn:
        conn.execute("UPDATE assignments SET submitted = true WHERE id = %s", (assignment.id,))
    run_drain(mail, "notify.request", budget_s=1.0)
    [(_, _, _, status, attempts, error)] = deliveries_of(mail, user.user_id)
    assert (status, attempts, error) == ("skipped", 0, "skipped: already submitted")
    assert received_by(server, user.email) == 0


def test_outbox_writes_an_eml_per_email(stack: Stack, database_url: str, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    container = Container(make_settings(stack, database_url, OUTBOX_DIR=str(outbox), LOG_SINK_DB=False))
    try:
        user = student(container)
        add_assignment(container, user_id=user.user_id, due_at=DUE, name="Quiz 3")
        remind(container)
        run_drain(container, "notify.request", budget_s=1.0)
    finally:
        container.close()
    [eml] = [p for p in outbox.glob("*.eml") if user.email in p.read_text()]
    text = eml.read_text()
    assert "Subject: Reminder: Quiz 3 is due in" in text
    assert "multipart/alternative" in text
