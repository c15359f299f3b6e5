"""Prometheus metrics at /metrics: HTTP requests by endpoint, method and status, plus the engine's
work. Under gunicorn, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR before anything imports
prometheus_client, and every worker's counts are summed at /metrics.

Every label takes a bounded set of values, whatever clients send: a made-up method counts as
"OTHER" and a path that matches no route as endpoint "unmatched" (each new label value is a new
series in every worker's file, and /metrics would grow with each one)."""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_flask_exporter import PrometheusMetrics

from .. import __version__

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
OTHER_METHOD = "OTHER"
UNMATCHED_ENDPOINT = "unmatched"
UNTRACKED_PREFIXES = ("/metrics", "/docs/assets", "/static")
HTTP_LABELS = ("endpoint", "method", "status")


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
    metrics = PrometheusMetrics(app, registry=registry, export_defaults=False)
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
