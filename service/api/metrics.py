"""Prometheus metrics at /metrics: HTTP requests by endpoint, method and status, plus the engine's
work. Under gunicorn, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR before anything imports
prometheus_client, and every worker's counts are summed at /metrics.

When a worker exits (recycled, or killed), fold_dead_worker adds its counts into one file per
metric type and removes its files: the totals survive, its gauges go, and the number of files a
scrape reads stays bounded however often workers are replaced. A lock file in the same folder
keeps the two apart: scrapes share it, a fold takes it alone, so a scrape reads a dead worker's
counts once, in its own file or in the folded one (never both, never neither).

Every label takes a bounded set of values, whatever clients send: a made-up method counts as
"OTHER" and a path that matches no route as endpoint "unmatched" (each new label value is a new
series in every worker's file, and /metrics would grow with each one)."""
from __future__ import annotations

import fcntl
import glob
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.mmap_dict import MmapedDict
from prometheus_flask_exporter import PrometheusMetrics

from .. import __version__

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
OTHER_METHOD = "OTHER"
UNMATCHED_ENDPOINT = "unmatched"
UNTRACKED_PREFIXES = ("/metrics", "/docs/assets", "/static")
HTTP_LABELS = ("endpoint", "method", "status")
# Counts kept in a multiprocess file are additive (a histogram's are per bucket, not cumulative).
ADDITIVE_TYPES = ("counter", "histogram", "summary")
FOLDED = "folded"   # stands for the pid in the names of the files of the dead workers' counts
LOCK_FILE = "fold.lock"   # not a .db file: the collector does not read it


@contextmanager
def fold_lock(directory: str, mode: int):
    """The folder's fold lock, shared (fcntl.LOCK_SH: a scrape) or alone (LOCK_EX: a fold)."""
    with open(os.path.join(directory, LOCK_FILE), "a") as handle:
        fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fold_dead_worker(directory: str, pid: int) -> None:
    """Add an exited worker's counts into {type}_folded.db and remove its files, gauges
    included (a dead worker's gauges describe nothing). Runs in gunicorn's master, the only
    writer of the folded files, while no scrape reads them (once a loaded machine let a scrape
    fall between the write and the removal: a recycled worker's requests counted twice)."""
    with fold_lock(directory, fcntl.LOCK_EX):
        for path in glob.glob(os.path.join(directory, f"*_{pid}.db")):
            metric_type = os.path.basename(path).split("_")[0]
            if metric_type in ADDITIVE_TYPES:
                add_counts(path, os.path.join(directory, f"{metric_type}_{FOLDED}.db"))
            os.remove(path)


def add_counts(source: str, target: str) -> None:
    folded = MmapedDict(target)
    try:
        for key, value, _timestamp, _position in MmapedDict.read_all_values_from_file(source):
            total, _ = folded.read_value(key)
            folded.write_value(key, total + value, 0.0)
    finally:
        folded.close()


class FoldingPrometheusMetrics(PrometheusMetrics):
    """/metrics that reads the files under the fold lock: the master folds a dead worker's
    files away at any moment, and a file gone in the middle of a read is an exception in
    prometheus_client (a 500), a file read twice a wrong count."""

    def generate_metrics(self, accept_header=None, names=None):
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if not directory:
            return super().generate_metrics(accept_header, names)
        with fold_lock(directory, fcntl.LOCK_SH):
            return super().generate_metrics(accept_header, names)


@dataclass
class EngineCounters:
    articles: Counter
    characters: Counter
    quotes: Counter
    timeouts: Counter

    def count(self, chars: int, quotes: int) -> None:
        self.articles.inc()
        self.characters.inc(chars)
        self.quotes.inc(quotes)


def method_label(method: str) -> str:
    return method if method in KNOWN_METHODS else OTHER_METHOD


def endpoint_label(endpoint: str | None) -> str:
    return endpoint or UNMATCHED_ENDPOINT


def init_metrics(app: Flask) -> EngineCounters:
    # A registry per app: tests build many apps in one process. In multiprocess mode the
    # exporter reads the shared files instead, so this registry only avoids duplicates.
    registry = CollectorRegistry()
    metrics = FoldingPrometheusMetrics(app, registry=registry, export_defaults=False)
    metrics.info("quotewire_info", "Quotewire service", version=__version__)
    _track_requests(app, registry)
    return EngineCounters(
        articles=Counter("quotewire_articles_processed_total", "Articles run through the engine",
                         registry=registry),
        characters=Counter("quotewire_characters_processed_total",
                           "Characters of article text run through the engine", registry=registry),
        quotes=Counter("quotewire_quotes_found_total", "Quotes found in processed articles",
                       registry=registry),
        timeouts=Counter("quotewire_article_timeouts_total",
                         "Articles stopped by the per-article time limit", registry=registry),
    )


def _track_requests(app: Flask, registry: CollectorRegistry) -> None:
    duration = Histogram("flask_http_request_duration_seconds", "Flask HTTP request duration in seconds",
                         HTTP_LABELS, registry=registry)
    total = Counter("flask_http_request_total", "Total number of HTTP requests", HTTP_LABELS,
                    registry=registry)

    @app.after_request
    def count_request(response):
        if not request.path.startswith(UNTRACKED_PREFIXES):
            labels = (endpoint_label(request.endpoint), method_label(request.method), str(response.status_code))
            started = g.get("started_monotonic")  # set by the app's first before_request hook
            duration.labels(*labels).observe(time.monotonic() - started if started else 0.0)
            total.labels(*labels).inc()
        return response
