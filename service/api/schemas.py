"""Marshmallow schemas: request validation and the OpenAPI document in one place.

The response schemas only document what service.nlp.serialize produces (responses are built by
that one serializer, never dumped through these)."""
from __future__ import annotations

import re
import time
from functools import cache

import marshmallow as ma
from flask import current_app
from marshmallow import fields, validate

from ..html import NoArticleText, extract_article
from ..timelimit import TimeLimitExceeded, time_limit
from .errors import ServiceError
from .state import request_deadline
from ..nlp.kinds import UnknownKinds, parse_kinds, unknown_kind_message
from ..nlp.records import QUOTE_KINDS, SPEAKER_KINDS, FieldShape, Quote, Speaker, is_record, shape

# JSON can carry "\ud800" escapes that decode to lone surrogates: not Unicode text, and the
# tokenizer cannot encode them. (Escaped pairs decode to one proper character.)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def settings():
    return current_app.extensions["quotewire"].settings


# ---- requests ---------------------------------------------------------------------------------

MAX_ID_CHARS = 256


class ArticleId(fields.Field):
    """An article id as the client gave it: a string (up to 256 characters) or an integer."""
    default_error_messages = {"invalid": "Must be a string or an integer.",
                              "too_long": f"Longer than {MAX_ID_CHARS} characters.",
                              "surrogate": "Contains a lone surrogate (an unpaired \\ud800-\\udfff "
                                           "escape), which is not Unicode text."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.make_error("invalid")
        if isinstance(value, str) and len(value) > MAX_ID_CHARS:
            raise self.make_error("too_long")
        if isinstance(value, str) and _LONE_SURROGATE.search(value):
            raise self.make_error("surrogate")   # it could not be echoed back as UTF-8
        return value


def document_article_ids(converter, field: fields.Field, ret: dict) -> dict:
    """apispec attribute function: an ArticleId is a string or an integer in OpenAPI."""
    if isinstance(field, ArticleId):
        return {"oneOf": [{"type": "string", "maxLength": MAX_ID_CHARS}, {"type": "integer"}]}
    return {}


def document_text_or_html(spec) -> None:
    """In the OpenAPI document an article is one of two objects, TextArticle (text, id) and
    HtmlArticle (html, id), so that generated clients get a typed model for each and contract
    tests know that a body with both, or neither, is invalid."""
    schemas = spec.components.schemas
    article = schemas["Article"]
    for name, kept, dropped in (("TextArticle", "text", "html"), ("HtmlArticle", "html", "text")):
        properties = {k: v for k, v in article["properties"].items() if k != dropped}
        schemas[name] = {**article, "properties": properties, "required": [kept]}
    schemas["Article"] = {"oneOf": [{"$ref": "#/components/schemas/TextArticle"},
                                    {"$ref": "#/components/schemas/HtmlArticle"}],
                          "description": "An article: its text, or its HTML."}


def _text_problem(value: str, what: str) -> str | None:
    """Why a text cannot go to the engine (empty, too long, not Unicode), or None."""
    if not value.strip():
        return f"{what} must not be empty."
    limit = settings().max_text_chars
    if len(value) > limit:
        return f"{what} is {len(value)} characters; the limit is {limit}."
    surrogate = _LONE_SURROGATE.search(value)
    if surrogate:
        return (f"{what} has an unpaired surrogate (U+{ord(surrogate.group()):04X}) "
                f"at offset {surrogate.start()}; send valid Unicode.")
    return None


class Kinds(fields.List):
    """The kinds of quote to keep: known kind names (the OpenAPI enum), at least one, given back
    once each in the order of QUOTE_KINDS (service.nlp.kinds)."""

    def __init__(self, description: str):
        super().__init__(
            fields.String(validate=validate.OneOf(QUOTE_KINDS, error=unknown_kind_message(["{input}"]))),
            load_default=None,
            metadata={"description": description, "example": ["speech", "thought"], "minItems": 1})

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_kinds(super()._deserialize(value, attr, data, **kwargs))
        except UnknownKinds as exc:   # none named (an unknown name fails its item first)
            raise ma.ValidationError(str(exc)) from None


KINDS_DESCRIPTION = ("Keep only quotes of these kinds (what is attributed: see the quote's `kind`). "
                     "Left out: every kind. When given, the result's meta.kinds says what was left out.")


class ArticleSchema(ma.Schema):
    error_messages = {"type": 'Must be a JSON object like {"text": "...", "id": "optional"} '
                              'or {"html": "...", "id": "optional"}.'}

    text = fields.String(metadata={
        "description": "The article text (send this or `html`). Offsets in the result are "
                       "character offsets into it.",
        "example": '"We have named the participants," Bogdanov said.',
        "minLength": 1, "pattern": r"\S"})  # documents the not-blank check below
    html = fields.String(metadata={
        "description": "The article as HTML (send this or `text`): a page, a CMS body, an RSS item. "
                       "Its headline (<h1>) and body text are extracted (navigation, scripts and styles dropped) and "
                       "returned as the result's `text`, which start/end index; every span also has "
                       "html_start/html_end into this HTML.",
        "example": "<article><p>\u201cWe have named the participants,\u201d <a href=\"/b\">Bogdanov</a> "
                   "said.</p></article>",
        "minLength": 1, "pattern": r"[^\s<>]"})  # some text; a page of markup only is a 422 too
    id = ArticleId(load_default=None, allow_none=True,
                   metadata={"description": "Your id for the article (a string or an integer), "
                                            "echoed back as given."})
    kinds = Kinds(KINDS_DESCRIPTION + " In a batch, an article's own kinds win over the batch's.")

    @ma.validates("text")
    def _text_is_usable(self, value: str, **kwargs) -> None:
        problem = _text_problem(value, "Text")
        if problem:
            raise ma.ValidationError(problem)

    @ma.validates_schema
    def _text_or_html(self, data: dict, **kwargs) -> None:
        given = [name for name in ("text", "html") if name in data]
        if len(given) != 1:
            message = ("Send either text or html, not both." if given
                       else "Send the article as text or as html.")
            raise ma.ValidationError({"text": [message], "html": [message]})

    @ma.post_load
    def _html_to_text(self, data: dict, **kwargs) -> dict:
        """An HTML article is turned into its text here, so that a page without article text is
        a 422 naming `html` (in a batch: the article's index) like any other invalid field."""
        if "html" not in data:
            return data
        limit, which = _html_time_limit()
        try:
            with time_limit(limit):   # a page of pathological markup must not pin the worker
                page = extract_article(data.pop("html"))
        except NoArticleText:
            raise ma.ValidationError({"html": ["No article text found in the HTML."]}) from None
        except TimeLimitExceeded:
            raise ServiceError(504, f"Stopped: reading the article text out of the HTML ran past the "
                                    f"{which} time limit ({limit:g}s left). Send the article body only, "
                                    "or its text.", {"html": ["Time limit exceeded."]}) from None
        problem = _text_problem(page.text, "The HTML's article text")
        if problem:
            raise ma.ValidationError({"html": [problem]})
        return {**data, "text": page.text, "page": page}


def _html_time_limit() -> tuple[float, str]:
    """(seconds, which limit) the HTML step of one article may take: the article time limit, or
    what is left of the request's when that is less (a batch's pages share the request's time)."""
    article, left = settings().article_timeout, request_deadline() - time.monotonic()
    return (article, "article") if article <= left else (max(left, 0.0), "request")


class BatchSchema(ma.Schema):
    error_messages = {"type": 'Must be a JSON object like {"articles": [{"text": "..."}]}.'}

    articles = fields.List(fields.Nested(ArticleSchema), required=True, metadata={
        "description": "Articles to process, results come back in the same order.", "minItems": 1})
    kinds = Kinds(KINDS_DESCRIPTION + " For every article of the batch that names no kinds of its own.")

    @ma.validates("articles")
    def _batch_size_in_limits(self, value: list, **kwargs) -> None:
        if not value:
            raise ma.ValidationError("Send at least one article.")
        limit = settings().max_batch
        if len(value) > limit:
            raise ma.ValidationError(f"Batch has {len(value)} articles; the limit is {limit}.")


# ---- responses (documentation of service.nlp.serialize's output) --------------------------------

# The quote's parts are derived from the engine's records (service.nlp.records), where each field
# is documented; only the schema names differ where a record's name is taken here.
_FIELD_TYPES = {str: fields.String, int: fields.Integer, float: fields.Float}
_SCHEMA_NAMES = {Speaker: "SpeakerMention"}  # "Speaker" is the roster entry below
_ROW_ONLY_METADATA = {"columns"}


# Beside every span's start/end when the article was sent as HTML (service.html.with_html_offsets).
HTML_OFFSETS = {
    "html_start": fields.Integer(metadata={"description": "Only for an article sent as `html`: "
                                           "where the span starts in the posted HTML."}),
    "html_end": fields.Integer(metadata={"description": "Only for an article sent as `html`: where "
                                         "the span ends in the posted HTML (exclusive); the HTML "
                                         "between html_start and html_end renders to `text`."}),
}


@cache
def record_schema(record: type, **leading: fields.Field) -> type[ma.Schema]:
    """A response schema with one required field per record field (null where the field may be
    None), after the `leading` fields that serialization adds (e.g. a quote's id)."""
    declared = dict(leading)
    declared.update({part.name: _response_field(part) for part in shape(record)})
    if {"start", "end"} <= declared.keys():
        declared.update(HTML_OFFSETS)
    name = _SCHEMA_NAMES.get(record, record.__name__)
    return ma.Schema.from_dict(declared, name=f"{name}Schema")


def _response_field(part: FieldShape) -> fields.Field:
    options = {"required": True, "allow_none": part.optional,
               "metadata": {k: v for k, v in part.metadata.items() if k not in _ROW_ONLY_METADATA}}
    if part.many:
        return fields.List(_value_field(part.type), **options)
    return _value_field(part.type, **options)


def _value_field(kind: type, **options) -> fields.Field:
    if is_record(kind):
        return fields.Nested(record_schema(kind), **options)
    return _FIELD_TYPES[kind](**options)


def document_nullable_objects(converter, field: fields.Field, ret: dict) -> dict:
    """apispec attribute function: a nullable nested object as OpenAPI 3.0 client generators read
    it, `allOf: [{$ref}]` with `nullable: true` (apispec writes `anyOf` with an untyped object)."""
    if isinstance(field, fields.Nested) and field.allow_none and "anyOf" in ret:
        return {"allOf": [s for s in ret.pop("anyOf") if "$ref" in s], "nullable": True}
    return {}


QuoteSchema = record_schema(Quote, id=fields.String(required=True, metadata={
    "description": "The quote's id in this result (q1, q2, ...), used by the speakers' roster.",
    "example": "q1"}))


class SpeakerSchema(ma.Schema):
    name = fields.String(required=True, metadata={"description": "Canonical full name.",
                                                  "example": "Mikhail Bogdanov"})
    title = fields.String(required=True, allow_none=True, metadata={
        "description": "The first title given in any of this speaker's quotes; null when none."})
    kind = fields.String(required=True, metadata={"enum": list(SPEAKER_KINDS)})
    quotes = fields.List(fields.String(), required=True, metadata={
        "description": "Ids of this speaker's quotes, in order.", "example": ["q1", "q3"]})


class KindsNoteSchema(ma.Schema):
    kept = fields.List(fields.String(validate=validate.OneOf(QUOTE_KINDS)), required=True, metadata={
        "description": "The kinds the request named (in the order of the kinds' list)."})
    found = fields.Dict(keys=fields.String(validate=validate.OneOf(QUOTE_KINDS)), values=fields.Integer(),
                        required=True, metadata={"description": "Quotes found of each kind, before the "
                                                 "filter (kinds with none left out).",
                                                 "example": {"speech": 5, "stance": 2}})
    left_out = fields.Integer(required=True, metadata={
        "description": "Quotes the filter left out (their ids are missing from the result's q1, q2, ...)."})


class MetaSchema(ma.Schema):
    model = fields.String(required=True, metadata={"description": "spaCy model name."})
    model_version = fields.String(required=True)
    version = fields.String(required=True, metadata={"description": "Quotewire service version."})
    elapsed_ms = fields.Float(required=True, metadata={
        "description": "Engine time spent on this result (in a batch: since the previous result)."})
    error = fields.String(metadata={
        "description": "Present only when the engine failed on this article (no quotes then)."})
    kinds = fields.Nested(KindsNoteSchema, metadata={
        "description": "Present only when the request named kinds: what the filter left out."})
    warning = fields.String(metadata={
        "description": "Present only when the text is not English: the engine reads English only, "
                       "so no quotes are returned.",
        "example": "The text looks like German, not English: Quotewire reads English only, so no "
                   "quotes were looked for."})


class ResultSchema(ma.Schema):
    id = ArticleId(allow_none=True, required=True, metadata={
        "description": "The article's id as sent (a string or an integer); null when none was sent."})
    text = fields.String(metadata={
        "description": "Only for an article sent as `html`: the text extracted from it, which every "
                       "start/end indexes (html_start/html_end index the HTML)."})
    title = fields.String(allow_none=True, metadata={
        "description": "Only for an article sent as `html`: its headline (<h1>, else <title>); "
                       "an <h1> headline is also the first paragraph of `text`; null when the page has none."})
    quotes = fields.List(fields.Nested(QuoteSchema), required=True)
    speakers = fields.List(fields.Nested(SpeakerSchema), required=True)
    meta = fields.Nested(MetaSchema, required=True)


class BatchResultSchema(ma.Schema):
    results = fields.List(fields.Nested(ResultSchema), required=True)


class StreamErrorSchema(ma.Schema):
    id = fields.String(allow_none=True)
    index = fields.Integer()
    error = fields.Dict()


class ErrorSchema(ma.Schema):
    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(required=True, metadata={"description": "Field errors, by location and field."})


class LiveSchema(ma.Schema):
    status = fields.String(required=True)


class ReadySchema(ma.Schema):
    status = fields.String(required=True)
    model = fields.String(required=True)
    probe_ms = fields.Float(required=True)


class InfoSchema(ma.Schema):
    service = fields.String(required=True)
    version = fields.String(required=True)
    spacy = fields.String(required=True)
    model = fields.Dict(required=True)
    limits = fields.Dict(required=True)
