"""Reminder windows at their edges, and the due time rendered in the reader's zone across DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.notify.render import in_words, local_time, reminder_content
from shared.notify.windows import current_window, dedupe_key

DUE = datetime(2031, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 in New York, on the day DST starts there
WINDOWS = [72, 24, 2]


@pytest.mark.parametrize(
    ("before_due", "expected"),
    [
        (timedelta(hours=72, seconds=1), None),
        (timedelta(hours=72), 72),
        (timedelta(hours=24, seconds=1), 72),
        (timedelta(hours=24), 24),
        (timedelta(hours=2, seconds=1), 24),
        (timedelta(hours=2), 2),
        (timedelta(seconds=1), 2),
        (timedelta(0), None),
        (-timedelta(minutes=5), None),
    ],
)
def test_window_is_entered_at_its_edge_and_ends_at_the_due_time(before_due: timedelta, expected: int | None) -> None:
    assert current_window(due_at=DUE, now=DUE - before_due, windows_hours=WINDOWS) == expected


def test_a_late_seen_assignment_gets_only_the_most_urgent_window() -> None:
    assert current_window(due_at=DUE, now=DUE - timedelta(minutes=30), windows_hours=WINDOWS) == 2


def test_user_windows_replace_the_defaults() -> None:
    assert current_window(due_at=DUE, now=DUE - timedelta(hours=47), windows_hours=[48]) == 48
    assert current_window(due_at=DUE, now=DUE - timedelta(hours=49), windows_hours=[48]) is None


def test_windows_are_absolute_hours_even_across_a_dst_change() -> None:
    # The 24 h window opens 24 real hours before the due time; on the DST night that is
    # 08:00 EST the day before a 09:00 EDT deadline (wall clocks moved one hour).
    opens = DUE - timedelta(hours=24)
    assert current_window(due_at=DUE, now=opens, windows_hours=WINDOWS) == 24
    assert local_time(opens, "America/New_York").startswith("Saturday 8 March 2031, 08:00 EST")
    assert local_time(DUE, "America/New_York").startswith("Sunday 9 March 2031, 09:00 EDT")


def test_due_time_is_rendered_in_each_users_zone() -> None:
    assert local_time(DUE, "Europe/Berlin") == "Sunday 9 March 2031, 14:00 CET (Europe/Berlin)"
    assert local_time(DUE, "Asia/Kolkata") == "Sunday 9 March 2031, 18:30 IST (Asia/Kolkata)"
    autumn = datetime(2031, 10, 26, 1, 30, tzinfo=UTC)  # Europe leaves summer time at 01:00 UTC
    assert local_time(autumn, "Europe/Berlin").startswith("Sunday 26 October 2031, 02:30 CET")
    assert local_time(autumn - timedelta(hours=1), "Europe/Berlin").startswith("Sunday 26 October 2031, 02:30 CEST")


def test_reminder_text_says_when_in_words_and_local_time() -> None:
    content = reminder_content(
        assignment="Essay 2",
        course="BIO 101",
        due_at=DUE,
        now=DUE - timedelta(hours=24),
        time_zone="America/New_York",
        link="https://canvas.example.edu/courses/1/assignments/2",
    )
    assert content.subject == "Reminder: Essay 2 is due in 24 hours"
    assert content.lines == [
        "Essay 2 (BIO 101) is due in 24 hours.",
        "Due: Sunday 9 March 2031, 09:00 EDT (America/New_York)",
    ]
    assert in_words(timedelta(hours=72)) == "in 3 days"
    assert in_words(timedelta(minutes=45)) == "in 45 minutes"


def test_dedupe_key_names_user_assignment_and_window() -> None:
    assert dedupe_key(user_id="u", assignment_id="a", window_hours=24) == "reminder:u:a:24h"
