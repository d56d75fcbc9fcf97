"""The email text: plain and HTML parts, the due time in the reader's own time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from shared.notify.contracts import Content


def local_time(at: datetime, time_zone: str) -> str:
    """`Tuesday 3 March 2026, 09:00 CET (Europe/Berlin)`."""
    local = at.astimezone(ZoneInfo(time_zone))
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M %Z} ({time_zone})"


def in_words(delta: timedelta) -> str:
    minutes = max(0, round(delta.total_seconds() / 60))
    if minutes >= 48 * 60:
        return f"in {round(minutes / 1440)} days"
    if minutes >= 90:
        return f"in {round(minutes / 60)} hours"
    return f"in {minutes} minutes"


def reminder_content(
    *, assignment: str, course: str, due_at: datetime, now: datetime, time_zone: str, link: str
) -> Content:
    when = in_words(due_at - now)
    return Content(
        subject=f"Reminder: {assignment} is due {when}",
        lines=[f"{assignment} ({course}) is due {when}.", f"Due: {local_time(due_at, time_zone)}"],
        link=link,
        link_label="Open the assignment",
    )


def footer(settings_link: str) -> str:
    return f"You get this because reminders are on for your account. Change them: {settings_link}"


def text_body(content: Content, *, settings_link: str) -> str:
    body = [*content.lines, "", f"{content.link_label}: {content.link}", "", "--", footer(settings_link)]
    return "\n".join(body) + "\n"


def html_body(content: Content, *, settings_link: str) -> str:
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in content.lines)
    link = f'<p><a href="{escape(content.link, quote=True)}">{escape(content.link_label)}</a></p>'
    note = (
        '<p style="color:#666;font-size:12px">You get this because reminders are on for your account. '
        f'<a href="{escape(settings_link, quote=True)}">Change them</a>.</p>'
    )
    return f"<!doctype html><html><body>{paragraphs}{link}<hr>{note}</body></html>"
