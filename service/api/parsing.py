"""Reading the JSON body: the media type must be JSON (else 415), the bytes valid UTF-8 and the
document valid JSON (else 400). Everything past that is the marshmallow schemas' job (422)."""
from __future__ import annotations

import json

import flask
from webargs import core
from webargs.flaskparser import FlaskParser

from .errors import ServiceError

JSON_TYPES = ("application/json",)


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


class StrictJsonParser(FlaskParser):
    def _raw_load_json(self, req: flask.Request):
        if not _is_json_media_type(req.mimetype):
            raise ServiceError(415, "Send the body as JSON with 'Content-Type: application/json' "
                                    f"(got {req.mimetype or 'no content type'!r:.60}).")
        raw = req.get_data(cache=True)
        if not raw:
            return core.missing  # the schema then names the missing fields
        return decode_json_body(raw)
