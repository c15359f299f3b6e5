"""The engine's output records, and the one definition of a quote's shape.

The API's response schemas (service.api.schemas), the flat Parquet/Spark row columns and their
types (service.nlp.serialize, service.bulk.schema) and the page's CSV columns are all derived from
these dataclasses: a new field is added here, with its documentation in the field's metadata.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache
from types import NoneType
from typing import Any, Mapping, NamedTuple, get_args, get_origin, get_type_hints

SPEAKER_KINDS = ("person", "organization", "group", "anonymous")
QUOTE_TYPES = ("direct", "mixed", "indirect")
NO_COMMENT = "no_comment"    # the kind of a refusal's record: a speaker, a cue and no words
QUOTE_KINDS = ("speech", "thought", "stance", "intention", "action", "evidence", NO_COMMENT)


def doc(description: str, **properties: Any) -> dict[str, Any]:
    """A field's metadata: its description and further OpenAPI properties (example, enum, ...).
    On a nested record's field, `columns=(...)` names the parts that become flat row columns."""
    return {"description": description, **properties}


# Control characters and invisible formatting (bidi overrides, zero-width spaces, a byte-order
# mark): kept in a mention as written, never in a name. (Zero-width joiners stay: scripts use them.)
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(name: str) -> str:
    """The name without control or invisible characters, its spaces collapsed (as written if
    nothing visible would be left)."""
    cleaned = " ".join(_INVISIBLE.sub("", name).split())
    return cleaned or name


def _start(of: str) -> Any:
    return field(metadata=doc(f"Character offset where {of} starts in the posted text."))


def _end(of: str) -> Any:
    return field(metadata=doc(f"Character offset where {of} ends in the posted text (exclusive)."))


def _as_written(example: str, more: str = "") -> Any:
    return field(metadata=doc(f"The mention as written, exactly text[start:end].{more}", example=example))


@dataclass(frozen=True)
class Speaker:
    name: str = field(metadata=doc("Canonical full name, the same for every mention of this speaker.",
                                   example="Mikhail Bogdanov"))
    text: str = _as_written("Russia's deputy foreign minister, Mikhail Bogdanov",
                            " The noun phrase naming the speaker, with its appositions and relative clauses.")
    start: int = _start("the mention")
    end: int = _end("the mention")
    kind: str = field(metadata=doc("What the speaker is.", enum=list(SPEAKER_KINDS), example="person"))
    title: str | None = field(default=None, metadata=doc(
        "Role or title, kept out of the name; null when none is given.",
        example="Russian Deputy Foreign Minister"))

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", visible(self.name))
        if self.title is not None:
            object.__setattr__(self, "title", visible(self.title))


@dataclass(frozen=True)
class Cue:
    text: str = field(metadata=doc("The reporting words as written, exactly text[start:end].",
                                   example="said"))
    lemma: str = field(metadata=doc("Base form of the reporting verb or noun.", example="say"))
    start: int = _start("the cue")
    end: int = _end("the cue")


@dataclass(frozen=True)
class Agency:
    name: str = field(metadata=doc("Canonical name of the relaying agency.", example="Interfax"))
    text: str = _as_written("Interfax news agency")
    start: int = _start("the mention")
    end: int = _end("the mention")

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", visible(self.name))


@dataclass(frozen=True)
class Addressee:
    text: str = field(metadata=doc("Whom it was said to, exactly text[start:end].", example="CNN"))
    start: int = _start("the mention")
    end: int = _end("the mention")


@dataclass(frozen=True)
class Fragment:
    text: str = field(metadata=doc("Words of an interrupted quote, exactly text[start:end].",
                                   example="We will not give in,"))
    start: int = _start("the words")
    end: int = _end("the words")


@dataclass(frozen=True)
class Quote:
    type: str = field(metadata=doc("How it is quoted: in quote marks (direct), partly (mixed) or "
                                   "reported speech (indirect).", enum=list(QUOTE_TYPES),
                                   example="direct"))
    text: str = field(metadata=doc("The quote's words, exactly text[start:end], quote marks excluded.",
                                   example="We have named the participants"))
    start: int = _start("the quote")
    end: int = _end("the quote")
    speaker: Speaker | None = field(default=None, metadata=doc(
        "Who said it; null when no speaker was found.",
        columns=("name", "text", "start", "end", "kind", "title")))
    cue: Cue | None = field(default=None, metadata=doc(
        "The reporting verb or noun; null when there is none.", columns=("text", "lemma")))
    agency: Agency | None = field(default=None, metadata=doc(
        "The news agency the quote was relayed through; null when none.", columns=("name",)))
    addressee: Addressee | None = field(default=None, metadata=doc(
        "Whom it was said to; null when not said.", columns=("text",)))
    fragments: tuple[Fragment, ...] = field(default=(), metadata=doc(
        "An interrupted quote's words without the attribution between them (start/end give the "
        "whole extent); empty when the words are one piece."))
    kind: str = field(default="speech", metadata=doc(
        "What is attributed: words (speech), a belief (thought), a position (stance), a plan "
        "(intention), a deed (action: voted, signed, ordered), a finding of a poll or report "
        "(evidence), or a refusal to comment "
        "(no_comment: a record with its speaker and cue, and an empty span right after the cue).",
        enum=list(QUOTE_KINDS), example="speech"))
    rule: str = field(default="", metadata=doc(
        "The rule (or rules, joined by '+') that made the attribution: why this speaker.",
        example="speech-verb-ccomp"))
    confidence: float = field(default=0.0, metadata=doc(
        "How sure the engine is of the attribution, from 0 to 1.", example=0.93))


# ---- reading the shape ------------------------------------------------------------------------

class FieldShape(NamedTuple):
    name: str
    type: type               # str, int, float, or a record class
    optional: bool           # may be None
    many: bool               # a list of `type`
    metadata: Mapping[str, Any]


def is_record(kind: type) -> bool:
    return dataclasses.is_dataclass(kind)


@cache
def shape(record: type) -> tuple[FieldShape, ...]:
    """The fields of a record class, in order, with their types unwrapped."""
    hints = get_type_hints(record)
    return tuple(_field_shape(f.name, hints[f.name], f.metadata) for f in dataclasses.fields(record))


def _field_shape(name: str, hint: Any, metadata: Mapping[str, Any]) -> FieldShape:
    members = get_args(hint) if get_origin(hint) is not None and NoneType in get_args(hint) else ()
    optional = bool(members)
    if optional:
        (hint,) = [member for member in members if member is not NoneType]
    many = get_origin(hint) in (list, tuple)
    if many:
        hint = get_args(hint)[0]
    return FieldShape(name, hint, optional, many, metadata)
