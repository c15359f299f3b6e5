"""One definition of a quote's shape: the records in service/nlp/records.py. The API result, its
OpenAPI schemas, the flat row columns (Parquet, Spark, the page's CSV) and their types all follow
from them, so a field added to a record shows up everywhere."""
from __future__ import annotations

import json

from dataclasses import dataclass, field, fields

import pytest
from marshmallow import fields as ma_fields

from service.api.schemas import record_schema
from service.bulk.schema import arrow_schema, column_type
from service.nlp import shift_quote
from service.nlp.records import Addressee, Agency, Cue, Quote, Speaker, doc
from service.nlp.serialize import QUOTE_COLUMNS, ROW_COLUMNS, json_ready, record_columns

SENTENCE = '"We have named the participants," Bogdanov told reporters.'


# ---- the derivation, on records made up for the test (as a coming field would be added) --------

@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Made:
    word: str = field(metadata=doc("A word.", example="hello"))
    piece: Piece | None = field(default=None, metadata=doc("One piece.", columns=("text",)))
    pieces: tuple[Piece, ...] = field(default=(), metadata=doc("Its pieces."))
    score: float | None = None


def test_a_record_field_becomes_a_documented_required_schema_field():
    schema = record_schema(Made)()
    assert list(schema.fields) == ["word", "piece", "pieces", "score"]
    assert all(f.required for f in schema.fields.values())
    assert schema.fields["word"].metadata == {"description": "A word.", "example": "hello"}
    assert isinstance(schema.fields["piece"], ma_fields.Nested) and schema.fields["piece"].allow_none
    assert "columns" not in schema.fields["piece"].metadata      # row-only metadata stays out
    assert isinstance(schema.fields["pieces"], ma_fields.List)
    assert not schema.fields["pieces"].allow_none
    assert isinstance(schema.fields["score"], ma_fields.Float) and schema.fields["score"].allow_none


def test_a_record_field_becomes_flat_columns_with_types():
    columns = record_columns(Made)
    assert [(c.name, c.path, c.type) for c in columns] == [
        ("word", ("word",), str), ("piece_text", ("piece", "text"), str), ("pieces", ("pieces",), str),
        ("score", ("score",), float)]


def test_a_list_field_is_one_cell_of_json_text():
    from service.nlp.serialize import _value_at
    quote = {"fragments": [{"text": "a", "start": 0, "end": 1}]}
    assert json.loads(_value_at(quote, ("fragments",))) == quote["fragments"]


def test_a_record_serializes_as_json_reads_it_back():
    made = Made(word="w", piece=Piece(0, 1, "a"), pieces=(Piece(0, 1, "a"), Piece(2, 3, "b")))
    assert json_ready(made) == {"word": "w", "piece": {"start": 0, "end": 1, "text": "a"},
                                "pieces": [{"start": 0, "end": 1, "text": "a"},
                                           {"start": 2, "end": 3, "text": "b"}], "score": None}


# ---- the real quote's shape everywhere --------------------------------------------------------

@pytest.fixture(scope="module")
def api(nlp):
    from service import create_app
    return create_app({"TESTING": True, "QUOTEWIRE_PIPELINE": nlp}).test_client()


@pytest.fixture(scope="module")
def openapi(api):
    return api.get("/openapi.json").get_json()


def test_api_quotes_have_exactly_the_record_fields_and_a_rule(api):
    (quote,) = api.post("/v1/quotes", json={"text": SENTENCE}).get_json()["quotes"]
    assert list(quote) == ["id", *(f.name for f in fields(Quote))]
    assert quote["rule"], "an attributed quote names the rule that attributed it"
    assert quote["speaker"]["name"] == "Bogdanov"
    assert quote["addressee"]["text"] == "reporters"


def test_openapi_documents_every_record_field(openapi):
    schemas = openapi["components"]["schemas"]
    for record, name in [(Quote, "Quote"), (Speaker, "SpeakerMention"), (Cue, "Cue"),
                         (Agency, "Agency"), (Addressee, "Addressee")]:
        properties = schemas[name]["properties"]
        assert set(properties) >= {f.name for f in fields(record)}, name
        assert all(p.get("description") for p in properties.values()), name
    assert schemas["Quote"]["properties"]["rule"]["example"]
    assert schemas["Quote"]["properties"]["type"]["enum"] == ["direct", "mixed", "indirect"]
    assert schemas["SpeakerMention"]["properties"]["title"]["nullable"] is True


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_nullable_objects_are_a_nullable_allof_reference(openapi):
    speaker = openapi["components"]["schemas"]["Quote"]["properties"]["speaker"]
    assert speaker["allOf"] == [{"$ref": "#/components/schemas/SpeakerMention"}]
    assert speaker["nullable"] is True
    assert not [node for node in _walk(openapi) if "anyOf" in node]


def test_row_columns_and_types_come_from_the_records():
    assert ROW_COLUMNS[:2] == ("article_id", "quote_id")
    assert "rule" in ROW_COLUMNS and "speaker_title" in ROW_COLUMNS
    assert column_type("speaker_start") == "int64" and column_type("confidence") == "float64"
    assert column_type("rule") == "string"
    assert arrow_schema().names == list(ROW_COLUMNS)


def test_the_page_gets_the_row_columns_from_the_service(api):
    module = api.get("/static/web/columns.js")
    assert module.mimetype == "text/javascript"
    for column in QUOTE_COLUMNS:
        assert f'["{column.name}", {list(column.path)}]'.replace("'", '"') in module.get_data(as_text=True)


def test_a_quote_from_a_later_chunk_has_all_its_offsets_moved():
    quote = Quote(type="direct", text="x", start=1, end=2, rule="r",
                  speaker=Speaker(name="A", text="A", start=3, end=4, kind="person"),
                  cue=Cue(text="said", lemma="say", start=5, end=9),
                  agency=Agency(name="B", text="B", start=10, end=11),
                  addressee=Addressee(text="C", start=12, end=13))
    moved = shift_quote(quote, 100)
    assert (moved.start, moved.end, moved.speaker.start, moved.cue.end, moved.agency.start,
            moved.addressee.end) == (101, 102, 103, 109, 110, 113)
    assert (moved.text, moved.rule, moved.speaker.name) == ("x", "r", "A")
