"""service.timelimit.time_limit on limits the timer cannot hold: +inf, or a number past
setitimer's range, is no limit (it could never fire); NaN is a ValueError (no limit can be read
from it). Neither may raise OverflowError, or leave an alarm armed."""
from __future__ import annotations

import signal
import time

import pytest

from service.timelimit import LONGEST_TIMER_S, TimeLimitExceeded, time_limit


def timer_is_off() -> bool:
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize("seconds", [float("inf"), 1e308, 1e12, LONGEST_TIMER_S * 2])
def test_a_limit_the_timer_cannot_hold_is_no_limit(seconds):
    with time_limit(seconds):
        ran = True
    assert ran and timer_is_off()


def test_nan_is_a_value_error_and_arms_nothing():
    with pytest.raises(ValueError, match="NaN"):
        with time_limit(float("nan")):
            pass
    assert timer_is_off()


def test_the_longest_limit_the_timer_holds_is_still_armed():
    with time_limit(LONGEST_TIMER_S):
        assert signal.getitimer(signal.ITIMER_REAL)[0] > LONGEST_TIMER_S - 60
    assert timer_is_off()


def test_an_ordinary_limit_still_stops_the_block():
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.1):
            time.sleep(2)
    assert timer_is_off()


def test_the_bulk_extraction_limit_does_not_read_nan_as_no_limit():
    from service.bulk.extraction import limited

    with pytest.raises(ValueError, match="NaN"):
        with limited(float("nan")):
            pass
    with limited(0), limited(float("inf")):   # off, and too long to arm: both run unlimited
        pass
    assert timer_is_off()
