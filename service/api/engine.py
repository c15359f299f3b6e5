"""The service's hold on the extraction engine: loads the pipeline once (in gunicorn's master,
so workers share it copy-on-write), knows whether it is ready, and runs articles through
nlp.pipe under a time limit."""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .. import __version__
from .logs import LOGGER_NAME
from ..timelimit import TimeLimitExceeded, time_limit

log = logging.getLogger(LOGGER_NAME)

PROBE_TEXT = '"It works," she said.'
# An invented article parsed once at load time (in gunicorn's master): lazy set-up, caches and
# Python's specialised bytecode then happen before the fork, so the workers share them instead
# of each writing its own copy of those pages on its first requests.
WARM_UP_TEXT = (Path(__file__).parent / "data" / "warmup.txt").read_text(encoding="utf-8")
# After parsing this many characters in one request, freed heap is handed back to the OS:
# glibc keeps it otherwise, and a long-lived worker's memory only ever grows.
RELEASE_AFTER_CHARS = 50_000
# /health/ready reuses its test parse for this long: probes every second must not cost a worker
# 20-40 ms of CPU each.
READY_CACHE_SECONDS = 5.0


ARTICLE_LIMIT, REQUEST_LIMIT = "article", "request"


class ArticleTimeout(Exception):
    """Article `index` (or the minibatch it was in) ran past a time limit: `limit` says which,
    the per-article one or the whole request's deadline."""

    def __init__(self, index: int, seconds: float, limit: str = ARTICLE_LIMIT):
        super().__init__(f"article {index} exceeded the {limit} time limit of {seconds:g}s")
        self.index = index
        self.seconds = seconds
        self.limit = limit

    def describe(self, article_id: str | None = None) -> str:
        """The 504 message, naming the limit that fired and the setting behind it."""
        which = f"article {self.index}" + (f" (id {article_id!r:.60})" if article_id else "")
        if self.limit == REQUEST_LIMIT:
            return (f"Stopped: the request ran past its time limit ({self.seconds:g}s, "
                    f"QUOTEWIRE_REQUEST_TIMEOUT) while parsing {which}. Send fewer or shorter articles.")
        return (f"Stopped: {which} took longer than the per-article time limit ({self.seconds:g}s, "
                "QUOTEWIRE_ARTICLE_TIMEOUT). Send it alone, shorten it or split it.")


@dataclass
class Done:
    index: int
    result: dict
    elapsed_ms: float
    chars: int


class Engine:
    def __init__(self, settings, nlp=None):
        self.settings = settings
        self.nlp = nlp
        self.error: str | None = None
        self._readiness: tuple[float, tuple[bool, str, float]] | None = None  # (when, probe result)
        if nlp is None:
            self._load()
        self._allow_long_texts()
        if self.nlp is not None:
            self._warm_up()

    def _load(self) -> None:
        """Load the model; on failure keep the reason so the service can report it, not crash."""
        from ..nlp import load_pipeline, model_name  # the engine, loaded only here
        name = self.settings.model or model_name()
        started = time.perf_counter()
        try:
            self.nlp = load_pipeline(name)
        except Exception as exc:  # any failure to load must leave a running, not-ready service
            self.error = f"Could not load spaCy model {name!r}: {type(exc).__name__}: {exc}"[:500]
            log.error("model not loaded", extra={"model": name, "error": self.error})
            return
        log.info("model loaded", extra={"model": self.model_name,
                                        "seconds": round(time.perf_counter() - started, 2)})

    def _allow_long_texts(self) -> None:
        # The API validates text length itself; spaCy must not refuse what the API accepts.
        if self.nlp is not None:
            self.nlp.max_length = max(self.nlp.max_length, self.settings.max_text_chars + 1)

    def _warm_up(self) -> None:
        from ..nlp import extract
        from ..nlp.language import load_detector
        load_detector()    # plainly English warm-up text never reaches the detector
        for _ in range(2):  # Python specialises code once it has run a few times
            next(extract(self.nlp, [WARM_UP_TEXT]))

    @property
    def loaded(self) -> bool:
        return self.nlp is not None

    @property
    def model_name(self) -> str:
        if self.nlp is None:
            return self.settings.model or "unloaded"
        meta = self.nlp.meta
        return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}"

    @property
    def model_version(self) -> str:
        return self.nlp.meta.get("version", "unknown") if self.nlp is not None else "unloaded"

    def meta(self, elapsed_ms: float) -> dict:
        return {"model": self.model_name, "model_version": self.model_version,
                "version": __version__, "elapsed_ms": round(elapsed_ms, 2)}

    def probe(self) -> tuple[bool, str, float]:
        """A test parse: (passed, reason, milliseconds)."""
        if self.nlp is None:
            return False, self.error or "model not loaded", 0.0
        started = time.perf_counter()
        try:
            done = next(self.process([PROBE_TEXT], time.monotonic() + self.settings.article_timeout))
        except Exception as exc:  # the probe reports any engine failure as not-ready
            return False, f"test parse failed: {type(exc).__name__}: {exc}"[:300], 0.0
        elapsed = (time.perf_counter() - started) * 1000
        if not done.result["quotes"]:
            return False, "test parse found no quote in a sentence that has one", elapsed
        return True, "ok", elapsed

    def readiness(self) -> tuple[bool, str, float]:
        """The probe's result, run again only when the last one is over READY_CACHE_SECONDS old."""
        now = time.monotonic()
        if self._readiness is None or now - self._readiness[0] > READY_CACHE_SECONDS:
            self._readiness = (now, self.probe())
        return self._readiness[1]

    def process(self, texts: Sequence[str], deadline: float) -> Iterator[Done]:
        """Results in order through the engine's `extract` (nlp.pipe batches). Each wait is
        limited to the article time limit per article it has to parse, and never past `deadline` (time.monotonic)."""
        from ..nlp import extract
        batch_size = self.settings.batch_size
        results = extract(self.nlp, texts, batch_size=batch_size)
        last = time.perf_counter()
        for index, text in enumerate(texts):
            # nlp.pipe parses a whole minibatch when its first doc is asked for.
            starts_minibatch = index % batch_size == 0
            articles_in_wait = min(batch_size, len(texts) - index) if starts_minibatch else 1
            article_budget = self.settings.article_timeout * articles_in_wait
            request_left = deadline - time.monotonic()
            try:
                with time_limit(min(article_budget, request_left)):
                    result = next(results)
            except TimeLimitExceeded:
                if request_left < article_budget:
                    raise ArticleTimeout(index, self.settings.request_timeout, REQUEST_LIMIT) from None
                raise ArticleTimeout(index, self.settings.article_timeout) from None
            now = time.perf_counter()
            yield Done(index, result, (now - last) * 1000, len(text))
            last = now
        if sum(map(len, texts)) >= RELEASE_AFTER_CHARS:
            release_freed_memory()


def _malloc_trim():
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()   # looked up once, not on every big request


def release_freed_memory() -> None:
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
