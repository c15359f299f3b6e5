"""The application factory behind service.create_app."""
from __future__ import annotations

import hmac
import time
from typing import Any

from flask import Flask, g, request
from flask_smorest import Api

from .. import __version__
from .config import load_settings
from .docs import OPENAPI_CONFIG
from .engine import Engine
from .errors import ServiceError, register_error_handlers
from .logs import REQUEST_ID_HEADER, configure_app_logging, request_id_from
from .metrics import init_metrics
from .schemas import (ErrorSchema, document_article_ids, document_nullable_objects,
                      document_text_or_html)
from .state import ServiceState


class QuotewireApi(Api):
    ERROR_SCHEMA = ErrorSchema  # the one error shape, also in the OpenAPI document

    def _register_pagination_header(self) -> None:
        """Nothing is paginated: no pagination header, and so no stray PaginationMetadata schema."""

API_KEY_HEADER = "X-API-Key"
# Keys of create_app's config that are objects, not settings: a pipeline already loaded (tests).
PIPELINE_KEY = "QUOTEWIRE_PIPELINE"


def build_app(config: dict[str, Any] | None = None) -> Flask:
    config = dict(config or {})
    settings = load_settings(config)
    configure_app_logging(settings.log_level)

    app = Flask("service")
    app.config.update(
        API_TITLE="Quotewire", API_VERSION=__version__, MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_SPEC_OPTIONS={
            "info": {"description": "Who said what in news articles. Offsets are character "
                                    "offsets into the posted text, end exclusive."},
            "components": {"securitySchemes": {"ApiKeyHeader": {
                "type": "apiKey", "in": "header", "name": API_KEY_HEADER,
                "description": "Needed on /v1/ only when the server sets QUOTEWIRE_API_KEY."}}},
        },
        **OPENAPI_CONFIG,
    )
    app.config.update({key: value for key, value in config.items() if not key.startswith("QUOTEWIRE_")})
    app.json.sort_keys = False  # keep the serializer's field order

    _install_request_hooks(app, settings)
    counters = init_metrics(app)
    engine = Engine(settings, config.get(PIPELINE_KEY))
    app.extensions["quotewire"] = ServiceState(settings, engine, counters)

    from . import docs, health, quotes
    api = QuotewireApi(app)
    api.ma_plugin.converter.add_attribute_function(document_nullable_objects)
    api.ma_plugin.converter.add_attribute_function(document_article_ids)
    api.register_blueprint(quotes.blp)
    document_text_or_html(api.spec)
    api.register_blueprint(health.blp)
    app.register_blueprint(docs.blueprint)
    from ..web import blueprint as web_page
    app.register_blueprint(web_page)
    register_error_handlers(app)  # after Api(), replacing flask-smorest's handler with ours

    if settings.cors_origins:
        from flask_cors import CORS
        CORS(app, resources={r"/v1/*": {"origins": list(settings.cors_origins)}},
             allow_headers=["Content-Type", API_KEY_HEADER, REQUEST_ID_HEADER],
             expose_headers=[REQUEST_ID_HEADER], max_age=600)
    return app


def _install_request_hooks(app: Flask, settings) -> None:
    @app.before_request
    def start_request():
        g.started_monotonic = time.monotonic()
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))

    @app.before_request
    def require_api_key():
        if settings.api_key and _is_api_call() and request.method != "OPTIONS":
            check_api_key(request.headers.get(API_KEY_HEADER), settings.api_key)

    @app.after_request
    def return_request_id(response):
        response.headers[REQUEST_ID_HEADER] = g.get("request_id") or request_id_from(None)
        return response


def _is_api_call() -> bool:
    return request.path.startswith("/v1/") or request.blueprint == "quotes"


def check_api_key(given: str | None, expected: str) -> None:
    """Raise 401 unless `given` equals `expected` (compared in constant time)."""
    challenge = {"WWW-Authenticate": f'ApiKey header="{API_KEY_HEADER}"'}
    if not given:
        raise ServiceError(401, f"This API needs an {API_KEY_HEADER} header.", headers=challenge)
    if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8")):
        raise ServiceError(401, f"The {API_KEY_HEADER} header is not valid.", headers=challenge)
