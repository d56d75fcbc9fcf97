"""Composing an email from a delivery: both parts, the link, escaping, and when not to send."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from shared.notify.adapters import to_mime
from shared.notify.compose import compose, moved_later, skip_reason
from shared.notify.contracts import OutgoingEmail
from shared.notify.store.deliveries import DeliveryJob
from tests.support.fakes_notify import delivery_job

NOW = datetime(2031, 5, 1, 12, 0, tzinfo=UTC)


def job(**changes: object) -> DeliveryJob:
    return delivery_job(now=NOW, **changes)


def test_reminder_has_both_parts_the_local_due_time_and_the_link() -> None:
    email = compose(job(), now=NOW, base_url="https://app.example.edu")
    assert email.subject == "Reminder: Lab <3> & report is due in 24 hours"
    assert "Due: Friday 2 May 2031, 14:00 CEST (Europe/Berlin)" in email.text
    assert "https://canvas.example.edu/courses/7/assignments/9" in email.text
    assert "Lab &lt;3&gt; &amp; report" in email.html
    assert 'href="https://canvas.example.edu/courses/7/assignments/9"' in email.html
    assert email.headers["List-Unsubscribe"] == "<https://app.example.edu/settings/notifications>"


def test_mime_message_is_multipart_alternative_text_then_html() -> None:
    email = OutgoingEmail(delivery_id=uuid.uuid4(), to="a@example.edu", subject="Hi", text="plain\n", html="<p>h</p>")
    message = to_mime(email, sender="Study Aid <no-reply@studyaid.example>")
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Message-ID"].endswith("@studyaid.example>")


def test_reminders_are_skipped_when_the_world_changed() -> None:
    assert skip_reason(job(submitted=True), now=NOW) == "skipped: already submitted"
    assert skip_reason(job(opted_out=True), now=NOW) == "skipped: reminders are turned off"
    assert skip_reason(job(due_at=NOW - timedelta(minutes=1)), now=NOW) == "skipped: already past due"
    assert skip_reason(job(assignment_id=None, due_at=None), now=NOW) is not None
    assert skip_reason(job(), now=NOW) is None


def test_the_test_email_goes_out_even_when_reminders_are_off() -> None:
    test = job(kind="test", opted_out=True, assignment_id=None, assignment=None, due_at=None)
    assert skip_reason(test, now=NOW) is None
    assert compose(test, now=NOW, base_url="https://app.example.edu").subject == "Study Aid: test email"


def test_custom_reminders_respect_the_opt_out() -> None:
    custom = job(kind="custom", body_text="Start the lab write-up")
    assert skip_reason(custom, now=NOW) is None
    assert skip_reason(replace(custom, opted_out=True), now=NOW) == "skipped: reminders are turned off"


def test_nothing_goes_to_an_unverified_address() -> None:
    for kind in ("reminder", "custom", "test"):
        unverified = job(kind=kind, email_verified=False, body_text="x")
        assert skip_reason(unverified, now=NOW) == "skipped: the email address is not verified"


def test_user_text_never_reaches_the_subject_or_another_header() -> None:
    phishing = "Your account is suspended\r\nBcc: everyone@example.edu\r\n\r\nlog in at https://evil.example"
    custom = job(kind="custom", body_text=phishing)
    email = compose(custom, now=NOW, base_url="https://app.example.edu")
    assert email.subject == "Your Study Aid reminder"
    message = to_mime(email, sender="Study Aid <no-reply@studyaid.example>")
    assert message["Bcc"] is None and "suspended" not in str(message["Subject"])
    assert "Your account is suspended" in email.text  # the student's words stay in the body


def test_a_header_never_carries_a_line_break_from_canvas_text() -> None:
    email = compose(job(assignment="Lab\r\nBcc: x@example.edu"), now=NOW, base_url="https://app.example.edu")
    assert "\n" not in email.subject and "\r" not in email.subject
    assert to_mime(email, sender="Study Aid <no-reply@studyaid.example>")["Bcc"] is None


def test_a_claim_whose_due_date_moved_later_is_given_back() -> None:
    assert moved_later(job(window_hours=24, due_at=NOW + timedelta(hours=30)), now=NOW)
    assert not moved_later(job(window_hours=24, due_at=NOW + timedelta(hours=24, minutes=2)), now=NOW)
    assert not moved_later(job(kind="custom", window_hours=None), now=NOW)
