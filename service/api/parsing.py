"""Reading the JSON body: the media type must be JSON (else 415), the body uncompressed (else
415), readable (else 400; 408 when the client stalls, on gunicorn alone) and within the size limit (else 413), the bytes valid UTF-8 and the
document valid JSON (else 400). Everything past that is the marshmallow schemas' job (422)."""
from __future__ import annotations

import json

import flask
from webargs import core
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .errors import ClientStalled, ServiceError

JSON_TYPES = ("application/json",)
IDENTITY_ENCODINGS = ("", "identity")


def _is_json_media_type(mimetype: str | None) -> bool:
    return bool(mimetype) and (mimetype in JSON_TYPES or
                               (mimetype.startswith("application/") and mimetype.endswith("+json")))


def decode_json_body(raw: bytes):
    """Parse a request body strictly; raise ServiceError(400) with a short reason if it is not JSON."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ServiceError(400, f"Request body is not valid UTF-8 (bad byte at offset {exc.start}).",
                           {"json": ["Invalid UTF-8."]}) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ServiceError(400, f"Request body is not valid JSON: {exc.msg} at line {exc.lineno} "
                                f"column {exc.colno}.", {"json": ["Invalid JSON body."]}) from None
    except RecursionError:
        raise ServiceError(400, "Request body is nested too deeply to be an article.",
                           {"json": ["JSON nested too deeply."]}) from None
    except ValueError:  # an integer past Python's digit limit (4,300): no article field needs one
        raise ServiceError(400, "Request body has a number too long to read.",
                           {"json": ["Number too long."]}) from None


def read_body(req: flask.Request) -> bytes:
    """The whole body. A chunked body has no Content-Length for werkzeug to check, and werkzeug
    silently cuts it at the limit: one more byte past the limit means it was too large."""
    try:
        raw = req.get_data(cache=True)
        limit = req.max_content_length
        if req.content_length is None and limit is not None and len(raw) >= limit \
                and req.environ["wsgi.input"].read(1):
            raise RequestEntityTooLarge()
    except HTTPException:
        raise
    except ClientStalled as stall:  # gunicorn alone (api/worker.py); nginx answers these itself
        raise ServiceError(408, stall.describe("body")) from None
    except Exception as exc:  # the server's own errors reading a malformed (chunked) body
        raise ServiceError(400, f"Request body could not be read: {type(exc).__name__}.",
                           {"json": ["Malformed request body."]}) from None
    return raw


def _refuse_compressed(req: flask.Request) -> None:
    encoding = (req.headers.get("Content-Encoding") or "").strip().lower()
    if encoding not in IDENTITY_ENCODINGS:
        raise ServiceError(415, f"Content-Encoding {encoding!r:.40} is not supported: send the JSON "
                                "body uncompressed.", {"json": ["Compressed body."]})


class StrictJsonParser(FlaskParser):
    def _raw_load_json(self, req: flask.Request):
        if not _is_json_media_type(req.mimetype):
            raise ServiceError(415, "Send the body as JSON with 'Content-Type: application/json' "
                                    f"(got {req.mimetype or 'no content type'!r:.60}).")
        _refuse_compressed(req)
        raw = read_body(req)
        if not raw:
            return core.missing  # the schema then names the missing fields
        return decode_json_body(raw)
