"""Block a foreground command until Ctrl-C or SIGTERM, the two ways a person or a supervisor stops it."""

from __future__ import annotations

import contextlib
import signal
import threading


def wait_until_stopped() -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
