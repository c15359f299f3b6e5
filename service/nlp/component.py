"""The spaCy side of the engine: the "quotewire" component, which sets Doc._.quotes (a list of
records.Quote), and the two helpers it needs before the parser.

Registered like spaCy's own components (span_ruler.py): `make_quotewire` takes keyword-only
settings; the language data (lexicon.Lexicon) is the component's state, read from
service/nlp/data at construction and written and read with the pipeline (`to_disk` /
`from_disk`). The tokenizer wrapper and the paragraph component are registered too, so
`nlp.to_disk(path)` then `spacy.load(path)` gives the same pipeline.

The stages, data flowing one way (each a module of its own):
  quote marks (quotemarks.py, text only) -> frames (frames.py and the rule modules: all parse
  reading) -> assembly (assemble.py, offsets only) -> names (names.py) -> exact words (words.py)
  -> confidence (confidence.py); then transcript lines without quote marks (transcripts.py).
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .assemble import assemble
from .attributes import quicken_attribute_ruler
from .confidence import to_quote
from .frame_parts import Reading, silent_verbs
from .frames import find_frames, quote_frames, with_learned
from .learned import rules_read
from .learned_model import MODEL_DIR, AttributionModel
from .lexicon import DATA_DIR, Lexicon
from .mentions import source_as_written
from .names import resolve_speakers
from .patterns import Patterns
from .quotemarks import find_quoted, title_lines, without_headline
from .records import Quote
from .rules import REFUSED
from .transcripts import superseded, transcript_quotes
from .tree import inside, isolated, sentence_starts
from .words import exact_words

Doc.set_extension("quotes", default=None, force=True)
# Why extraction failed for this Doc (None when it did not): reported, never raised.
Doc.set_extension("quotewire_error", default=None, force=True)
log = logging.getLogger(__name__)

# spaCy's tokenizer peels prefixes and suffixes off a whitespace-free run one character at a time,
# rescanning the rest each time: quadratic on a run of quote marks or apostrophes. Runs longer than
# this are cut into pieces of this size before tokenizing (no real word is this long). A word of
# three or more quote marks alone ('"""') is one token: it quotes nothing, and a text of them would
# otherwise cost the parser a token per mark.
LONG_RUN_CHARS = 64
QUOTE_CHARS = "\"'“”„‟‘’‚‛«»‹›"
_LONG_RUN = re.compile(r"\S{%d,}|(?<!\S)[%s]{3,}(?!\S)" % (LONG_RUN_CHARS + 1, QUOTE_CHARS))
# A "sentence" longer than this many tokens (degenerate text: word lists, "a a a ...") is cut
# before the parser, whose cost and memory grow with sentence length.
MAX_SENTENCE_TOKENS = 300

# Components of the English pipeline the engine does not read: cue lemmas come from our lexicon
# and names from the parse, so the lemmatizer and NER (40% of the parse time) stay off.
UNUSED_COMPONENTS = ("lemmatizer", "ner")
TOKENIZER = "quotewire.LinearTokenizer.v1"


def prepare(nlp: Language) -> None:
    """Disable the parts of the model the engine does not use, put a quicker twin in the attribute
    ruler's place (attributes.py), wrap the tokenizer, and make every paragraph start a sentence
    (so a headline never parses as the subject of the next line's verb)."""
    for name in UNUSED_COMPONENTS:
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    quicken_attribute_ruler(nlp)
    if not isinstance(nlp.tokenizer, LinearTokenizer):
        nlp.tokenizer = LinearTokenizer(nlp.tokenizer)
        nlp._config["nlp"]["tokenizer"] = {"@tokenizers": TOKENIZER}
    if "quotewire_paragraphs" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe("quotewire_paragraphs", before=before)


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


@registry.tokenizers(TOKENIZER)
def create_linear_tokenizer():
    """The English pipeline's own tokenizer, wrapped (spacy.load of a saved pipeline)."""
    default = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp: Language) -> LinearTokenizer:
        return LinearTokenizer(default(nlp))
    return make


@Language.component("quotewire_paragraphs", assigns=["token.is_sent_start"])
def paragraph_sentences(doc: Doc) -> Doc:
    """A token after a line break starts a sentence, and so does every MAX_SENTENCE_TOKENS-th
    token of a paragraph without a sentence end; the parser keeps these boundaries."""
    since_break = 0
    for token in doc[:-1]:
        since_break += 1
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
            since_break = 0
        elif token.text in (".", "!", "?"):
            since_break = 0
        elif since_break >= MAX_SENTENCE_TOKENS:
            doc[token.i + 1].is_sent_start = True
            since_break = 0
    return doc


def read(doc: Doc, lex: Lexicon, patterns: Patterns) -> tuple[Reading, list, list]:
    """(the Reading the frame rules take, the section titles, the quoted spans outside all title
    lines). Quote marks in a headline or title hold a name, a scare quote or a clipped phrase
    ("Obama Sees 'Personal Insult'"), not a quotation; a headline's report is read like a sentence's."""
    text = doc.text
    titles = title_lines(text)
    quoted = [q for q in find_quoted(text, lex.elisions) if not inside(titles, q.open_mark, q.after)]
    reading = Reading(doc, text, lex, [(q.open_mark, q.after) for q in quoted], matches=patterns(doc),
                      silent=silent_verbs(doc, lex))
    return reading, without_headline(text, titles), quoted


def rule_frames(doc: Doc, lex: Lexicon, patterns: Patterns):
    """(Reading, section titles, quoted spans, the rules' frames, the quote rules' frames of each
    quoted span): the frames stage without the learned layer."""
    reading, sections, quoted = read(doc, lex, patterns)
    return reading, sections, quoted, find_frames(reading), quote_frames(reading, quoted)


def extract_quotes(doc: Doc, lex: Lexicon, patterns: Patterns, model: AttributionModel | None = None
                   ) -> list[Quote]:
    """The quotes of one parsed article, stage by stage (without a model, the rules' alone)."""
    return quotes_of(doc, rule_frames(doc, lex, patterns), lex, model)


def quotes_of(doc: Doc, read_by_rules: tuple, lex: Lexicon, model: AttributionModel | None) -> list[Quote]:
    """The stages after the rules' frames: the learned layer's frames, assembly, names, words,
    confidence. (Training runs the rules once per article and this for every trial.)"""
    reading, sections, quoted, frames, anchored = read_by_rules
    text = reading.text
    frames = with_learned(reading, frames, rules_read(frames, quoted, anchored), model)
    starts = [doc[i].idx for i in sentence_starts(doc)] if doc.has_annotation("SENT_START") else [0]
    drafts = assemble(text, starts, sections, quoted, frames, anchored)
    index = resolve_speakers(drafts, doc, lex)
    for draft in drafts:
        isolated(exact_words, None, draft, text)
    kept = [d for d in drafts if d.end > d.start or d.route == REFUSED.name]
    quotes = [q for q in (isolated(to_quote, None, d, text, lex) for d in kept) if q is not None]
    quotes = [isolated(source_as_written, q, lex, q, doc) for q in quotes]
    turns = isolated(transcript_quotes, [], text, index, quotes)
    quotes = [q for q in quotes if not superseded(q, turns)] + turns
    return sorted(quotes, key=lambda q: q.start)


class QuoteExtractor:
    """Quotes of a parsed Doc. Its state is the lexicon (language data files) and the learned
    layer's model (none when its directory holds none: the rules alone)."""

    def __init__(self, nlp: Language | None = None, name: str = "quotewire", *,
                 min_confidence: float = 0.0, data_dir: Path = DATA_DIR, model_dir: Path = MODEL_DIR):
        self.name = name
        self.min_confidence = min_confidence
        self.vocab = nlp.vocab if nlp is not None else Vocab()
        self._load(data_dir, model_dir)

    def _load(self, data_dir: Path, model_dir: Path) -> None:
        self.lexicon = Lexicon.from_dir(data_dir)
        self.patterns = Patterns(self.vocab, self.lexicon)
        self.model = AttributionModel.from_disk(model_dir)

    def reading(self, doc: Doc) -> Reading:
        """What the frame rules read of a parsed Doc (for running a stage on its own)."""
        return read(doc, self.lexicon, self.patterns)[0]

    def __call__(self, doc: Doc) -> Doc:
        try:
            quotes = extract_quotes(doc, self.lexicon, self.patterns, self.model)
        except Exception as exc:  # one unreadable article must never stop a batch
            log.exception("quote extraction failed for a %d-token text", len(doc))
            doc._.quotewire_error = f"{type(exc).__name__}: {exc}"[:300]
            quotes = []
        doc._.quotes = [q for q in quotes if q.confidence >= self.min_confidence]
        return doc

    def to_disk(self, path, *, exclude=()) -> None:
        path = Path(path)
        self.lexicon.to_dir(path / "data")
        if self.model is not None:
            self.model.to_disk(path / "model")
        srsly.write_json(path / "cfg.json", {"min_confidence": self.min_confidence})

    def from_disk(self, path, *, exclude=()) -> "QuoteExtractor":
        path = Path(path)
        self._load(path / "data", path / "model")
        self.min_confidence = srsly.read_json(path / "cfg.json")["min_confidence"]
        return self


@Language.factory("quotewire", assigns=["doc._.quotes", "doc._.quotewire_error"],
                  default_config={"min_confidence": 0.0})
def make_quotewire(nlp: Language, name: str, *, min_confidence: float = 0.0) -> QuoteExtractor:
    return QuoteExtractor(nlp, name, min_confidence=min_confidence)
