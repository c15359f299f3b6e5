"""The reporting-cue lexicon: verbs, phrases and news agencies, loaded from service/nlp/data.

Everything is matched on surface forms (token.lower_), so the engine needs no lemmatizer: each
verb line in the data files lists the lemma and its inflected forms.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .records import Agency, Cue

DATA_DIR = Path(__file__).parent / "data"

SPEECH = "speech"        # say, tell, add, insist ...
BELIEF = "belief"        # believe, think, know; evidence: polls show, a study found
QUOTING = "quoting"      # quote, cite: an outlet relaying someone's words
OBJECT = "object"        # criticize, endorse, call: the direct object is the content


class Lexicon(NamedTuple):
    verb_lemmas: dict[str, str]        # surface form (lower case) -> lemma
    verb_kinds: dict[str, str]         # lemma -> SPEECH | BELIEF | QUOTING
    source_phrases: tuple[tuple[str, ...], ...]   # ("according", "to"), ...
    object_lemmas: frozenset[str]      # lemmas whose direct object may be the content
    quoted_object_lemmas: frozenset[str]  # ... only when that object holds quoted words
    clause_only_lemmas: frozenset[str]  # "continue": a to-infinitive is no content
    evidence_object_lemmas: frozenset[str]  # "show": the object is content under an evidence subject
    evidence_nouns: frozenset[str]     # "poll", "survey": subjects that report by showing
    nominal_cues: dict[str, str]       # noun form -> lemma: "claims" -> "claim" (with a that-clause)
    issuing_verbs: frozenset[str]      # "made", "issued": their subject authored the speech noun
    prep_cues: dict[str, tuple[str, frozenset[str]]]  # form -> (lemma, prepositions): "called for"
    nominal_prep_cues: dict[str, tuple[str, frozenset[str]]]  # "remarks" -> ("remark", {"on", ...})
    time_words: frozenset[str]         # "tuesday", "night": heads of when-phrases
    agency_names: dict[str, str]       # alias (lower case) -> canonical name
    agency_words: frozenset[str]       # "agency", "newswire", ...
    short_aliases: frozenset[str]      # aliases of 3 characters or fewer, as written ("AP", "dpa")
    agency_pattern: re.Pattern         # whole-word match of any known alias


def _data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _read_verbs(name: str, kind: str, lemmas: dict[str, str], kinds: dict[str, str]) -> None:
    for line in _data_lines(name):
        forms = line.lower().split()
        lemma = forms[0]
        # a lemma listed in two files keeps its first kind (speech wins over belief)
        kinds.setdefault(lemma, kind)
        for form in forms:
            lemmas.setdefault(form, lemma)


def _read_prep_cues(name: str = "prep_cues.txt") -> dict[str, tuple[str, frozenset[str]]]:
    cues: dict[str, tuple[str, frozenset[str]]] = {}
    for line in _data_lines(name):
        words, _, preps = line.lower().partition("|")
        forms = words.split()
        for form in forms:
            lemma, known = cues.get(form, (forms[0], frozenset()))
            cues[form] = (lemma, known | frozenset(preps.split()))
    return cues


def _read_agencies() -> dict[str, str]:
    names: dict[str, str] = {}
    for line in _data_lines("agencies.txt"):
        parts = [part.strip() for part in line.split("|") if part.strip()]
        for alias in parts:
            names.setdefault(alias.lower(), parts[0])
    return names


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    lemmas: dict[str, str] = {}
    kinds: dict[str, str] = {}
    # quoting verbs first: "quoted" is a quoting cue before it is anything else
    _read_verbs("quoting_verbs.txt", QUOTING, lemmas, kinds)
    _read_verbs("reporting_verbs.txt", SPEECH, lemmas, kinds)
    _read_verbs("belief_verbs.txt", BELIEF, lemmas, kinds)
    object_kinds: dict[str, str] = {}
    _read_verbs("object_verbs.txt", OBJECT, lemmas, object_kinds)
    quoted_object_kinds: dict[str, str] = {}
    _read_verbs("quoted_object_verbs.txt", OBJECT, lemmas, quoted_object_kinds)
    evidence_kinds: dict[str, str] = {}
    _read_verbs("evidence_object_verbs.txt", OBJECT, lemmas, evidence_kinds)
    for lemma, kind in (object_kinds | quoted_object_kinds | evidence_kinds).items():
        kinds.setdefault(lemma, kind)
    agencies = _read_agencies()
    # longest aliases first, so "Xinhua News Agency" wins over "Xinhua"
    aliases = sorted(agencies, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in aliases) + r")(?!\w)",
                         re.IGNORECASE)
    return Lexicon(
        verb_lemmas=lemmas,
        verb_kinds=kinds,
        object_lemmas=frozenset(object_kinds),
        quoted_object_lemmas=frozenset(quoted_object_kinds),
        clause_only_lemmas=frozenset(line.lower() for line in _data_lines("clause_only_verbs.txt")),
        evidence_object_lemmas=frozenset(evidence_kinds),
        evidence_nouns=frozenset(line.lower() for line in _data_lines("evidence_nouns.txt")),
        nominal_cues={form: line.lower().split()[0] for line in _data_lines("nominal_cues.txt")
                      for form in line.lower().split()},
        issuing_verbs=frozenset(line.lower() for line in _data_lines("issuing_verbs.txt")),
        prep_cues=_read_prep_cues(),
        nominal_prep_cues=_read_prep_cues("nominal_prep_cues.txt"),
        time_words=frozenset(line.lower() for line in _data_lines("time_words.txt")),
        source_phrases=tuple(tuple(line.lower().split()) for line in _data_lines("reporting_phrases.txt")),
        agency_names=agencies,
        agency_words=frozenset(line.lower() for line in _data_lines("agency_words.txt")),
        agency_pattern=pattern,
        short_aliases=frozenset(alias for line in _data_lines("agencies.txt")
                                for alias in (part.strip() for part in line.split("|")) if len(alias) <= 3),
    )


def load_data() -> None:
    """Read every cue data file now rather than on the first article (a missing file fails here)."""
    lexicon()


def verb_lemma(word: str) -> str | None:
    """The lemma of a reporting/belief/quoting verb form ("said" -> "say"), or None."""
    return lexicon().verb_lemmas.get(word.lower())


def verb_kind(lemma: str | None) -> str | None:
    return lexicon().verb_kinds.get(lemma) if lemma else None


def cue_record(text: str, start_char: int, end_char: int, lemma: str) -> Cue:
    """A Cue over text[start_char:end_char] ("said", "was quoted as saying", "according to").
    Takes the doc's text, not the Doc: Doc.text rebuilds the string on every access."""
    return Cue(text=text[start_char:end_char], lemma=lemma, start=start_char, end=end_char)


def known_agency(text: str) -> tuple[str, int, int] | None:
    """(canonical name, start, end) of the first known agency alias within text, or None.
    Short aliases ("AP", "dpa") must match exactly as written, so that "ap" is no agency."""
    for match in lexicon().agency_pattern.finditer(text):
        found = match.group(0)
        if len(found) <= 3 and found not in lexicon().short_aliases:
            continue
        return lexicon().agency_names[found.lower()], match.start(), match.end()
    return None


def agency_name_from_words(words: list[str]) -> str | None:
    """The name part of an agency phrase recognised by pattern: the capitalised words before the
    agency word ("Interfax news agency" -> "Interfax", "the state-run Xyz news agency" -> "Xyz").
    None when the phrase has no agency word or no capitalised name."""
    lowered = [w.lower() for w in words]
    agency_at = next((i for i, w in enumerate(lowered) if w in lexicon().agency_words), None)
    if agency_at is None:
        return None
    name_end = agency_at
    if name_end > 0 and lowered[name_end - 1] in ("news", "press", "information", "state"):
        name_end -= 1
    name_start = name_end
    while name_start > 0 and words[name_start - 1][:1].isupper():
        name_start -= 1
    name = " ".join(words[name_start:name_end])
    if name:
        return name
    # "the agency Xyz": the name follows the agency word
    tail = []
    for w in words[agency_at + 1:]:
        if not w[:1].isupper():
            break
        tail.append(w)
    return " ".join(tail) or None


def agency_record(doc_text: str, start_char: int, end_char: int) -> Agency | None:
    """An Agency for the phrase doc_text[start_char:end_char] if it names one (known or by
    pattern), else None."""
    text = doc_text[start_char:end_char]
    known = known_agency(text)
    if known is not None:
        return Agency(name=known[0], text=text, start=start_char, end=end_char)
    name = agency_name_from_words(re.findall(r"[\w'’.-]+", text))
    if name is None:
        return None
    return Agency(name=name, text=text, start=start_char, end=end_char)
