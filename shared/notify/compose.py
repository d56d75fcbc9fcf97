"""Turn a locked delivery into an email (or a reason not to send it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.notify import render
from shared.notify.contracts import Content, OutgoingEmail
from shared.notify.store.deliveries import DeliveryJob

#: Claims are published at their edge, give or take a timer tick.
MOVED_SLACK = timedelta(minutes=5)


def skip_reason(job: DeliveryJob, *, now: datetime) -> str | None:
    """Why an email should not (or no longer) go out: the world changed since it was queued."""
    if not job.email_verified:
        return "skipped: the email address is not verified"
    if job.kind == "test":
        return None  # the student asked for this one just now
    if job.opted_out:
        return "skipped: reminders are turned off"
    if job.kind != "reminder":
        return None
    if job.assignment_id is None or job.due_at is None:
        return "skipped: the assignment no longer exists or has no due date"
    if job.submitted:
        return "skipped: already submitted"
    if job.due_at <= now:
        return "skipped: already past due"
    return None


def moved_later(job: DeliveryJob, *, now: datetime) -> bool:
    """The due date moved since the claim: this window has not opened yet (claim it again later)."""
    if job.kind != "reminder" or job.window_hours is None or job.due_at is None:
        return False
    return job.due_at - timedelta(hours=job.window_hours) > now + MOVED_SLACK


def _content(job: DeliveryJob, *, now: datetime, base_url: str) -> Content:
    link = job.html_url or base_url
    if job.kind == "reminder" and job.assignment and job.due_at:
        return render.reminder_content(
            assignment=job.assignment,
            course=job.course or "your course",
            due_at=job.due_at,
            now=now,
            time_zone=job.time_zone,
            link=link,
        )
    if job.kind == "custom":
        lines = [job.body_text] if job.body_text else []
        if job.assignment and job.due_at:
            lines.append(f"{job.assignment} ({job.course}) is due {render.local_time(job.due_at, job.time_zone)}.")
        # The student's own words stay in the body: a Subject they wrote would let the app's
        # sender address carry any headline (phishing), so it is fixed text.
        return Content(subject="Your Study Aid reminder", lines=lines, link=link, link_label="Open Study Aid")
    return Content(
        subject="Study Aid: test email",
        lines=["This is a test email from Study Aid: your reminders reach you.", f"Your time zone: {job.time_zone}."],
        link=base_url,
        link_label="Open Study Aid",
    )


def one_line(text: str) -> str:
    """A header value: every run of whitespace (CR and LF included) becomes one space."""
    return " ".join(text.split())[:200]


def compose(job: DeliveryJob, *, now: datetime, base_url: str) -> OutgoingEmail:
    content = _content(job, now=now, base_url=base_url)
    settings_link = f"{base_url.rstrip('/')}/settings/notifications"
    return OutgoingEmail(
        delivery_id=job.id,
        to=job.email,
        subject=one_line(content.subject),
        text=render.text_body(content, settings_link=settings_link),
        html=render.html_body(content, settings_link=settings_link),
        headers={"X-Studyaid-Delivery": str(job.id), "List-Unsubscribe": f"<{settings_link}>"},
    )
