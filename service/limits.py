"""Upper bounds on the numbers the command lines take (`quotewire extract` and `serve`, the Spark
job), each with the reason a user is told when a value is past it. Both doors check values
here, so a value is refused the same way, as a usage error, whichever door it came through.
"""
from __future__ import annotations

import argparse
import math
import os

CORES = os.cpu_count() or 1
# Extraction is CPU-bound, so workers past the cores only queue, and each one is a process that
# costs memory of its own. Twice the cores leaves room to oversubscribe; the floor lets a small
# machine still ask for a few.
WORKERS_FLOOR = 8
MAX_WORKERS = max(WORKERS_FLOOR, 2 * CORES)
WORKERS_LIMIT = f"the limit is twice this machine's {CORES} cores, at least {WORKERS_FLOOR}"
EXTRACT_WORKERS_WHY = (f"each worker process loads its own copy of the spaCy model (about "
                       f"150 MB); {WORKERS_LIMIT}")
SERVE_WORKERS_WHY = (f"each gunicorn worker is a process that parses on one core and grows "
                     f"memory of its own; {WORKERS_LIMIT}")
# The bulk runner hands nlp.pipe 16 articles (and the pieces of long ones) at a time, so a larger
# batch changes little; 1000 is far past that, and still catches a typo before it costs memory.
MAX_BATCH_SIZE = 1000
BATCH_SIZE_WHY = "far past any gain, and a batch's parses are all held in memory at once"
# A day per article (per 100,000 characters) is past anything an article needs, and far inside
# what the timer can hold (setitimer: about 292 years) even summed over a batch.
MAX_ARTICLE_TIMEOUT_S = 86_400
ARTICLE_TIMEOUT_WHY = "a day, longer than any article takes; 0 turns the limit off"


# Spark tasks: each costs scheduling and a model per executor process at first use; past this
# many the input is split finer than any cluster runs at once.
MAX_PARTITIONS = 100_000
PARTITIONS_WHY = "more tasks than any cluster runs at once, each one scheduled and tracked"


class BadNumber(ValueError):
    """A value that is not a number of the kind asked for, or is past its bounds (the message
    says which, and why the bound)."""


def workers(value) -> int:
    """--workers of `quotewire extract`: 1 to MAX_WORKERS."""
    return count(value, MAX_WORKERS, EXTRACT_WORKERS_WHY)


def serve_workers(value) -> int:
    """--workers of `quotewire serve` (gunicorn's): 1 to MAX_WORKERS."""
    return count(value, MAX_WORKERS, SERVE_WORKERS_WHY)


def partitions(value) -> int:
    """--partitions of the Spark job: 1 to MAX_PARTITIONS."""
    return count(value, MAX_PARTITIONS, PARTITIONS_WHY)


def batch_size(value) -> int:
    """--batch-size: 1 to MAX_BATCH_SIZE."""
    return count(value, MAX_BATCH_SIZE, BATCH_SIZE_WHY)


def article_timeout(value) -> float:
    """--article-timeout: seconds from 0 (no limit) to MAX_ARTICLE_TIMEOUT_S; never nan or inf."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise BadNumber(f"{value!r} is not a number of seconds") from None
    if math.isnan(seconds):
        raise BadNumber(f"{value!r} is not a number of seconds")
    if seconds < 0:
        raise BadNumber(f"{seconds:g} is less than 0 seconds")
    if seconds > MAX_ARTICLE_TIMEOUT_S:
        raise BadNumber(f"{seconds:g} is more than {MAX_ARTICLE_TIMEOUT_S:,} seconds "
                        f"({ARTICLE_TIMEOUT_WHY})")
    return seconds


def argparse_type(parse):
    """An argparse type from a check that raises ValueError with a message for the user (these
    bounds' BadNumber, the kinds' UnknownKinds): argparse makes it a usage error naming the option."""
    def convert(value: str):
        try:
            return parse(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def count(value, most: int, why: str) -> int:
    """`value` as a whole number from 1 to `most`; BadNumber otherwise, saying `why` past `most`."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadNumber(f"{value!r} is not a whole number") from None
    if number < 1:
        raise BadNumber(f"{number} is less than 1")
    if number > most:
        raise BadNumber(f"{number} is more than {most}: {why}")
    return number
