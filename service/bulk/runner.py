"""The parallel runner: records in, outcomes out, in input order whatever the number of workers.

Records are cut into fixed-size chunks (the same chunks for any --workers, so every article goes
through nlp.pipe in the same company). With one worker the chunks are extracted in this process;
with N, by N processes that each load the model once and take one chunk at a time, with at most a
few chunks read ahead per worker so memory stays flat on inputs of any size.

A worker process can die under us (the OOM killer, a SIGKILL, a crash in native code). Its place
is taken by a fresh worker, and the chunk it was on is retried there article by article; an
article whose retry kills a worker again is reported as a Failure. The run goes on either way.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections import deque
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator

from service import limits
from service.nlp import DEFAULT_BATCH_SIZE

from .extraction import Extracted, describe, extract_chunk
from .records import Article, Failure

CHUNK_SIZE = 16  # small enough to spread a few hundred long articles evenly over workers
READ_AHEAD_PER_WORKER = 3
PARENT_CHECK_SECONDS = 2.0
PR_SET_PDEATHSIG = 1  # prctl(2)
MAX_FAILED_STARTS = 3  # workers dying before their model is loaded, in a row: give up


class WorkerError(RuntimeError):
    """Extraction cannot run at all: the model does not load, or workers die before it does."""


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run_chunks(items: Iterable[Article | Failure], workers: int = 1, model: str | None = None,
               chunk_size: int = CHUNK_SIZE, batch_size: int = DEFAULT_BATCH_SIZE, article_timeout: float = 0.0,
               kinds: tuple[str, ...] | None = None, notify: Callable[[str], None] = lambda message: None
               ) -> Iterator[list[Extracted | Failure]]:
    """Outcome lists, one per chunk of `chunk_size` records, in input order, with only the quotes
    of `kinds` when given (extract_chunk). `notify` hears about worker processes that died."""
    chunks = chunked(items, chunk_size)
    if workers <= 1:
        from service.nlp import load_pipeline

        try:
            nlp = load_pipeline(model)
        except Exception as exc:  # noqa: BLE001  (a run without its model cannot go on)
            raise WorkerError(f"could not load the model: {describe(exc)}") from exc
        for chunk in chunks:
            yield extract_chunk(nlp, chunk, batch_size, article_timeout, kinds)
        return
    pool = WorkerPool(workers, (model, batch_size, article_timeout, kinds), notify)
    try:
        yield from pool.run(chunks)
    except BaseException:
        pool.kill()  # interrupted or failed: drop the work in progress
        raise
    pool.close()


# --- worker processes -----------------------------------------------------------------------------

def _worker_main(conn, model: str | None, batch_size: int, article_timeout: float,
                 kinds: tuple[str, ...] | None) -> None:
    """A worker: load the model, say so, then extract each list of records it is sent until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent = os.getppid()
    _die_with_parent()
    from service.nlp import load_pipeline

    try:
        nlp = load_pipeline(model)
    except Exception as exc:  # noqa: BLE001  (reported by the parent, which stops the run)
        conn.send(("failed", describe(exc)))
        return
    conn.send(("ready", None))
    while (records := _next_job(conn, parent)) is not None:
        conn.send(("done", extract_chunk(nlp, records, batch_size, article_timeout, kinds)))


def _next_job(conn, parent: int):
    """The next records to extract, or None to stop (when told to, or when the parent is gone:
    a killed parent must not leave workers behind)."""
    try:
        while not conn.poll(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                return None
        return conn.recv()
    except EOFError:
        return None


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the parent dies, even mid-article (a
    killed parent must not leave workers behind); elsewhere _next_job notices between jobs."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


@dataclass
class Job:
    chunk: int               # the chunk's position in the input
    start: int               # the first record's position in the chunk
    records: list
    retry: bool = False      # a retry after a worker died on it: if it dies again, give up


class Worker:
    def __init__(self, context, settings: tuple):
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child_end, *settings),
                                       daemon=True)
        self.process.start()
        child_end.close()
        self.ready = False
        self.job: Job | None = None

    def describe_death(self) -> str:
        self.process.join(timeout=5)
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}"


class WorkerPool:
    def __init__(self, size: int, settings: tuple, notify: Callable[[str], None]):
        self.context = multiprocessing.get_context()
        self.settings = settings
        self.notify = notify
        self.size = limits.workers(size)  # the CLI says so as a usage error; this is for any caller
        self.workers = [Worker(self.context, settings) for _ in range(self.size)]
        self.failed_starts = 0
        self.todo: deque[Job] = deque()       # jobs waiting for a worker; retries go first
        self.outcomes: dict[int, list] = {}   # chunk -> its outcomes, None where still to come
        self.missing: dict[int, int] = {}     # chunk -> how many outcomes are still to come

    def run(self, chunks: Iterator[list]) -> Iterator[list[Extracted | Failure]]:
        read = yielded = 0
        exhausted = False
        while not (exhausted and yielded == read):
            while not exhausted and read - yielded < self.size * READ_AHEAD_PER_WORKER:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                else:
                    self.outcomes[read] = [None] * len(chunk)
                    self.missing[read] = len(chunk)
                    self.todo.append(Job(read, 0, chunk))
                    read += 1
            self._assign()  # before handing results on, so no worker idles while they are written
            if yielded < read and not self.missing[yielded]:
                del self.missing[yielded]
                yield self.outcomes.pop(yielded)
                yielded += 1
            else:
                self._wait()

    def _assign(self) -> None:
        for worker in self.workers:
            if worker.ready and worker.job is None and self.todo:
                worker.job = self.todo.popleft()
                try:
                    worker.conn.send(worker.job.records)
                except OSError:
                    pass  # it has just died: _wait finds out and puts the job back

    def _wait(self) -> None:
        """Take the next messages from the workers, and replace the ones that died."""
        waiting = {worker.conn: worker for worker in self.workers}
        waiting.update({worker.process.sentinel: worker for worker in self.workers})
        for worker in {waiting[ready] for ready in wait(list(waiting))}:
            try:
                kind, payload = worker.conn.recv()
            except (EOFError, OSError):  # the pipe closed: the process is gone
                self._replace(worker)
                continue
            if kind == "ready":
                worker.ready = True
                self.failed_starts = 0
            elif kind == "failed":
                raise WorkerError(f"could not load the model: {payload}")
            else:
                self._finish(worker.job, payload)
                worker.job = None

    def _finish(self, job: Job, outcomes: list) -> None:
        self.outcomes[job.chunk][job.start:job.start + len(outcomes)] = outcomes
        self.missing[job.chunk] -= len(outcomes)

    def _replace(self, worker: Worker) -> None:
        death = worker.describe_death()
        worker.conn.close()
        self.workers[self.workers.index(worker)] = Worker(self.context, self.settings)
        job = worker.job
        if job is None:
            self.failed_starts += not worker.ready
            if self.failed_starts >= MAX_FAILED_STARTS:
                raise WorkerError(f"worker processes keep dying before they are ready ({death})")
            self.notify(f"worker process {worker.process.pid} died ({death}); started a fresh one")
            return
        if job.retry:
            self.notify(f"worker process {worker.process.pid} died ({death}) again on "
                        f"{job.records[0].id}; skipping it")
            reason = f"worker died: its process was {death} while extracting this article, twice"
            self._finish(job, [Failure(r.id, reason) for r in job.records])
            return
        self.notify(f"worker process {worker.process.pid} died ({death}); retrying its "
                    f"{len(job.records)} records one by one in a fresh worker")
        # Article by article, so that only an article that kills a worker again is lost.
        retries = [Job(job.chunk, job.start + i, [record], retry=True)
                   for i, record in enumerate(job.records)]
        self.todo.extendleft(reversed(retries))

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join(timeout=30)
            if worker.process.is_alive():
                worker.process.kill()
            worker.conn.close()

    def kill(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.kill()
        for worker in self.workers:
            worker.process.join()
            worker.conn.close()
