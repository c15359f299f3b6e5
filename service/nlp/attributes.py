"""The model's attribute_ruler (tag -> POS and morphology, plus word exceptions), made cheap.

spaCy's AttributeRuler runs every pattern at every token through its Matcher; en_core_web_sm's
179 patterns, most of them `{"TAG": ..., "LOWER": {"IN": [...]}}`, cost about as much as the
parser. They test only TAG, LOWER, DEP or IS_SPACE, by value, list or regular expression, so
QuickAttributeRuler files them by the tag and word their first token may have; each token is
tested against the few filed under its own, and the tests that its tag and word decide are done
once per (tag, word), not per token. A pattern it cannot read (operators, other attributes)
goes through a Matcher. The matches, their order (later patterns win) and the attributes set are
the AttributeRuler's own, so the tokens come out the same (tests/test_attributes.py); the
patterns, serialization and scoring are inherited.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# The token attributes a quick pattern may test, in the column order of Doc.to_array. A pattern is
# filed under the (tag, lower-case word) pairs its first token may have, either of them ANY when
# that token's test of the column is not a plain list of values.
COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")
COLUMN_IDS = [TAG, LOWER, DEP, IS_SPACE]
TAG_COLUMN, LOWER_COLUMN, SPACE_COLUMN = (COLUMNS.index(name) for name in ("TAG", "LOWER", "IS_SPACE"))
FILING_COLUMNS = (TAG_COLUMN, LOWER_COLUMN)
WORD_COLUMNS = (TAG_COLUMN, LOWER_COLUMN, SPACE_COLUMN)   # what a token's tag and word decide
ANY = None
MAX_CANDIDATE_KEYS = 200_000   # (tag, word) pairs remembered; the memory stays bounded
SET_TESTS = {"IN": True, "NOT_IN": False}   # operator -> whether the value must be in the set


class Test(NamedTuple):
    """One token attribute's test: its value in (or not in) a set, or its text found by a regex."""
    column: int
    values: frozenset = frozenset()
    wanted: bool = True
    regex: re.Pattern | None = None

    def holds(self, value: int, strings) -> bool:
        if self.regex is not None:
            return self.regex.search(strings[value]) is not None
        return (value in self.values) == self.wanted


class Filed(NamedTuple):
    """A pattern as filed: its first token's tests left after filing, then each later token's."""
    attr_id: int
    first: tuple[Test, ...]
    later: tuple[tuple[Test, ...], ...]


class QuickAttributeRuler(AttributeRuler):
    """An AttributeRuler whose patterns are looked up by tag and word, not matched."""

    def __init__(self, vocab, name: str = "quotewire_attributes", **settings):
        super().__init__(vocab, name, **settings)
        self._reset()

    def _reset(self) -> None:
        self._filed: dict = {}              # (tag, lower) -> [Filed]
        self._rest = Matcher(self.vocab)    # the patterns a lookup cannot take
        self._candidates: dict = {}         # (tag, lower) of a token seen -> _patterns_for it

    def clear(self) -> None:
        super().clear()
        self._reset()

    def add(self, patterns, attrs, index: int = 0) -> None:
        attr_id = len(self.attrs)
        super().add(patterns, attrs, index)
        for pattern in patterns:
            tokens = [self._tests(token) for token in pattern]
            if not tokens or None in tokens or not -len(tokens) <= index < len(tokens) or \
                    any(t.regex is not None for t in tokens[0].values() if t.column not in WORD_COLUMNS):
                self._rest.add(str(attr_id), [pattern])
                continue
            first = tokens[0]
            keys = [self._filing_values(first, column) for column in FILING_COLUMNS]
            filed = Filed(attr_id, tuple(first.values()), tuple(tuple(t.values()) for t in tokens[1:]))
            for key in ((tag, lower) for tag in keys[0] for lower in keys[1]):
                self._filed.setdefault(key, []).append(filed)

    @staticmethod
    def _filing_values(tests: dict[int, Test], column: int) -> list:
        """The values a pattern is filed under for a column (taking that test out), or [ANY]."""
        test = tests.get(column)
        if test is None or test.regex is not None or not test.wanted:
            return [ANY]
        del tests[column]
        return list(test.values)

    def _tests(self, token: dict) -> dict[int, Test] | None:
        """{column: Test} for a token pattern of equality, set and regex tests, else None."""
        tests = {}
        for attr, value in token.items():
            attr = attr.upper() if isinstance(attr, str) else attr
            if attr not in COLUMNS:
                return None
            column = COLUMNS.index(attr)
            if not isinstance(value, dict):
                value = {"IN": [value]}
            if len(value) != 1:
                return None
            operator, values = next(iter(value.items()))
            if operator == "REGEX":
                tests[column] = Test(column, regex=re.compile(values))
            elif operator in SET_TESTS:
                tests[column] = Test(column, frozenset(map(self._value_id, values)), SET_TESTS[operator])
            else:
                return None
        return tests

    def _value_id(self, value) -> int:
        """The number Doc.to_array gives a token holding this value (a string's hash, a flag 0/1)."""
        return self.vocab.strings.add(value) if isinstance(value, str) else int(value)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """What AttributeRuler.match gives: (attr_id, match_id, start, end), sorted."""
        strings = self.vocab.strings
        matched = self._rest(doc, allow_missing=True, as_spans=False) if len(self._rest) else []
        matches = [(int(strings[key]), key, start, end) for key, start, end in matched]
        candidates = self._candidates
        if len(candidates) > MAX_CANDIDATE_KEYS:
            candidates.clear()
        rows = doc.to_array(COLUMN_IDS).tolist()
        for i, row in enumerate(rows):
            pair = (row[TAG_COLUMN], row[LOWER_COLUMN])
            if pair not in candidates:
                candidates[pair] = self._patterns_for(*pair)
            for attr_id, match_id, first, later in candidates[pair]:
                if first and not all((row[column] in values) == wanted for column, values, wanted in first):
                    continue
                end = i + 1 + len(later)
                if later and (end > len(rows) or not all(
                        _holds(rows[k], tests, strings) for k, tests in enumerate(later, i + 1))):
                    continue
                matches.append((attr_id, match_id, i, end))
        matches.sort()
        return matches

    def _patterns_for(self, tag: int, lower: int) -> list[tuple[int, int, tuple, tuple]]:
        """(attr_id, match_id, first token's other tests, later tokens' tests) of the patterns a
        token of this tag and word may start, in pattern order. The first token's tests of what
        the word decides (tag, word, is-space) are done here, once for all tokens alike."""
        found = sorted((filed for key in ((tag, lower), (tag, ANY), (ANY, lower), (ANY, ANY))
                        for filed in self._filed.get(key, ())), key=lambda filed: filed.attr_id)
        known = {TAG_COLUMN: tag, LOWER_COLUMN: lower, SPACE_COLUMN: int(self.vocab.strings[lower].isspace())}
        kept = []
        for filed in found:
            if all(t.holds(known[t.column], self.vocab.strings) for t in filed.first if t.column in known):
                others = tuple((t.column, t.values, t.wanted) for t in filed.first if t.column not in known)
                kept.append((filed.attr_id, self.vocab.strings[str(filed.attr_id)], others, filed.later))
        return kept

    def set_annotations(self, doc: Doc, matches) -> None:
        """AttributeRuler.set_annotations without a Span per match."""
        for attr_id, _, start, end in matches:
            index = self.indices[attr_id]
            position = (start if index >= 0 else end) + index
            if not start <= position < end:
                raise ValueError(f"attribute_ruler pattern {attr_id}: index {index} is outside "
                                 f"its match of {end - start} tokens")
            set_token_attrs(doc[position], self.attrs[attr_id])


def _holds(row: list[int], tests: tuple[Test, ...], strings) -> bool:
    return all(test.holds(row[test.column], strings) for test in tests)


@Language.factory("quotewire_attributes", assigns=["token.pos", "token.morph", "token.lemma"])
def make_quick_attribute_ruler(nlp: Language, name: str) -> QuickAttributeRuler:
    return QuickAttributeRuler(nlp.vocab, name)


def quicken_attribute_ruler(nlp: Language) -> None:
    """Put a QuickAttributeRuler with the model's attribute_ruler patterns in its place."""
    if "attribute_ruler" not in nlp.pipe_names or "quotewire_attributes" in nlp.component_names:
        return
    quick = nlp.add_pipe("quotewire_attributes", after="attribute_ruler")
    quick.add_patterns(nlp.get_pipe("attribute_ruler").patterns)
    nlp.disable_pipe("attribute_ruler")
