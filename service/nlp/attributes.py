"""The model's attribute_ruler (tag -> POS and morphology, plus word exceptions), made cheap.

spaCy's AttributeRuler runs every pattern at every token through its Matcher; en_core_web_sm's
179 patterns, most of them `{"TAG": ..., "LOWER": {"IN": [...]}}`, cost about as much as the
parser. Nearly all are one token long and test only TAG, LOWER, DEP or IS_SPACE for equality or
set membership, so QuickAttributeRuler indexes those by tag and tests each token against the few
patterns of its own tag. Any other pattern (several tokens, other attributes or operators) still
goes through a Matcher. The matches, their order (later patterns win) and the attributes set are
the AttributeRuler's own, so the tokens come out the same (tests/test_attributes.py); the
patterns, serialization and scoring are inherited.
"""
from __future__ import annotations

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# The token attributes a quick pattern may test, in the column order of Doc.to_array. A pattern is
# filed under its (tag, lower-case word) pair, either of them ANY when it does not test that column.
COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")
COLUMN_IDS = [TAG, LOWER, DEP, IS_SPACE]
TAG_COLUMN, LOWER_COLUMN = COLUMNS.index("TAG"), COLUMNS.index("LOWER")
ANY = None
MAX_CANDIDATE_KEYS = 200_000   # (tag, word) pairs remembered; the memory stays bounded
SET_TESTS = {"IN": True, "NOT_IN": False}   # operator -> whether the value must be in the set


class QuickAttributeRuler(AttributeRuler):
    """An AttributeRuler whose one-token patterns are looked up by tag and word, not matched."""

    def __init__(self, vocab, name: str = "quotewire_attributes", **settings):
        super().__init__(vocab, name, **settings)
        self._reset()

    def _reset(self) -> None:
        self._filed: dict = {}              # (tag, lower) -> [(attr_id, the other tests)]
        self._rest = Matcher(self.vocab)    # the patterns a lookup cannot take
        self._candidates: dict = {}         # (tag, lower) of a token seen -> _patterns_for it

    def clear(self) -> None:
        super().clear()
        self._reset()

    def add(self, patterns, attrs, index: int = 0) -> None:
        attr_id = len(self.attrs)
        super().add(patterns, attrs, index)
        for pattern in patterns:
            tests = self._tests(pattern, index)
            if tests is None:
                self._rest.add(str(attr_id), [pattern])
                continue
            tags, lowers = self._filing_values(tests, TAG_COLUMN), self._filing_values(tests, LOWER_COLUMN)
            for key in ((tag, lower) for tag in tags for lower in lowers):
                self._filed.setdefault(key, []).append((attr_id, tuple(tests.items())))

    @staticmethod
    def _filing_values(tests: dict, column: int) -> list:
        """The values a pattern is filed under for a column (taking that test out), or [ANY]."""
        test = tests.get(column)
        if test is None or not test[1]:
            return [ANY]
        del tests[column]
        return list(test[0])

    def _tests(self, pattern: list, index: int) -> dict[int, tuple[frozenset, bool]] | None:
        """{column: (values, whether it must hold one of them)} for a one-token pattern of
        equality and set tests, else None."""
        if len(pattern) != 1 or index not in (0, -1):
            return None
        tests = {}
        for attr, value in pattern[0].items():
            attr = attr.upper() if isinstance(attr, str) else attr
            if attr not in COLUMNS:
                return None
            if not isinstance(value, dict):
                value = {"IN": [value]}
            if len(value) != 1 or next(iter(value)) not in SET_TESTS:
                return None
            operator, values = next(iter(value.items()))
            tests[COLUMNS.index(attr)] = (frozenset(map(self._value_id, values)), SET_TESTS[operator])
        return tests

    def _value_id(self, value) -> int:
        """The number Doc.to_array gives a token holding this value (a string's hash, a flag 0/1)."""
        return self.vocab.strings.add(value) if isinstance(value, str) else int(value)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """What AttributeRuler.match gives: (attr_id, match_id, start, end), sorted."""
        keys = self.vocab.strings
        matches = [(int(keys[key]), key, start, end)
                   for key, start, end in self._rest(doc, allow_missing=True, as_spans=False)]
        candidates = self._candidates
        if len(candidates) > MAX_CANDIDATE_KEYS:
            candidates.clear()
        for i, row in enumerate(doc.to_array(COLUMN_IDS).tolist()):
            pair = (row[TAG_COLUMN], row[LOWER_COLUMN])
            if pair not in candidates:
                candidates[pair] = self._patterns_for(*pair)
            for attr_id, match_id, tests in candidates[pair]:
                if all((row[column] in values) == wanted for column, (values, wanted) in tests):
                    matches.append((attr_id, match_id, i, i + 1))
        matches.sort()
        return matches

    def _patterns_for(self, tag: int, lower: int) -> list[tuple[int, int, tuple]]:
        """(attr_id, match_id, the other tests) of the patterns a token of this tag and word may
        match, in pattern order."""
        filed = self._filed
        found = [entry for key in ((tag, lower), (tag, ANY), (ANY, lower), (ANY, ANY))
                 for entry in filed.get(key, ())]
        return [(attr_id, self.vocab.strings[str(attr_id)], tests) for attr_id, tests in sorted(found)]

    def set_annotations(self, doc: Doc, matches) -> None:
        """AttributeRuler.set_annotations without a Span per match."""
        for attr_id, _, start, end in matches:
            index = self.indices[attr_id]
            position = (start if index >= 0 else end) + index
            if not start <= position < end:
                raise ValueError(f"attribute_ruler pattern {attr_id}: index {index} is outside "
                                 f"its match of {end - start} tokens")
            set_token_attrs(doc[position], self.attrs[attr_id])


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
