"""Small helpers on the dependency tree and on spans, used by every stage that reads the parse.

Tokens are compared by index (`.i`), never by identity: spaCy makes a new Token object on every
access, so `a is b` never holds.
"""
from __future__ import annotations

import bisect
import logging
from typing import Iterable

import numpy
from spacy.attrs import LOWER, SENT_START
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from .vocab import (ASIDE_RELATIVES, BACK_IN_TIME, BACK_IN_TIME_PREPS, DASHES, DATE_WORDS, DAY_OPENERS,
                    DAY_WORDS, FLOATING_QUANTIFIERS, INVERTED_TAIL_DEPS, PERSONAL_SUBJECT_DEPS, SINGLE_QUOTE_MARKS,
                    SOURCE_DROP_DEPS, SUBJECT_DEPS, TIME_ENTS, TRIM_CHARS, VERB_GROUP_DEPS, VERB_POS)


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets with surrounding whitespace, punctuation and quote marks removed (None if empty)."""
    while start < end and text[start] in TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in TRIM_CHARS:
        end -= 1
    return (start, end) if end > start else None


def char_span(text: str, first: Token, last: Token) -> tuple[int, int] | None:
    """Trimmed char offsets of the tokens first..last."""
    return trim(text, first.idx, last.idx + len(last.text))


def token_span(doc: Doc, start_i: int, end_i: int) -> Span | None:
    """doc[start_i:end_i] without punctuation at either end."""
    while start_i < end_i and doc[start_i].is_punct:
        start_i += 1
    while end_i > start_i and doc[end_i - 1].is_punct:
        end_i -= 1
    return doc[start_i:end_i] if end_i > start_i else None


def token_at(doc: Doc, offset: int) -> Token | None:
    """The token holding char offset (or the next one)."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def word_hashes(words: Iterable[str]) -> numpy.ndarray:
    """Sorted string hashes of words (the same in every spaCy vocab), for `positions_of`."""
    return numpy.array(sorted(hash_string(w) for w in words), dtype=numpy.uint64)


def positions_of(doc: Doc, hashes: numpy.ndarray) -> list[int]:
    """Indices of the tokens whose lower-case form is one of the hashed words: one vectorised
    lookup instead of a Python loop over every token."""
    if len(doc) == 0:
        return []
    lowers = doc.to_array([LOWER]).reshape(-1).astype(numpy.uint64)
    return numpy.flatnonzero(numpy.isin(lowers, hashes)).tolist()


def sentence_starts(doc: Doc) -> list[int]:
    """Token indices where the sentences of doc.sents start, read from one array instead of a
    Span per sentence (the first token always starts one; a parsed Doc's others hold
    sent_start 1)."""
    if len(doc) == 0:
        return []
    later = numpy.flatnonzero(doc.to_array([SENT_START]).reshape(-1)[1:] == 1) + 1
    return [0] + later.tolist()


def sentences_holding(doc: Doc, positions: list[int]) -> list[Span]:
    """The sentences (as doc.sents has them) that hold any of the token positions, in order."""
    starts = sentence_starts(doc)
    ends = starts[1:] + [len(doc)]
    picked = sorted({bisect.bisect_right(starts, i) - 1 for i in positions})
    return [doc[starts[k]:ends[k]] for k in picked]


def is_quote_mark(token: Token) -> bool:
    """A quote mark (a possessive apostrophe, "the farmers' union", is none)."""
    return token.is_quote and token.tag_ != "POS" and not is_plural_possessive(token)


def is_plural_possessive(token: Token) -> bool:
    """"the Hendersons’ farm", "Jones’ plan": a single mark glued to a word ending in -s, with a
    space and a word after it, is a possessive apostrophe, although the tagger often takes the
    curly one for a closing quote (counted as one, it put the speaker "inside a quotation")."""
    doc, i = token.doc, token.i
    if token.text not in SINGLE_QUOTE_MARKS or i == 0 or i + 1 >= len(doc):
        return False
    word, after = doc[i - 1], doc[i + 1]
    return not word.whitespace_ and word.text[-1:] in ("s", "S") and bool(token.whitespace_) \
        and after.text[:1].isalnum()


def is_boundary(token: Token) -> bool:
    """A quote mark or line break: a noun phrase does not reach across one."""
    return is_quote_mark(token) or "\n" in token.text


def after_comma(token: Token) -> bool:
    """Whether a comma stands right before the token's phrase (", adding that ...")."""
    start = token.left_edge.i
    return start > 0 and token.doc[start - 1].text == ","


def is_root(token: Token) -> bool:
    return token.head.i == token.i


def subjects(verb: Token, deps: frozenset[str] = SUBJECT_DEPS):
    """The verb's subject children, in order."""
    return (child for child in verb.children if child.dep_ in deps)


def subject(verb: Token) -> Token | None:
    """The verb's subject: the first, unless a later one before the verb is set apart from it
    (_set_apart). A dateline or a bracketed agency parsed as one ("MOSCOW, Dec 1
    (Reuters) - Lavrov said", "WASHINGTON -- President Obama, ..., said") gives way to the next
    subject, or to the name the parser hung on the dateline."""
    inverted = inverted_subject(verb)
    if inverted is not None:
        return inverted
    found = list(subjects(verb))
    kept = [child for child in found if not is_dateline(child) and not bracketed(child)]
    speaking = kept[0] if kept else None
    nearer = next((child for child in kept[1:] if child.i < verb.i), None)
    if nearer is not None and _set_apart(speaking, nearer):
        speaking = nearer   # "The Latest: Okafor urges ...", "LIMA — Mayor Ana Ruiz said"
    if speaking is not None and speaking.dep_ == "csubj":
        return _subject_of_participle(speaking) or speaking
    if not found:
        return _number_before(verb)
    if speaking is not None:
        return speaking
    return next((c for c in found[0].children if c.dep_ == "appos" and not bracketed(c)), None)


def _subject_of_participle(clause: Token) -> Token | None:
    """"Large majorities of voters going to the polls said": the parser took the participle for
    a clausal subject; its own subject before it is the verb's."""
    if clause.tag_ not in ("VBG", "VBN"):
        return None
    return next((c for c in clause.children if c.dep_ in PERSONAL_SUBJECT_DEPS and c.i < clause.i), None)


def _number_before(verb: Token) -> Token | None:
    """"About 4 in 10 say they ...": the parser hung the number phrase on the verb as a modifier."""
    return next((c for c in verb.children if c.dep_ == "nummod" and c.i < verb.i), None)


def inverted_subject(verb: Token) -> Token | None:
    """"The levy, said Okafor, will pay ...", "<clause>, said Okafor.": the later subject of an
    inverted pair (inverted_pair) speaks (on PolNeAR train the earlier was the speaker 3 times
    in 3)."""
    pair = inverted_pair(verb)
    return pair[1] if pair is not None else None


def inverted_pair(verb: Token) -> tuple[Token, Token] | None:
    """(the reported clause's subject, the speaker) when a comma opens the verb and a subject
    follows it while the parse also hung the reported clause's subject on the verb before it.
    Only punctuation, adverbs and time phrases may follow the later subject ("said Okafor on
    Monday"): a clause ("said levies -- rise") makes it that clause's subject, an object or other
    phrase ("remembers Mr. Bush, ..., as a presence": 1 on PolNeAR train) the verb's object."""
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text != ",":
        return None
    found = list(subjects(verb, PERSONAL_SUBJECT_DEPS))
    earlier = next((s for s in found if s.i < verb.i), None)
    later = next((s for s in found if s.i > verb.i), None)
    if earlier is None or later is None:
        return None
    tail = (c for c in verb.children if c.i > later.i)
    return (earlier, later) if all(_inverted_tail(c) for c in tail) else None


def _inverted_tail(child: Token) -> bool:
    """A word that may follow an inverted speaker: punctuation, an adverb, a time phrase."""
    return child.is_punct or child.dep_ in INVERTED_TAIL_DEPS or is_time(child) or \
        (child.dep_ == "prep" and any(c.dep_ == "pobj" and is_time(c) for c in child.children))


def _set_apart(first: Token, later: Token) -> bool:
    """Whether a later subject of the same verb is the one that speaks: the first is a relative
    pronoun of a clause the verb's words sit in ("whom many dockers believed was ..."), a
    label, dateline or aside punctuation sets apart ("The Latest: Okafor urges ...") other than
    the one comma of an apposition ("Malaysia's Prime Minister, Najib Razak said": one speaker),
    or a noun the later name's clause describes ("a setback Mayor Ruiz believes to be ..."); never
    a floating "both" or "all"."""
    if first.tag_ in ("WDT", "WP"):
        return True
    if later.lower_ in FLOATING_QUANTIFIERS:
        return False     # "Party figures -- whose ... -- both suggested": the figures speak
    between = first.doc[first.i + 1:later.left_edge.i]
    if len(between) == 1 and between[0].text == ",":
        return False
    if not between:
        return later.pos_ == "PROPN" and first.pos_ != "PROPN"
    return any(t.is_punct or "\n" in t.text for t in between)


def bracketed(token: Token) -> bool:
    """"(Reuters)": a word in brackets of its own."""
    doc = token.doc
    return 0 < token.i < len(doc) - 1 and doc[token.i - 1].text == "(" and doc[token.i + 1].text == ")"


DATELINE_DASHES = frozenset({"--", *DASHES})
DATELINE_AFTER = DATELINE_DASHES | {",", "("}


def is_dateline(token: Token) -> bool:
    """A place in capitals opening a paragraph, then a comma, bracket or dash: "MOSCOW, ...",
    "WASHINGTON -- ..."."""
    doc = token.doc
    opens = token.i == 0 or "\n" in doc[token.i - 1].text
    return opens and token.is_upper and len(token.text) >= 3 and token.i + 1 < len(doc) \
        and doc[token.i + 1].text in DATELINE_AFTER


def copula_of(word: Token) -> Token | None:
    """The copula before an adjective complement ("was [quick]", "are [alarmed]"), else None."""
    head = word.head
    return head if word.pos_ == "ADJ" and word.dep_ == "acomp" and head.pos_ in VERB_POS and head.i < word.i \
        else None


def agent(verb: Token) -> Token | None:
    """The object of a passive "by" phrase."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def by_object(token: Token) -> Token | None:
    """The object of a "by" phrase on an active word ("saying by phone", "saying by the Times")."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            return child_with(child, "pobj")
    return None


def verb_group(verb: Token) -> tuple[Token, Token]:
    """The first and last words of a verb's group: the auxiliaries, negation and adverbs right
    before it ("has not yet said", "also noted") and a particle right after it ("pointed out")."""
    doc, first, last = verb.doc, verb, verb
    while first.i > 0:
        before = doc[first.i - 1]
        if before.dep_ not in VERB_GROUP_DEPS or before.tag_ == "WRB" or not first.i <= before.head.i <= verb.i:
            break
        first = before
    if verb.i + 1 < len(doc) and doc[verb.i + 1].dep_ == "prt" and doc[verb.i + 1].head == verb \
            and not back_in_time(doc[verb.i + 1]):
        last = doc[verb.i + 1]
    return first, last


def negated(verb: Token) -> bool:
    """"did not say", "isn't saying", "not to comment": a negation in the verb's group, not one
    the parser hangs on it from elsewhere ("“Probably not,” Moore said", "promising to lift
    the rules ― probably not what he had in mind")."""
    first, _ = verb_group(verb)
    return any(child.dep_ == "neg" and first.i <= child.i < verb.i for child in verb.children)


def back_in_time(word: Token) -> bool:
    """"announced back in May", "back in 1998", "sang back then": a "back" opening a time phrase,
    no particle or manner of the verb before it (a place is none: "fired back in Parliament").
    PolNeAR leaves it out of the cue (on train "sang back in the 1980s", the one such cue) and
    keeps other particles and "back"s ("pointed out", "called on", "shot back": in 98 cues of 100
    that ended in one)."""
    doc = word.doc
    if word.lower_ != "back" or word.i + 1 >= len(doc):
        return False
    after = doc[word.i + 1]
    if after.lower_ in BACK_IN_TIME:
        return True
    return after.lower_ in BACK_IN_TIME_PREPS and any(
        c.dep_ == "pobj" and is_time(c) for c in after.children)


def is_time(token: Token) -> bool:
    """A date or time ("May", "Monday", "the 1980s", "1998"), not any name ("fired back in
    Parliament")."""
    return token.ent_type_ in TIME_ENTS or token.lower_ in DATE_WORDS or token.pos_ == "NUM" \
        or token.text[:1].isdigit()


def child_with(token: Token, dep: str, lower: str | None = None) -> Token | None:
    """The first child with this dependency (and this lower-case text, when given)."""
    return next((c for c in token.children if c.dep_ == dep and (lower is None or c.lower_ == lower)), None)


def phrase_extent(token: Token, drop: frozenset[str]) -> tuple[int, int]:
    """Token range [start, end) of token's subtree without the children whose dependency is in drop."""
    start_i, end_i = token.i, token.i + 1
    for child in token.children:
        if child.dep_ not in drop:
            start_i, end_i = min(start_i, child.left_edge.i), max(end_i, child.right_edge.i + 1)
    return start_i, end_i


def bare_phrase(token: Token, drop: frozenset[str], bounds: Span | None = None) -> Span:
    """token's phrase without the dropped children, inside bounds (when given)."""
    start_i, end_i = phrase_extent(token, drop)
    if bounds is not None:
        start_i, end_i = max(start_i, bounds.start), min(end_i, bounds.end)
    return token.doc[start_i:end_i]


def with_name_split_off(span: Span) -> Span:
    """"The Harbour Gazette quoted ...": the span with the capitalised words the parser split off
    its head as a clause's head ("Harbour" the root, "Gazette quoted" its relative clause)."""
    doc, first = span.doc, span[0]
    clause = span.root.head
    if span.root.dep_ != "nsubj" or clause.dep_ != "relcl" or clause.head.i != first.i - 1 \
            or clause.head.tag_ != "NNP" or not first.text[:1].isupper():
        return span
    return doc[clause.head.left_edge.i:span.end]


def noun_phrase(token: Token, drop: frozenset[str] = SOURCE_DROP_DEPS) -> Span | None:
    """The noun phrase headed by token, without the dropped children (appositives, relative
    clauses ...), not reaching across a quote mark or line break (misparsed headlines, scare
    quotes), and without punctuation at its ends."""
    start_i, end_i = phrase_extent(token, drop)
    doc = token.doc
    for i in range(token.i - 1, start_i - 1, -1):
        if is_boundary(doc[i]):
            start_i = i + 1
            break
    for i in range(token.i + 1, end_i):
        if is_boundary(doc[i]) or "relcl" in drop and _aside_relative_at(doc, i, token):
            end_i = i
            break
    while start_i < token.i and is_opened_day(doc, start_i):
        start_i += 1     # "On Monday [Smith]": the parser took the day into the name after it
    return token_span(doc, start_i, end_i)


def _aside_relative_at(doc: Doc, i: int, head: Token) -> bool:
    """Whether ", who ..." starts at i on a noun deeper in head's phrase than head: the parser
    hangs the speaker's aside on the nearest noun ("one person with knowledge of the talks, who
    spoke on condition of anonymity"), which is no part of the mention."""
    if doc[i].text != "," or i + 1 >= len(doc) or doc[i + 1].lower_ not in ASIDE_RELATIVES:
        return False
    clause = next((t for t in doc[i + 1].ancestors if t.dep_ == "relcl"), None)   # (", whose ...")
    return clause is not None and clause.head.i != head.i and head in clause.head.ancestors


def is_opened_day(words, i: int) -> bool:
    """Whether words[i] is a day after a word that makes it a time ("On Monday", "last Friday"),
    never the start of a name ("the Sunday Times" is one)."""
    return words[i].lower_ in DAY_WORDS and i > 0 and words[i - 1].lower_ in DAY_OPENERS


def odd_quotes_between(doc: Doc, left: Token, right: Token, max_distance: int) -> bool:
    """Whether an odd number of quote marks stands between two tokens: one is inside a quotation
    and the other outside (a whole quotation in between is fine). A possessive apostrophe
    ("Sanders' success") is no quote mark. Farther apart than max_distance tokens counts as
    across."""
    lo, hi = sorted((left.i, right.i))
    if hi - lo > max_distance:
        return True
    return sum(1 for i in range(lo + 1, hi) if is_quote_mark(doc[i])) % 2 == 1


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """How many characters two (start, end) spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def touches(ranges, span: tuple[int, int]) -> bool:
    """Whether `span` shares a character with any of `ranges`."""
    return any(overlap(span, other) for other in ranges)


def range_at(ranges, offset: int) -> tuple[int, int] | None:
    """The one of `ranges` (sorted, disjoint (start, end) pairs) that holds offset, or None."""
    i = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return ranges[i] if i >= 0 and ranges[i][0] <= offset < ranges[i][1] else None


def inside(ranges, start: int, end: int) -> bool:
    """Whether [start, end) lies within one of `ranges` (sorted, disjoint (start, end) pairs)."""
    i = bisect.bisect_right(ranges, (start, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= start and end <= ranges[i][1]


log = logging.getLogger("service.nlp")


def isolated(step, failed, *args):
    """step(*args), or `failed` when it raises: an error in one part of an article (a sentence,
    a quote, a speaker) costs that part only, never the article. The error is logged."""
    try:
        return step(*args)
    except Exception:  # noqa: BLE001
        log.warning("%s failed on one part of an article; that part is skipped", step.__name__, exc_info=True)
        return failed
