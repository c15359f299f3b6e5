"""A wall-clock limit on a block of code, so one pathological article cannot pin a worker.

Shared by every door: the API's workers, the CLI's workers and the Spark job's executors.
Uses SIGALRM, which only works in the main thread (gunicorn's sync workers, the Flask test
client, the CLI's worker processes and PySpark's Python workers all run articles there).
Elsewhere the block runs unlimited and callers rely on their checks between articles.

A limit the timer cannot hold (+inf, or past LONGEST_TIMER_S) is no limit: it could never fire.
NaN is a ValueError: no limit can be read from it, and guessing one would hide a caller's bug.
"""
from __future__ import annotations

import math
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

# If the first alarm's exception is swallowed inside a C extension callback, fire again soon.
REPEAT_SECONDS = 0.25
# About 31 years. setitimer raises OverflowError past about 292 years (2**63 nanoseconds); a limit
# this long could never fire anyway.
LONGEST_TIMER_S = 1e9


class TimeLimitExceeded(BaseException):
    """A BaseException (like KeyboardInterrupt) so that no `except Exception` in the engine,
    which keeps one bad article from sinking a batch, can swallow the time limit."""


def can_interrupt() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    if math.isnan(seconds):
        raise ValueError("a time limit of NaN seconds")
    if seconds <= 0:
        raise TimeLimitExceeded()
    if seconds > LONGEST_TIMER_S or not can_interrupt():
        yield
        return
    armed = True

    def on_alarm(signum, frame):
        if armed:  # a late alarm after the block has ended must not raise elsewhere
            raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
