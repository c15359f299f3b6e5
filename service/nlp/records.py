"""The engine's output records: small frozen dataclasses, serialized by service.nlp.serialize."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Speaker:
    name: str            # canonical full name ("Mikhail Bogdanov")
    text: str            # surface mention ("he", "Bogdanov")
    start: int
    end: int
    kind: str            # person | organization | group | anonymous
    title: str | None = None


@dataclass(frozen=True)
class Cue:
    text: str
    lemma: str
    start: int
    end: int


@dataclass(frozen=True)
class Agency:
    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Addressee:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Quote:
    type: str            # direct | mixed | indirect
    text: str            # exactly doc.text[start:end], quote marks excluded
    start: int
    end: int
    speaker: Speaker | None = None
    cue: Cue | None = None
    agency: Agency | None = None
    addressee: Addressee | None = None
    confidence: float = 0.0
    rule: str = ""       # the registered rule(s) that made the attribution ("speech-verb-ccomp+continuation")
