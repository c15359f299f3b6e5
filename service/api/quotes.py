"""POST /v1/quotes, POST /v1/quotes/batch (JSON or NDJSON stream), GET /v1/info."""
from __future__ import annotations

import logging
from typing import Iterator

import spacy
from flask import Response, jsonify, request, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from .. import __version__
from ..html import with_html_offsets
from ..nlp.kinds import keep_kinds
from ..nlp.serialize import article_result
from .engine import ArticleTimeout, Done
from .errors import ServiceError, error_body
from .logs import LOGGER_NAME
from .parsing import StrictJsonParser
from .schemas import (ArticleSchema, BatchResultSchema, BatchSchema, ErrorSchema, InfoSchema,
                      ResultSchema)
from .state import request_deadline, state

NDJSON = "application/x-ndjson"
log = logging.getLogger(LOGGER_NAME)

blp = Blueprint("quotes", __name__, url_prefix="/v1",
                description="Who said what: quotes, speakers, cues and agencies.")
blp.ARGUMENTS_PARSER = StrictJsonParser()

_ERROR_DESCRIPTIONS = {
    400: "Malformed JSON or invalid UTF-8", 401: "Missing or wrong X-API-Key (when one is set)",
    413: "Body over the size limit", 415: "Body is not JSON", 422: "Invalid fields",
    503: "Model not loaded", 504: "An article took longer than the time limit",
}
API_KEY_SECURITY = [{"ApiKeyHeader": []}]
BATCH_200 = ("Results in input order. With `Accept: application/x-ndjson` the response streams one "
             "result per line as each is done; if an article runs past the time limit the stream "
             'ends with a line {"id", "index", "error"} instead of the remaining results.')


def documented_errors(*codes: int):
    """Add the shared error schema to the OpenAPI doc for each status code."""
    def decorate(view):
        for code in codes:
            view = blp.alt_response(code, schema=ErrorSchema, description=_ERROR_DESCRIPTIONS[code])(view)
        return view
    return decorate


def _require_loaded_model() -> None:
    engine = state().engine
    if not engine.loaded:
        raise ServiceError(503, f"The service is not ready: {engine.error}")


def _results(texts: list[str]) -> Iterator[Done]:
    """Engine results in order, each counted in the metrics as it is done; one log line at the end."""
    current = state()
    chars = quotes = 0
    for done in current.engine.process(texts, request_deadline()):
        current.counters.count(done.chars, len(done.result["quotes"]))
        chars += done.chars
        quotes += len(done.result["quotes"])
        yield done
    log.info("articles processed", extra={"articles": len(texts), "characters": chars, "quotes": quotes})


def _timeout_error(exc: ArticleTimeout, article_id: str | None) -> ServiceError:
    state().counters.timeouts.inc()
    log.warning("time limit exceeded", extra={"index": exc.index, "limit": exc.limit, "limit_s": exc.seconds})
    return ServiceError(504, exc.describe(article_id),
                        {"articles": {str(exc.index): [f"The {exc.limit} time limit was exceeded."]}})


def _result(article: dict, done: Done, kinds: tuple[str, ...] | None = None) -> dict:
    """The article's result object, with only the quotes of `kinds` (the article's own kinds, else
    these, else all) and meta.kinds saying what the filter left out."""
    meta = state().engine.meta(done.elapsed_ms)
    if done.result.get("error"):
        meta["error"] = f"Extraction failed, no quotes returned: {done.result['error']}"
    if done.result.get("warning"):
        meta["warning"] = done.result["warning"]
    kept, note = keep_kinds(done.result, article.get("kinds") or kinds)
    if note is not None:
        meta["kinds"] = note
    if "page" in article:
        kept = with_html_offsets(kept, article["page"])
    return article_result(article["id"], kept, meta)


@blp.route("/quotes")
class Quotes(MethodView):
    @blp.arguments(ArticleSchema)
    @blp.response(200, ResultSchema)
    @documented_errors(400, 401, 413, 415, 422, 503, 504)
    @blp.doc(security=API_KEY_SECURITY)
    def post(self, article: dict):
        """Quotes and speakers of one article"""
        _require_loaded_model()
        try:
            (done,) = list(_results([article["text"]]))
        except ArticleTimeout as exc:
            raise _timeout_error(exc, article["id"]) from None
        return jsonify(_result(article, done))


@blp.route("/quotes/batch")
class QuotesBatch(MethodView):
    @blp.arguments(BatchSchema)
    @blp.response(200, BatchResultSchema)
    @documented_errors(400, 401, 413, 415, 422, 503, 504)
    @blp.doc(security=API_KEY_SECURITY, responses={"200": {"description": BATCH_200, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/BatchResult"}},
        NDJSON: {"schema": {"$ref": "#/components/schemas/Result"}}}}})
    def post(self, batch: dict):
        """Quotes and speakers of many articles, through one nlp.pipe"""
        _require_loaded_model()
        articles = batch["articles"]
        texts = [article["text"] for article in articles]
        if request.accept_mimetypes.best_match(["application/json", NDJSON]) == NDJSON:
            return _stream(articles, texts, batch["kinds"])
        try:
            results = [_result(articles[done.index], done, batch["kinds"]) for done in _results(texts)]
        except ArticleTimeout as exc:
            raise _timeout_error(exc, articles[exc.index]["id"]) from None
        response = jsonify({"results": results})
        response.vary.add("Accept")
        return response


def _stream(articles: list[dict], texts: list[str], kinds: tuple[str, ...] | None) -> Response:
    from flask import current_app
    dumps = current_app.json.dumps

    def lines() -> Iterator[str]:
        try:
            for done in _results(texts):
                yield dumps(_result(articles[done.index], done, kinds)) + "\n"
        except ArticleTimeout as exc:
            error = _timeout_error(exc, articles[exc.index]["id"])
            yield dumps({"id": articles[exc.index]["id"], "index": exc.index,
                         "error": error_body(504, error.description, error.data["errors"])}) + "\n"
        except Exception:  # headers are sent: the stream itself must carry the error
            log.exception("batch stream failed")
            yield dumps({"id": None, "index": None,
                         "error": error_body(500, "Internal error; logged with this request's id.")}) + "\n"

    response = Response(stream_with_context(lines()), mimetype=NDJSON)
    response.vary.add("Accept")
    response.headers["X-Accel-Buffering"] = "no"  # tell proxies not to hold the stream back
    return response


@blp.route("/info")
class Info(MethodView):
    @blp.response(200, InfoSchema)
    @documented_errors(401)
    @blp.doc(security=API_KEY_SECURITY)
    def get(self):
        """Service, spaCy and model versions, and the limits in force"""
        current = state()
        engine = current.engine
        return jsonify({"service": "quotewire", "version": __version__, "spacy": spacy.__version__,
                        "model": {"name": engine.model_name, "version": engine.model_version,
                                  "loaded": engine.loaded, "error": engine.error},
                        "limits": current.settings.public_limits()})
