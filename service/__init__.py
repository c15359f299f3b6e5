"""Quotewire: quote attribution for news articles. `create_app` is the Flask application factory."""
from __future__ import annotations

__version__ = "0.1.0"


def create_app(config: dict | None = None):
    """Build the Flask app. Imported lazily so the engine and CLI never import Flask."""
    from .api.app import build_app

    return build_app(config)
