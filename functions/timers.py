"""Scheduled jobs: reminders every minute, log purge daily, the reconciler every five minutes,
retention and study digests hourly, scheduled Canvas syncs every ten minutes."""

from __future__ import annotations

import azure.functions as func

from shared.container import get_container
from shared.workers import run_timer_job

bp = func.Blueprint()  # type: ignore[no-untyped-call]  # the library's constructor is untyped


@bp.function_name("reminders")
@bp.timer_trigger(arg_name="timer", schedule="0 */1 * * * *", use_monitor=True)
def reminders(timer: func.TimerRequest) -> None:
    run_timer_job(get_container(), "reminders")


@bp.function_name("log_purge")
@bp.timer_trigger(arg_name="timer", schedule="0 30 3 * * *", use_monitor=True)
def log_purge(timer: func.TimerRequest) -> None:
    run_timer_job(get_container(), "log_purge")


@bp.function_name("reconciler")
@bp.timer_trigger(arg_name="timer", schedule="0 */5 * * * *", use_monitor=True)
def reconciler(timer: func.TimerRequest) -> None:
    run_timer_job(get_container(), "reconciler")


@bp.function_name("retention")
@bp.timer_trigger(arg_name="timer", schedule="0 17 * * * *", use_monitor=True)
def retention(timer: func.TimerRequest) -> None:
    run_timer_job(get_container(), "retention")


@bp.function_name("canvas_schedule")
@bp.timer_trigger(arg_name="timer", schedule="0 */10 * * * *", use_monitor=True)
def canvas_schedule(timer: func.TimerRequest) -> None:
    run_timer_job(get_container(), "canvas_schedule")


@bp.function_name("study_digest")
@bp.timer_trigger(arg_name="timer", schedule="0 7 * * * *", use_monitor=True)
def study_digest(timer: func.TimerRequest) -> None:
    run_timer_job(get_container(), "study_digest")
