"""What the Spark job runs on its executors: extraction of one partition of records.

Lives in an importable module (not in the job's `__main__`) so that Spark pickles these functions
by reference and the model cache below is one per executor Python process, reused by every
partition (task) that process runs.
"""
from __future__ import annotations

import os
from collections import Counter
from typing import Iterable, Iterator

from service.nlp import DEFAULT_BATCH_SIZE
from service.nlp.kinds import left_out_counts
from service.nlp.serialize import ROW_COLUMNS, quote_rows

from .extraction import Extracted, extract_chunk
from .records import Article, Failure
from .runner import CHUNK_SIZE, chunked
from .schema import FLOAT_COLUMNS

ROW, ERROR, WARNING, LEFT_OUT = "row", "error", "warning", "left_out"

_nlp = None
model_loads = 0  # how many times this process loaded the model (1 once warm; checked by the tests)


def executor_pipeline():
    """The engine, loaded on first use in this process and kept for its lifetime."""
    global _nlp, model_loads
    if _nlp is None:
        from service.nlp import load_pipeline

        _nlp = load_pipeline(os.environ.get("QUOTEWIRE_MODEL"))
        model_loads += 1
    return _nlp


def row_values(row: dict) -> tuple:
    """A quote row as a tuple in ROW_COLUMNS order, floats as floats (Spark's schema is strict)."""
    return tuple(float(row[c]) if c in FLOAT_COLUMNS and row[c] is not None else row[c]
                 for c in ROW_COLUMNS)


def extract_partition(records: Iterable[Article | Failure], batch_size: int = DEFAULT_BATCH_SIZE,
                      article_timeout: float = 0.0, kinds: tuple[str, ...] | None = None,
                      tally: Counter | None = None) -> Iterator[tuple[str, tuple]]:
    """(ROW, quote row) for every quote (of `kinds`, when given), (ERROR, (id, reason)) for every
    skipped record and (WARNING, (id, warning)) for every article read with no quotes for a reason
    (not English), each counted in `tally` as it passes, with (LEFT_OUT, kind) -> the quotes of
    other kinds left out, so the job's totals need no second pass over the data. PySpark's Python
    worker runs this in its main thread, so the per-article time limit (SIGALRM) works here as in
    the CLI's workers."""
    tally = Counter() if tally is None else tally
    for chunk in chunked(records, CHUNK_SIZE):
        nlp = executor_pipeline() if any(isinstance(r, Article) for r in chunk) else None
        for outcome in extract_chunk(nlp, chunk, batch_size, article_timeout, kinds):
            if isinstance(outcome, Extracted):
                for kind, n in left_out_counts(outcome.meta.get("kinds")).items():
                    tally[LEFT_OUT, kind] += n
                for row in quote_rows(outcome.id, outcome.result, outcome.meta):
                    tally[ROW] += 1
                    yield ROW, row_values(row)
                if outcome.meta.get("warning"):
                    tally[WARNING] += 1
                    yield WARNING, (str(outcome.id), outcome.meta["warning"])
            else:
                tally[ERROR] += 1
                yield ERROR, (str(outcome.id), outcome.reason)


class PartitionCounts:
    """Spark's AccumulatorParam (its two methods) for an accumulator of {partition index:
    Counter of what the partition gave}. A partition's
    counts replace, not add to, any it gave before: a partition computed again (a lost cached
    block, a retried task) is counted once."""

    def zero(self, value):
        return {}

    def addInPlace(self, value1, value2):
        value1.update(value2)
        return value1


def totals(counts: dict[int, Counter]) -> tuple[Counter, dict[str, int]]:
    """(outcomes by kind, quotes left out by kind) over all partitions of a PartitionCounts."""
    overall = sum(counts.values(), Counter())
    left_out = {key[1]: n for key, n in overall.items() if isinstance(key, tuple)}
    return overall, left_out
