"""Prometheus metrics at /metrics: HTTP requests by endpoint and status (prometheus-flask-exporter)
plus the engine's work. Under gunicorn, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR before
anything imports prometheus_client, and every worker's counts are summed at /metrics."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from prometheus_client import CollectorRegistry, Counter
from prometheus_flask_exporter import PrometheusMetrics

from .. import __version__


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


def init_metrics(app: Flask) -> EngineCounters:
    # A registry per app: tests build many apps in one process. In multiprocess mode the
    # exporter reads the shared files instead, so this registry only avoids duplicates.
    registry = CollectorRegistry()
    metrics = PrometheusMetrics(app, registry=registry, group_by="endpoint",
                                excluded_paths=["/metrics", "/docs/assets", "/static"])
    metrics.info("quotewire_info", "Quotewire service", version=__version__)
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
