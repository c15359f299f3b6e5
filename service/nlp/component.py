"""The "quotewire" spaCy component: sets Doc._.quotes (a list of records.Quote).

Registered as a factory like spaCy's own components (span_ruler.py): `make_quotewire` takes
keyword-only settings and returns a callable that fills the Doc in place. It never raises: an
article it cannot read gets an empty list of quotes, and the error is logged.
"""
from __future__ import annotations

import logging
import re

from spacy.language import Language
from spacy.tokens import Doc

from . import cues, frames, names, quotemarks
from .assemble import assemble
from .frames import find_frames
from .quotemarks import find_quoted

Doc.set_extension("quotes", default=None, force=True)
# Why extraction failed for this Doc (None when it did not): reported, never raised.
Doc.set_extension("quotewire_error", default=None, force=True)
log = logging.getLogger(__name__)

# spaCy's tokenizer peels prefixes and suffixes off a whitespace-free run one character at a time,
# rescanning the rest each time: quadratic on a run of quote marks or apostrophes. Runs longer than
# this are cut into pieces of this size before tokenizing (no real word is this long).
LONG_RUN_CHARS = 64
_LONG_RUN = re.compile(r"\S{%d,}" % (LONG_RUN_CHARS + 1))

# Components of the English pipeline the engine does not read: cue lemmas come from our lexicon
# and names from the parse, so the lemmatizer and NER (40% of the parse time) stay off.
UNUSED_COMPONENTS = ("lemmatizer", "ner")


def prepare(nlp: Language) -> None:
    """Disable the parts of the model the engine does not use, and make every paragraph start a
    sentence (so a headline never parses as the subject of the next line's verb)."""
    for name in UNUSED_COMPONENTS:
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    if not isinstance(nlp.tokenizer, LinearTokenizer):
        nlp.tokenizer = LinearTokenizer(nlp.tokenizer)
    load_language_data()
    if "quotewire_paragraphs" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe("quotewire_paragraphs", before=before)


def load_language_data() -> None:
    """Read every lexicon now, at load time: under gunicorn's preload the workers then share one
    copy, and a missing data file fails start-up instead of every later article."""
    for module in (cues, frames, names, quotemarks):
        module.load_data()


class LinearTokenizer:
    """spaCy's tokenizer, with overlong whitespace-free runs cut into fixed-size pieces first, so
    its cost stays linear in the text. The Doc's text is unchanged, so offsets stay valid."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if not _LONG_RUN.search(text):
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        position = 0
        for run in _LONG_RUN.finditer(text):
            self._add(self.tokenizer(text[position:run.start()]), words, spaces)
            for piece in range(run.start(), run.end(), LONG_RUN_CHARS):
                words.append(text[piece:min(piece + LONG_RUN_CHARS, run.end())])
                spaces.append(False)
            position = run.end()
        self._add(self.tokenizer(text[position:]), words, spaces)
        return Doc(self.tokenizer.vocab, words=words, spaces=spaces)

    @staticmethod
    def _add(doc: Doc, words: list[str], spaces: list[bool]) -> None:
        """Append a segment's tokens; a single space after the segment joins its last token."""
        for token in doc:
            words.append(token.text)
            spaces.append(bool(token.whitespace_))

    # spaCy reads and writes the tokenizer with the pipeline (nlp.to_disk / from_disk).
    def __getattr__(self, name):
        if name == "tokenizer":  # not set yet (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


@Language.component("quotewire_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """A token after a line break starts a sentence; the parser keeps these boundaries."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


class QuoteExtractor:
    """Quotes of a parsed Doc: quote marks + reporting frames -> records.Quote list."""

    def __init__(self, *, min_confidence: float = 0.0):
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        try:
            text = doc.text
            quotes = assemble(doc, find_quoted(text), find_frames(doc), text)
        except Exception as exc:  # one unreadable article must never stop a batch
            log.exception("quote extraction failed for a %d-token text", len(doc))
            doc._.quotewire_error = f"{type(exc).__name__}: {exc}"[:300]
            quotes = []
        doc._.quotes = [q for q in quotes if q.confidence >= self.min_confidence]
        return doc


@Language.factory("quotewire", default_config={"min_confidence": 0.0})
def make_quotewire(nlp: Language, name: str, *, min_confidence: float = 0.0) -> QuoteExtractor:
    return QuoteExtractor(min_confidence=min_confidence)
