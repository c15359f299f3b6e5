"""Marshmallow schemas: request validation and the OpenAPI document in one place.

The response schemas only document what service.nlp.serialize produces (responses are built by
that one serializer, never dumped through these)."""
from __future__ import annotations

import re

import marshmallow as ma
from flask import current_app
from marshmallow import fields, validate

# JSON can carry "\ud800" escapes that decode to lone surrogates: not Unicode text, and the
# tokenizer cannot encode them. (Escaped pairs decode to one proper character.)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def settings():
    return current_app.extensions["quotewire"].settings


# ---- requests ---------------------------------------------------------------------------------

class ArticleSchema(ma.Schema):
    error_messages = {"type": 'Must be a JSON object like {"text": "...", "id": "optional"}.'}

    text = fields.String(required=True, metadata={
        "description": "The article text. Offsets in the result are character offsets into it.",
        "example": '"We have named the participants," Bogdanov said.',
        "minLength": 1, "pattern": r"\S"})  # documents the not-blank check below
    id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=256),
                       metadata={"description": "Your id for the article, echoed back."})

    @ma.validates("text")
    def _text_is_usable(self, value: str, **kwargs) -> None:
        if not value.strip():
            raise ma.ValidationError("Text must not be empty.")
        limit = settings().max_text_chars
        if len(value) > limit:
            raise ma.ValidationError(f"Text is {len(value)} characters; the limit is {limit}.")
        surrogate = _LONE_SURROGATE.search(value)
        if surrogate:
            raise ma.ValidationError(f"Text has an unpaired surrogate (U+{ord(surrogate.group()):04X}) "
                                     f"at offset {surrogate.start()}; send valid Unicode.")


class BatchSchema(ma.Schema):
    error_messages = {"type": 'Must be a JSON object like {"articles": [{"text": "..."}]}.'}

    articles = fields.List(fields.Nested(ArticleSchema), required=True, metadata={
        "description": "Articles to process, results come back in the same order.", "minItems": 1})

    @ma.validates("articles")
    def _batch_size_in_limits(self, value: list, **kwargs) -> None:
        if not value:
            raise ma.ValidationError("Send at least one article.")
        limit = settings().max_batch
        if len(value) > limit:
            raise ma.ValidationError(f"Batch has {len(value)} articles; the limit is {limit}.")


# ---- responses (documentation of service.nlp.serialize's output) --------------------------------

class SpanSchema(ma.Schema):
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class SpeakerMentionSchema(SpanSchema):
    name = fields.String(required=True, metadata={"description": "Canonical full name."})
    kind = fields.String(required=True, validate=validate.OneOf(
        ["person", "organization", "group", "anonymous"]))
    title = fields.String(allow_none=True)


class CueSchema(SpanSchema):
    lemma = fields.String(required=True)


class AgencySchema(SpanSchema):
    name = fields.String(required=True)


class QuoteSchema(ma.Schema):
    id = fields.String(required=True, metadata={"example": "q1"})
    type = fields.String(required=True, validate=validate.OneOf(["direct", "mixed", "indirect"]))
    text = fields.String(required=True, metadata={"description": "Exactly text[start:end]."})
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    speaker = fields.Nested(SpeakerMentionSchema, allow_none=True, required=True)
    cue = fields.Nested(CueSchema, allow_none=True, required=True)
    agency = fields.Nested(AgencySchema, allow_none=True, required=True)
    addressee = fields.Nested(SpanSchema, allow_none=True, required=True)
    rule = fields.String(required=True, metadata={
        "description": "The rule (or rules, joined by '+') that made the attribution.",
        "example": "speech-verb-ccomp"})
    confidence = fields.Float(required=True)


class SpeakerSchema(ma.Schema):
    name = fields.String(required=True)
    title = fields.String(allow_none=True)
    kind = fields.String(required=True)
    quotes = fields.List(fields.String(), required=True, metadata={"description": "Quote ids."})


class MetaSchema(ma.Schema):
    model = fields.String(required=True, metadata={"description": "spaCy model name."})
    model_version = fields.String(required=True)
    version = fields.String(required=True, metadata={"description": "Quotewire service version."})
    elapsed_ms = fields.Float(required=True, metadata={
        "description": "Engine time spent on this result (in a batch: since the previous result)."})
    error = fields.String(metadata={
        "description": "Present only when the engine failed on this article (no quotes then)."})


class ResultSchema(ma.Schema):
    id = fields.String(allow_none=True, required=True)
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
