"""Which reminder window an assignment is in: the rule the reminder query implements in SQL.

A window of `h` hours is entered at `due_at - h` (inclusive) and lasts until `due_at`
(exclusive). Windows are absolute durations, so daylight-saving changes never shift them; only
the rendered due time follows the user's zone. When several windows have been entered (an
assignment synced late), only the most urgent one is sent: the student gets one timely email,
not a burst of stale ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def current_window(*, due_at: datetime, now: datetime, windows_hours: list[int]) -> int | None:
    """The smallest window (hours) entered at `now`, or None when none applies."""
    if due_at <= now:
        return None
    entered = [hours for hours in windows_hours if due_at - timedelta(hours=hours) <= now]
    return min(entered) if entered else None


def dedupe_key(*, user_id: object, assignment_id: object, window_hours: int) -> str:
    """The claim's key: one reminder per (user, assignment, window), ever."""
    return f"reminder:{user_id}:{assignment_id}:{window_hours}h"
