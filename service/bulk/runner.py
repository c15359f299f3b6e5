"""The parallel runner: records in, outcomes out, in input order whatever the number of workers.

Records are cut into fixed-size chunks (the same chunks for any --workers, so every article goes
through nlp.pipe in the same company). With one worker the chunks are extracted in this process;
with N, by N processes that each load the model once, with at most a few chunks in flight per
worker so memory stays flat on inputs of any size.
"""
from __future__ import annotations

import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Iterable, Iterator

from .extraction import Extracted, extract_chunk
from .records import Article, Failure

CHUNK_SIZE = 16  # small enough to spread a few hundred long articles evenly over workers
IN_FLIGHT_PER_WORKER = 3

_worker_nlp = None  # the model, loaded once per worker process


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _load_worker_model(model: str | None) -> None:
    global _worker_nlp
    from service.nlp import load_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker_nlp = load_pipeline(model)


def _extract_in_worker(chunk: list[Article | Failure], batch_size: int) -> list[Extracted | Failure]:
    return extract_chunk(_worker_nlp, chunk, batch_size)


def run_chunks(items: Iterable[Article | Failure], workers: int = 1, model: str | None = None,
               chunk_size: int = CHUNK_SIZE, batch_size: int = 16
               ) -> Iterator[list[Extracted | Failure]]:
    """Outcome lists, one per chunk of `chunk_size` records, in input order."""
    chunks = chunked(items, chunk_size)
    if workers <= 1:
        from service.nlp import load_pipeline

        nlp = load_pipeline(model)
        for chunk in chunks:
            yield extract_chunk(nlp, chunk, batch_size)
        return
    pool = ProcessPoolExecutor(workers, initializer=_load_worker_model, initargs=(model,))
    try:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_extract_in_worker, chunk, batch_size))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # on an interruption, drop queued chunks
