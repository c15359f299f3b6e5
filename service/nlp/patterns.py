"""Frame rules written as dependency-tree patterns (data/patterns.json), run with spaCy's
DependencyMatcher once per article. A pattern names the tokens a rule needs (its roles: "cue",
"source", "clause" ...); the rule's builder (rules.py) makes the frame from them and applies the
conditions a pattern cannot say."""
from __future__ import annotations

import json
from pathlib import Path

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from .lexicon import Lexicon

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
        self.rules: list[str] = []
        for entry in read_patterns(lex.data_dir):
            self.rules.append(entry["rule"])
            for k, pattern in enumerate(entry["alternatives"]):
                key = f"{entry['rule']}#{k}"
                self.matcher.add(key, [_with_lists(pattern, lex)])
                self.roles[key] = (entry["rule"], [node["RIGHT_ID"] for node in pattern])

    def __call__(self, doc: Doc) -> dict[str, dict[int, list[Roles]]]:
        """{rule: {cue token index: [roles, nearest the cue first]}}."""
        found: dict[str, dict[int, list[Roles]]] = {}
        strings = doc.vocab.strings
        for match_id, token_ids in self.matcher(doc):
            rule, names = self.roles[strings[match_id]]
            roles = {name: doc[i] for name, i in zip(names, token_ids)}
            found.setdefault(rule, {}).setdefault(roles["cue"].i, []).append(roles)
        for by_cue in found.values():
            for matches in by_cue.values():
                matches.sort(key=lambda roles: sorted(t.i for t in roles.values()))
        return found
