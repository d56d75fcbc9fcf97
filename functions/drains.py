"""One timer-triggered drain per stream. A timer is a singleton across instances."""

from __future__ import annotations

import azure.functions as func

from shared.container import get_container
from shared.workers import run_drain

bp = func.Blueprint()  # type: ignore[no-untyped-call]  # the library's constructor is untyped

DRAIN_SCHEDULE = "0 */1 * * * *"  # every minute; the drain's budget stays under a minute


@bp.function_name("drain_ingest")
@bp.timer_trigger(arg_name="timer", schedule=DRAIN_SCHEDULE, run_on_startup=False, use_monitor=True)
def drain_ingest(timer: func.TimerRequest) -> None:
    run_drain(get_container(), "ingest.request")


@bp.function_name("drain_ai")
@bp.timer_trigger(arg_name="timer", schedule=DRAIN_SCHEDULE, run_on_startup=False, use_monitor=True)
def drain_ai(timer: func.TimerRequest) -> None:
    run_drain(get_container(), "ai.request")


@bp.function_name("drain_media")
@bp.timer_trigger(arg_name="timer", schedule=DRAIN_SCHEDULE, run_on_startup=False, use_monitor=True)
def drain_media(timer: func.TimerRequest) -> None:
    run_drain(get_container(), "media.request")


@bp.function_name("drain_notify")
@bp.timer_trigger(arg_name="timer", schedule=DRAIN_SCHEDULE, run_on_startup=False, use_monitor=True)
def drain_notify(timer: func.TimerRequest) -> None:
    run_drain(get_container(), "notify.request")


@bp.function_name("drain_canvas")
@bp.timer_trigger(arg_name="timer", schedule=DRAIN_SCHEDULE, run_on_startup=False, use_monitor=True)
def drain_canvas(timer: func.TimerRequest) -> None:
    run_drain(get_container(), "canvas.sync")
