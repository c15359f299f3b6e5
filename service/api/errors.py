"""Every error is JSON {"code", "status", "message", "errors"}; nothing echoes more than a short
excerpt of what the client sent (a hostile body must not come back at us, or into the logs)."""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .logs import LOGGER_NAME

EXCERPT_CHARS = 80   # longest piece of client input an error message may repeat
MAX_ITEMS = 20       # most entries listed per level of an errors object
DRAIN_LIMIT_FACTOR = 4  # read at most this many times the body limit before answering 413
SCHEMA_KEY = "_schema"  # marshmallow's key for errors about a whole object, not one field
NOT_FOUND_MESSAGE = ("No such path. The API is POST /v1/quotes and POST /v1/quotes/batch; "
                     "its documentation is at /docs (OpenAPI document: /openapi.json).")

log = logging.getLogger(LOGGER_NAME)


class ServiceError(HTTPException):
    """An HTTP error raised by our own code, carrying the JSON message and field errors."""

    def __init__(self, code: int, message: str, errors: dict | None = None,
                 headers: dict | None = None):
        super().__init__(description=message)
        self.code = code
        self.data = {"message": message, "errors": errors or {}, "headers": headers or {}}

    @property
    def name(self) -> str:
        return HTTPStatus(self.code).phrase


class ClientStalled(Exception):
    """Nothing arrived from the client for `seconds`. Not an OSError: gunicorn's worker closes
    the connection on those without an answer."""

    REASON = "nothing arrived for {:g} s"
    WHAT = "stalled"

    def __init__(self, seconds: float):
        super().__init__(self.REASON.format(seconds))
        self.seconds = seconds

    def describe(self, part: str) -> str:
        """The 408's message, for a stall in the request's `part` (headers, body)."""
        return f"The request {part} {self.WHAT}: {self}."


class ClientTooSlow(ClientStalled):
    """The client kept sending, but its request was not all there `seconds` after it connected
    (a trickle: each pause shorter than the client timeout)."""

    REASON = "not all received within {:g} s"
    WHAT = "came too slowly"


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def shorten_errors(errors: Any, depth: int = 0) -> Any:
    """Field errors with long keys and strings cut, long lists and dicts capped."""
    if depth > 6:
        return "…"
    if isinstance(errors, dict):
        items = list(errors.items())
        short = {excerpt(str(key)): shorten_errors(value, depth + 1) for key, value in items[:MAX_ITEMS]}
        if len(items) > MAX_ITEMS:
            short["…"] = [f"{len(items) - MAX_ITEMS} more not shown"]
        return short
    if isinstance(errors, (list, tuple)):
        short = [shorten_errors(value, depth + 1) for value in errors[:MAX_ITEMS]]
        if len(errors) > MAX_ITEMS:
            short.append(f"{len(errors) - MAX_ITEMS} more not shown")
        return short
    if isinstance(errors, str):
        return excerpt(errors, 200)
    if errors is None or isinstance(errors, (int, float, bool)):
        return errors
    return excerpt(errors)


def _field_messages(errors: Any, path: str = "") -> list[str]:
    """Flatten {"json": {"articles": {"0": {"text": ["..."]}}}} to ["articles.0.text: ..."]."""
    if isinstance(errors, dict):
        found = []
        for key, value in errors.items():
            if (not path and key == "json") or key == SCHEMA_KEY:
                name = path  # marshmallow's names for "the body" and "the whole object"
            else:
                name = f"{path}.{key}" if path else str(key)
            found += _field_messages(value, name)
        return found
    if isinstance(errors, (list, tuple)) and errors and all(isinstance(e, str) for e in errors):
        message = excerpt(errors[0], 120)
        return [f"{excerpt(path)}: {message}" if path else message]
    if isinstance(errors, (list, tuple)):
        return [m for e in errors for m in _field_messages(e, path)]
    return []


def validation_message(errors: Any) -> str:
    """One line naming the offending fields, for 422 responses."""
    found = _field_messages(errors)
    if not found:
        return "The request's fields are not valid."
    shown = "; ".join(found[:3])
    return f"Invalid request: {shown}" + (f" (and {len(found) - 3} more)" if len(found) > 3 else "")


def error_body(code: int, message: str, errors: Any = None) -> dict:
    return {"code": code, "status": HTTPStatus(code).phrase, "message": message,
            "errors": shorten_errors(errors or {})}


def _drain_oversized_body(max_bytes: int) -> None:
    """Read (and drop) a too-large body so the client can read our 413 instead of a reset."""
    stream = request.environ.get("wsgi.input")
    if stream is None:
        return
    budget = max_bytes * DRAIN_LIMIT_FACTOR
    try:
        while budget > 0:
            chunk = stream.read(min(65536, budget))
            if not chunk:
                break
            budget -= len(chunk)
    except Exception:  # a client that hangs up mid-body: nothing left to answer
        pass


def _default_message(code: int, errors: Any, error: HTTPException) -> str:
    if code == 422:
        return validation_message(errors)
    if code == 404:
        return NOT_FOUND_MESSAGE
    return error.description or HTTPStatus(code).phrase


def http_error_response(error: HTTPException):
    """The JSON response for any HTTPException (ours, webargs', werkzeug's routing ones)."""
    data = getattr(error, "data", None) or {}
    code = error.code or 500
    errors = data.get("errors") if "errors" in data else data.get("messages")
    message = data.get("message") or _default_message(code, errors, error)
    if isinstance(error, RequestEntityTooLarge):
        limit = request.max_content_length
        message = f"Request body is larger than the limit of {limit} bytes."
        _drain_oversized_body(limit or 0)
    response = jsonify(error_body(code, message, errors))
    response.status_code = code
    # Keep headers the error defines (e.g. Allow on 405), then any we were given.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    return response


def unexpected_error_response(error: Exception):
    """Last resort: log the bug with its traceback, answer JSON (never an HTML page)."""
    if isinstance(error, HTTPException):
        return http_error_response(error)
    log.exception("unhandled error: %s", type(error).__name__)
    response = jsonify(error_body(500, "Internal error; it has been logged with this request's id."))
    response.status_code = 500
    return response


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error_response)
    app.register_error_handler(Exception, unexpected_error_response)
