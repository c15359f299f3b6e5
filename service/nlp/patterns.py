"""Frame rules written as dependency-tree patterns (data/patterns.json), run with spaCy's
DependencyMatcher once per article. A pattern names the tokens a rule needs (its roles: "cue",
"source", "clause" ...); the rule's builder (rules.py) makes the frame from them and applies the
conditions a pattern cannot say."""
from __future__ import annotations

import json
from pathlib import Path

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .lexicon import Lexicon
from .tree import positions_of, sentences_holding, word_hashes

PATTERN_FILE = "patterns.json"
Roles = dict[str, Token]


def read_patterns(data_dir: Path) -> list[dict]:
    return json.loads((Path(data_dir) / PATTERN_FILE).read_text(encoding="utf-8"))["patterns"]


def _with_lists(value, lex: Lexicon):
    """The pattern with every "@name" IN list replaced by that lexicon word list."""
    if isinstance(value, dict):
        return {k: (sorted(lex.pattern_list(v[1:])) if k == "IN" and isinstance(v, str) else _with_lists(v, lex))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_with_lists(v, lex) for v in value]
    return value


class Patterns:
    """The compiled patterns of one vocab and lexicon."""

    def __init__(self, vocab: Vocab, lex: Lexicon):
        self.matcher = DependencyMatcher(vocab)
        self.roles: dict[str, tuple[str, list[str]]] = {}   # matcher key -> (rule, role names)
        anchors: set[str] = set()
        for entry in read_patterns(lex.data_dir):
            for k, pattern in enumerate(entry["alternatives"]):
                pattern = _with_lists(pattern, lex)
                key = f"{entry['rule']}#{k}"
                self.matcher.add(key, [pattern])
                self.roles[key] = (entry["rule"], [node["RIGHT_ID"] for node in pattern])
                anchors |= _anchor_words(pattern[0])
        self.anchor_hashes = word_hashes(anchors)

    def __call__(self, doc: Doc) -> dict[str, dict[int, list[Roles]]]:
        """{rule: {cue token index: [roles, first in token order first]}}. The matcher runs on the
        sentences that hold an anchor word only: its cost grows with the tokens it reads."""
        found: dict[str, dict[int, list[Roles]]] = {}
        strings = doc.vocab.strings
        for sentence, sentence_doc in sentence_docs(doc, self._sentences_with_anchors(doc)):
            for match_id, token_ids in self.matcher(sentence_doc):
                rule, names = self.roles[strings[match_id]]
                roles = {name: doc[sentence.start + i] for name, i in zip(names, token_ids)}
                found.setdefault(rule, {}).setdefault(roles["cue"].i, []).append(roles)
        for by_cue in found.values():
            for matches in by_cue.values():
                matches.sort(key=lambda roles: sorted(t.i for t in roles.values()))
        return found

    def _sentences_with_anchors(self, doc: Doc) -> list[Span]:
        hits = positions_of(doc, self.anchor_hashes)
        if not hits:
            return []
        if not doc.has_annotation("SENT_START"):
            return [doc[:]]
        return sentences_holding(doc, hits)


def sentence_docs(doc: Doc, sentences: list[Span]) -> list[tuple[Span, Doc]]:
    """(sentence, the sentence as a Doc of its own), what the DependencyMatcher makes of a Span,
    but from one copy of the article's token arrays: Span.as_doc copies the whole article's
    arrays for every sentence unless it is given them."""
    if not sentences:
        return []
    if len(sentences) == 1 and len(sentences[0]) == len(doc):
        return [(sentences[0], doc)]
    attrs = doc._get_array_attrs()
    array = doc.to_array(attrs)
    return [(s, s.as_doc(copy_user_data=True, array_head=attrs, array=array)) for s in sentences]


def _anchor_words(node: dict) -> set[str]:
    """The words a pattern's anchor ("cue") can be: its LOWER value or list (every anchor has one,
    so that the matcher reads only the sentences that hold one)."""
    lower = node["RIGHT_ATTRS"].get("LOWER")
    if node.get("RIGHT_ID") != "cue" or lower is None:
        raise ValueError(f"a pattern's first node must be its 'cue' with a LOWER value or list: {node}")
    return set(lower["IN"]) if isinstance(lower, dict) else {lower}
