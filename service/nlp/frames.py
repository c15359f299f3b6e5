"""Reporting frames: every reporting event in a parsed Doc, read off the dependency parse.

A frame is one cue ("said", "told", "was quoted as saying", "according to", "believes") with what
hangs on it: the source (who), the content (what, as char offsets), the agency the words were
relayed through and the addressee they were said to. Assembling frames and quoted spans into
quotes is assemble.py's job, not this module's.

Uses only the tagger and parser (no lemmatizer, no NER): cue lemmas come from the lexicon.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

import numpy
from spacy.attrs import LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from . import cues
from .records import Addressee, Agency, Cue

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
CLAUSE_DEPS = ("ccomp", "xcomp")               # the reported content, in order of preference
INHERIT_SUBJECT_DEPS = frozenset({"advcl", "xcomp", "conj"})   # "..., adding that": subject of the head
NOUN_MODIFIER_CLAUSE_DEPS = frozenset({"relcl", "acl"})        # "Putin, who said ...": the noun is the source
MAX_SOURCE_DISTANCE = 60   # tokens between an inherited subject and its cue
SOURCE_DROP_DEPS = frozenset({"appos", "relcl", "acl", "punct", "advmod", "parataxis", "case"})
DOUBLE_QUOTE_MARKS = ('"', "“", "”", "«", "»", "''", "``")
OBJECT_CONTENT_DEPS = frozenset({"dobj", "oprd"})
# what was said about the object runs on into these: "accused X of lying", "described X as Y"
OBJECT_CONTENT_PREPS = frozenset({"as", "of", "for"})
# "a poll shows Trump with a lead / within two points / ahead by four"
EVIDENCE_CONTENT_PREPS = OBJECT_CONTENT_PREPS | frozenset({"with", "within", "by", "at", "in", "ahead", "behind"})
SENTENCE_END_MARKS = frozenset({".", "?", "!"})
CONTENT_MARKS = frozenset({"that", "if", "whether"})
RELATIVE_SUBJECTS = frozenset({"who", "that", "which"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "what"})
RELAY_LEMMAS = frozenset({"report", "quote", "cite"})   # "X said, Itar-Tass reported"
ADDRESSEE_DEPS = frozenset({"dobj", "dative", "iobj"})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
ADDRESSEE_LEMMAS = frozenset({"tell", "inform", "assure", "reassure", "remind", "notify", "advise",
                              "warn", "email"})
# Belief/evidence verbs only count with a content clause ("polls show that ..."); speech verbs
# count without one too, since their words may stand in quote marks or after a colon.
TRIM_CHARS = frozenset(" \t\r\n.,;:!?\"'“”‘’«»„‟‹›—–-…")


class Frame(NamedTuple):
    cue: Cue
    cue_token: Token
    source: Span | None
    content: tuple[int, int] | None
    agency: Agency | None
    addressee: Addressee | None


_TEXT_KEY = "quotewire.frames.text"


def _text(doc: Doc) -> str:
    """The doc's text, read once per find_frames (Doc.text joins all tokens on every access)."""
    text = doc.user_data.get(_TEXT_KEY)
    return text if text is not None else doc.text


# --- small helpers on spans ----------------------------------------------------------------

def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets with surrounding whitespace, punctuation and quote marks removed (None if empty)."""
    while start < end and text[start] in TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in TRIM_CHARS:
        end -= 1
    return (start, end) if end > start else None


def _char_span(doc: Doc, first: Token, last: Token) -> tuple[int, int] | None:
    return _trim(_text(doc), first.idx, last.idx + len(last.text))


def _token_span(doc: Doc, start_i: int, end_i: int) -> Span | None:
    """doc[start_i:end_i] without punctuation at either end."""
    while start_i < end_i and doc[start_i].is_punct:
        start_i += 1
    while end_i > start_i and doc[end_i - 1].is_punct:
        end_i -= 1
    return doc[start_i:end_i] if end_i > start_i else None


def _is_boundary(token: Token) -> bool:
    """A quote mark or line break: a noun phrase does not reach across one (a possessive
    apostrophe, "the farmers' union", is no quote mark)."""
    return (token.is_quote and token.tag_ != "POS") or "\n" in token.text


def _phrase(token: Token, drop_deps: frozenset[str] = SOURCE_DROP_DEPS) -> Span | None:
    """The noun phrase headed by token, without appositives, relative clauses and the like, and
    not reaching across a quote mark or line break (misparsed headlines, scare quotes)."""
    start_i, end_i = token.i, token.i + 1
    for child in token.children:
        if child.dep_ in drop_deps:
            continue
        start_i = min(start_i, child.left_edge.i)
        end_i = max(end_i, child.right_edge.i + 1)
    doc = token.doc
    for i in range(token.i - 1, start_i - 1, -1):
        if _is_boundary(doc[i]):
            start_i = i + 1
            break
    for i in range(token.i + 1, end_i):
        if _is_boundary(doc[i]):
            end_i = i
            break
    return _token_span(doc, start_i, end_i)


def _can_speak(token: Token | None) -> bool:
    """A speaker mention is a noun phrase: its head is a noun, name, pronoun or number (a verb or
    adjective head is a misparse)."""
    return token is not None and token.pos_ in NOMINAL_POS


def _source_phrase(token: Token) -> Span | None:
    """The speaker mention: a name in apposition wins over a description ("Russia's deputy foreign
    minister, Mikhail Bogdanov" -> "Mikhail Bogdanov"; "Afaq Ahmad, an opposition figure" ->
    "Afaq Ahmad")."""
    if token.pos_ != "PROPN":
        for child in token.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return _phrase(child)
    return _phrase(token)


def _trailing_aside(doc: Doc, clause: Token) -> Token | None:
    """", echoing a memo from ..." at the end of a reported clause: a participle after a comma
    that tells what the speaker did, not what was said."""
    for child in clause.children:
        if child.dep_ == "advcl" and child.tag_ == "VBG" and child.i > clause.i \
                and child.left_edge.i > 0 and doc[child.left_edge.i - 1].text == ",":
            return child
    return None


def _speaker_goes_on(clause: Token, conj: Token, cue: Token) -> bool:
    """Whether a verb coordinated with a reported clause is the speaker's next act, not more of
    what was said: "said [he makes $41,000] and questioned ...", "said [X], and he railed ..."."""
    subject = _subject(conj)
    if subject is None:
        # no subject of its own: the speaker's when its tense is the cue's, not the clause's
        tag = next((c.tag_ for c in conj.children if c.dep_ == "aux"), conj.tag_)
        return tag == cue.tag_ and conj.tag_ != clause.tag_
    speaker = _subject(cue)
    return speaker is not None and subject.lower_ == speaker.lower_


def _speakers_next_act(clause: Token, cue: Token) -> Token | None:
    for conj in clause.children:
        if conj.dep_ == "conj" and conj.pos_ in ("VERB", "AUX") and conj.i > clause.i \
                and _speaker_goes_on(clause, conj, cue):
            return conj
    return None


def _clause_span(doc: Doc, clause: Token, cue: Token) -> tuple[int, int] | None:
    """Char offsets of a content clause, kept on its own side of the cue, without a participle
    aside or the speaker's next act at its end."""
    first, last = clause.left_edge, clause.right_edge
    conj = _speakers_next_act(clause, cue) if clause.dep_ == "ccomp" and clause.i > cue.i else None
    if conj is not None:
        end = conj.left_edge.i - 1
        while end > clause.i and doc[end].dep_ in ("cc", "punct"):
            end -= 1
        last = doc[end]
    aside = _trailing_aside(doc, clause) if clause.i > cue.i else None
    if aside is not None and aside.right_edge.i >= last.i:
        last = doc[aside.left_edge.i - 2]
    if first.i <= cue.i <= last.i:
        if clause.i < cue.i:
            last = doc[cue.left_edge.i - 1] if cue.left_edge.i > first.i else clause
        else:
            first = doc[cue.right_edge.i + 1] if cue.right_edge.i < last.i else clause
    return _char_span(doc, first, last)


def _span_without(doc: Doc, outer: Token, inner_first: Token, inner_last: Token) -> tuple[int, int] | None:
    """outer's subtree minus a piece at its start or end (the attribution inside a sentence)."""
    first, last = outer.left_edge, outer.right_edge
    # a piece in the middle ("<content>, X said, quoted by ...") leaves the longer side
    before, after = inner_first.i - first.i, last.i - inner_last.i
    if before <= 0 or (after > 0 and after >= before):
        first = doc[min(inner_last.i + 1, last.i)]
    else:
        last = doc[max(inner_first.i - 1, first.i)]
    return _char_span(doc, first, last)


# --- the parts of a frame ------------------------------------------------------------------

def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    return None


def _agent(verb: Token) -> Token | None:
    """The object of a passive "by" phrase."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _source_token(verb: Token) -> Token | None:
    """Who speaks: the active subject; a passive speech verb's "by" agent (the passive subject of
    "was told" is the hearer); for a subjectless verb the subject of the verb it hangs on
    ("..., adding that ..."), or the noun it modifies ("Putin, who said ...")."""
    current = verb
    for _ in range(6):  # a short walk up the tree, never a loop over the sentence
        subject = _subject(current)
        if subject is not None:
            if subject.dep_ == "nsubjpass":
                return _agent(current)
            if subject.lower_ in RELATIVE_SUBJECTS:
                # "Putin, who said ...": the pronoun is the mention (names.resolve names it)
                return subject if current.dep_ in NOUN_MODIFIER_CLAUSE_DEPS else None
            return subject
        if current.dep_ in NOUN_MODIFIER_CLAUSE_DEPS and current.head.pos_ in NOMINAL_POS:
            return current.head
        if current.dep_ == "pcomp" and current.head.lower_ == "by" and current.head.head.i != current.head.i:
            current = current.head.head   # "X started ... by agreeing that ...": X agreed
            continue
        if current.dep_ not in INHERIT_SUBJECT_DEPS or current.head.i == current.i:
            return None
        clause = current.head
        if current.dep_ == "conj" and clause.dep_ == "ccomp" and clause.head.i != clause.i \
                and getattr(_speakers_next_act(clause, clause.head), "i", None) == current.i:
            current = clause.head   # "said X and questioned Y": the sayer questioned
            continue
        current = clause
    return None


def _across_quote_boundary(doc: Doc, left: Token, right: Token) -> bool:
    """Whether an odd number of quote marks stands between two tokens: one is inside a quotation
    and the other outside (a whole quotation in between is fine). Scan capped at
    MAX_SOURCE_DISTANCE tokens: farther than that counts as across."""
    lo, hi = sorted((left.i, right.i))
    if hi - lo > MAX_SOURCE_DISTANCE:
        return True
    return sum(1 for i in range(lo + 1, hi) if doc[i].is_quote) % 2 == 1


def _name_before(doc: Doc, verb: Token) -> Token | None:
    """The nominal just before the cue, for misparsed '"…," Ramos, 58, told AFP' and '"…," Bozell
    answers': skips commas and ages, stops at a quote mark."""
    for i in range(verb.i - 1, max(-1, verb.i - 6), -1):
        token = doc[i]
        if token.is_quote:
            return None
        if token.is_punct or token.pos_ == "NUM":
            continue
        return token if token.pos_ in ("PROPN", "NOUN", "PRON") else None
    return None


def _speaker_token(doc: Doc, verb: Token) -> Token | None:
    """The source token, unless the parse took it from inside a quotation the cue is outside of
    (words inside a quotation do not speak it); then the name right before the cue, if any."""
    source = _source_token(verb)
    if source is not None and source.i < verb.i and _across_quote_boundary(doc, source, verb):
        source = None
    return source if source is not None else _name_before(doc, verb)


def _content(doc: Doc, verb: Token, skip: Token | None = None,
             finite_only: bool = False) -> tuple[int, int] | None:
    """The reported clause: a ccomp/xcomp child (other than skip; no xcomp if finite_only), or
    for "X is bad, he said" (parataxis) the clause the cue interrupts."""
    for dep in CLAUSE_DEPS[:1] if finite_only else CLAUSE_DEPS:
        clauses = [child for child in verb.children if child.dep_ == dep and child is not skip]
        if clauses:
            # "Ms. Khan said [Mr. Trump was ignorant]" with a quotation before it misparsed as a
            # second ccomp: the clause after the verb wins
            after = [c for c in clauses if c.i > verb.i]
            return _clause_span(doc, after[0] if after and len(clauses) > 1 else clauses[0], verb)
    if verb.dep_ == "parataxis" and verb.head.i != verb.i:
        return _span_without(doc, verb.head, verb.left_edge, verb.right_edge)
    for child in verb.children:
        # "asked if he was bullied", "noting that he had trailed" parsed as an adverbial clause
        if child.dep_ == "advcl" and child.i > verb.i and any(
                mark.dep_ == "mark" and mark.lower_ in CONTENT_MARKS for mark in child.children):
            return _clause_span(doc, child, verb)
    return None


def _is_as_clause(verb: Token) -> bool:
    """"As Comey noted, <content>": the clause the cue opens. After its clause ("..., as he
    replied") the "as" is mostly temporal."""
    return verb.dep_ == "advcl" and verb.i < verb.head.i and any(
        child.dep_ == "mark" and child.lower_ == "as" and child.i < verb.i for child in verb.children)


def _object_content(doc: Doc, verb: Token,
                    preps: frozenset[str] = OBJECT_CONTENT_PREPS) -> tuple[int, int] | None:
    """The direct object as content ("criticized the decision"; "called the pact 'insanity'":
    object and predicate together)."""
    first = last = None
    for child in verb.children:
        if child.dep_ in OBJECT_CONTENT_DEPS:
            if child.lower_ in RELATIVE_PRONOUNS:
                return None   # "whom he attacked": the object is in another clause
            if first is None or child.left_edge.i < first.i:
                first = child.left_edge
            if last is None or child.right_edge.i > last.i:
                last = child.right_edge
    if first is None:
        return None
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in preps and child.i > last.i:
            last = child.right_edge
    return _char_span(doc, first, last)


def _passive_object_content(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """"Her death was confirmed by the Eagle Forum": the passive subject is what was said, when
    the passive names who said it ("no injuries were reported" reports no one's words)."""
    subject = _subject(verb)
    if subject is None or subject.dep_ != "nsubjpass" or subject.lower_ in RELATIVE_PRONOUNS \
            or _agent(verb) is None:
        return None
    span = _phrase(subject)
    return _trim(_text(doc), span.start_char, span.end_char) if span is not None else None


def _has_object_predicate(verb: Token) -> bool:
    """"called him divisive", "labeled the plan a disaster": an object and what it was called."""
    deps = {child.dep_ for child in verb.children}
    return "dobj" in deps and "oprd" in deps and verb.dep_ not in NOUN_MODIFIER_CLAUSE_DEPS


def _holds_quoted_words(text: str) -> bool:
    """Whether text has words in double quote marks (its ends may be trimmed: one mark will do)."""
    return any(mark in text for mark in DOUBLE_QUOTE_MARKS)


def _prep_content(doc: Doc, token: Token, preps: frozenset[str]) -> tuple[Token, tuple[int, int]] | None:
    """(the preposition, the offsets of its object) for "called for a ceasefire"."""
    for child in token.children:
        # right after the cue: "called for X", not "called X on Monday"
        if child.dep_ == "prep" and child.lower_ in preps and child.i == token.i + 1:
            for grandchild in child.children:
                if grandchild.dep_ in ("pobj", "pcomp"):
                    last = grandchild.right_edge
                    # "called on Howard Dean to apologize": the demand runs on to the infinitive
                    for clause in token.children:
                        if clause.dep_ == "xcomp" and clause.i > last.i:
                            last = clause.right_edge
                    # a parse running on into the next sentence ("referring to Cruz. "…"") stops
                    last = next((doc[i - 1] for i in range(grandchild.i + 1, last.i + 1)
                                 if doc[i].text in SENTENCE_END_MARKS), last)
                    span = _char_span(doc, grandchild.left_edge, last)
                    return (child, span) if span is not None else None
    return None


def _addressee(doc: Doc, verb: Token, lemma: str, content: tuple[int, int] | None) -> Addressee | None:
    """Whom it was said to: "told CNN", "told Russia's official gazette, Rossiiskaya Gazeta"."""
    if lemma not in ADDRESSEE_LEMMAS:
        return None
    for child in verb.children:
        if child.dep_ in ADDRESSEE_DEPS and child.pos_ in NOMINAL_POS:
            span = _phrase(child, drop_deps=frozenset({"relcl", "acl", "punct", "ccomp"}))
            if span is None:
                return None
            end_char = span.end_char
            if content is not None and span.start_char < content[0] < end_char:
                end_char = content[0]
            trimmed = _trim(_text(doc), span.start_char, end_char)
            if trimmed is None:
                return None
            return Addressee(text=_text(doc)[trimmed[0]:trimmed[1]], start=trimmed[0], end=trimmed[1])
    return None


def _agency_of_phrase(doc: Doc, span: Span | None, require_pattern: bool) -> Agency | None:
    """An Agency for a phrase: known or recognised by pattern; when the construction itself says
    it is an outlet ("quoted by the Daily Planet"), any phrase will do."""
    if span is None:
        return None
    agency = cues.agency_record(_text(doc), span.start_char, span.end_char)
    if agency is None and not require_pattern:
        name = span.text[4:] if span.text.lower().startswith("the ") else span.text
        agency = Agency(name=name, text=span.text, start=span.start_char, end=span.end_char)
    return agency


def _relayed_by(doc: Doc, verb: Token, absorbed: set[int]) -> Agency | None:
    """"..., X said, quoted by RIA Novosti" / "X said, according to Interfax" / "X said, Itar-Tass
    reported": an agency hanging on the speech verb, its subject or its content clause. A relaying
    "reported" becomes part of this frame (absorbed), not a frame of its own."""
    head = verb.head
    if verb.dep_ in ("parataxis", "ccomp") and head.i > verb.i and \
            cues.verb_lemma(head.lower_) in RELAY_LEMMAS and _subject(head) is not None:
        agency = _agency_of_phrase(doc, _phrase(_subject(head)), require_pattern=True)
        if agency is not None:
            absorbed.add(head.i)
            return agency
    subject = _subject(verb)
    candidates = list(verb.children) + (list(subject.children) if subject is not None else [])
    if verb.dep_ == "parataxis":  # "<content>, X said, quoted by ...": the agency hangs on the content
        candidates += [c for c in head.children if c.i > verb.i]
    for child in verb.children:   # "X said <content>, according to Interfax"
        if child.dep_ == "ccomp":
            candidates += [c for c in child.children if c.lower_ == "according"]
    for child in candidates:
        if cues.verb_kind(cues.verb_lemma(child.lower_)) == cues.QUOTING and _subject(child) is None:
            agent = _agent(child)
            if agent is not None:
                return _agency_of_phrase(doc, _phrase(agent), require_pattern=False)
        if child.lower_ == "according":
            source = _according_source(child)
            if source is not None:
                agency = _agency_of_phrase(doc, _phrase(source), require_pattern=True)
                if agency is not None:
                    return agency
    return None


def _according_source(token: Token) -> Token | None:
    """The object of "according to X" (token is "according")."""
    for child in token.children:
        if child.dep_ == "prep":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
        if child.dep_ == "pobj":
            return child
    return None


# --- frames --------------------------------------------------------------------------------

def _verb_cue(doc: Doc, verb: Token, lemma: str) -> Cue:
    """The cue's text: the verb, with a particle ("pointed out") or, for "was quoted as saying",
    the whole contiguous phrase."""
    start, end = verb.idx, verb.idx + len(verb.text)
    for child in verb.children:
        if child.dep_ == "prt" and child.i == verb.i + 1:
            end = child.idx + len(child.text)
        if child.dep_ == "auxpass" and child.i == verb.i - 1 and lemma == "quote":
            start = child.idx
    return cues.cue_record(_text(doc), start, end, lemma)


def _saying_child(verb: Token) -> Token | None:
    """The "saying" of "quoted X (as) saying"."""
    for child in verb.children:
        if child.dep_ in ("xcomp", "advcl", "ccomp", "conj", "dobj", "pcomp", "prep") and \
                cues.verb_kind(cues.verb_lemma(child.lower_)) == cues.SPEECH:
            return child
        if child.dep_ == "prep" and child.lower_ == "as":
            for grandchild in child.children:
                if cues.verb_kind(cues.verb_lemma(grandchild.lower_)) == cues.SPEECH:
                    return grandchild
    return None


def _quoting_frame(doc: Doc, verb: Token, absorbed: set[int]) -> Frame | None:
    """"Interfax news agency quoted Bogdanov (as) saying ...", "Bogdanov was quoted (by Interfax)
    as saying ...", "Reuters cited officials as saying ..."."""
    subject = _subject(verb)
    saying = _saying_child(verb)
    if saying is not None:
        absorbed.add(saying.i)
    content = _content(doc, verb, skip=saying) or (_content(doc, saying) if saying is not None else None)
    if subject is not None and subject.dep_ == "nsubjpass":
        source = _source_phrase(subject)
        agent = _agent(verb)
        agency = _agency_of_phrase(doc, _phrase(agent), require_pattern=False) if agent is not None else None
        start, end = verb.idx, verb.idx + len(verb.text)
        for child in verb.children:
            if child.dep_ == "auxpass" and child.i < verb.i:
                start = min(start, child.idx)
        if saying is not None and saying.i > verb.i and agent is None:
            end = saying.idx + len(saying.text)
        cue = cues.cue_record(_text(doc), start, end, "quote")
        return Frame(cue, verb, source, content, agency, None)
    if subject is None or saying is None:
        # "quoted by RIA Novosti": part of another frame (see _relayed_by); "he cited the poll":
        # an ordinary object verb
        return None
    speaker = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if speaker is None and saying is not None:
        speaker = _subject(saying)   # parsed as "quoted [Bogdanov saying]"
    if speaker is None:
        return None
    agency = _agency_of_phrase(doc, _phrase(subject), require_pattern=False)
    cue = cues.cue_record(_text(doc), verb.idx, verb.idx + len(verb.text), cues.verb_lemma(verb.lower_))
    return Frame(cue, verb, _source_phrase(speaker), content, agency, None)


def wanted_speaker(verb: Token) -> Token | None:
    """"pushing leaders to admit ...", "forced him to say ...": the object whose words another
    verb asks for. Such words are wanted, not yet said: the frame stays (news attribution counts
    it), with the object as its speaker and a lower confidence (assemble.confidence). When the
    verb asking is itself speech ("urged supporters to ask ...") its subject keeps the words."""
    if verb.dep_ != "xcomp" or verb.head.i == verb.i:
        return None
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    controller = verb.head
    if cues.verb_kind(cues.verb_lemma(controller.lower_)) in (cues.QUOTING, cues.SPEECH):
        return None
    return next((c for c in controller.children if c.dep_ in ("dobj", "dative") and c.i < verb.i
                 and c.pos_ in NOMINAL_POS), None)


def _speech_frame(doc: Doc, verb: Token, lemma: str | None, kind: str | None,
                  absorbed: set[int]) -> Frame | None:
    """A verb's frame. Content by preference: a clause ("said that ..."); the direct object of a
    communication verb ("denied the report"); a prepositional object ("called for a ceasefire")."""
    if kind == cues.BELIEF and verb.dep_ == "xcomp":
        return None  # "Moscow wants to show it has weight": an aim, not a report
    content = None
    if kind in (cues.SPEECH, cues.BELIEF):
        content = _content(doc, verb, finite_only=lemma in cues.lexicon().clause_only_lemmas)
    if content is None and kind == cues.SPEECH and lemma not in cues.lexicon().clause_only_lemmas \
            and _is_as_clause(verb):
        content = _span_without(doc, verb.head, verb.left_edge, verb.right_edge)
    cue = _verb_cue(doc, verb, lemma) if lemma else None
    if content is None and lemma in cues.lexicon().object_lemmas:
        content = _object_content(doc, verb) or _passive_object_content(doc, verb)
    if content is None and lemma in cues.lexicon().evidence_object_lemmas:
        source_token = _speaker_token(doc, verb)
        if source_token is not None and source_token.lower_ in cues.lexicon().evidence_nouns:
            content = _object_content(doc, verb, EVIDENCE_CONTENT_PREPS)
    if content is None and lemma in cues.lexicon().quoted_object_lemmas:
        content = _object_content(doc, verb)
        # one character either side: trimming may have taken the closing mark of "insanity"
        if content is not None and not _holds_quoted_words(_text(doc)[max(0, content[0] - 1):content[1] + 1]) \
                and not _has_object_predicate(verb):
            content = None
    if content is None and verb.lower_ in cues.lexicon().prep_cues:
        prep_lemma, preps = cues.lexicon().prep_cues[verb.lower_]
        found = _prep_content(doc, verb, preps)
        if found is not None:
            prep, content = found
            cue = cues.cue_record(_text(doc), verb.idx, prep.idx + len(prep.text), f"{prep_lemma} {prep.lower_}")
    if cue is None or (content is None and kind != cues.SPEECH):
        return None
    source_token = wanted_speaker(verb) or _speaker_token(doc, verb)
    source = _source_phrase(source_token) if _can_speak(source_token) else None
    return Frame(cue, verb, source, content, _relayed_by(doc, verb, absorbed),
                 _addressee(doc, verb, lemma, content))


def _according_frame(doc: Doc, token: Token) -> Frame | None:
    """"According to X, <content>" / "<content>, according to X". Not a frame of its own when X
    is an agency relaying a speech verb's words ("Bogdanov said, according to Interfax")."""
    source_token = _according_source(token)
    if source_token is None:
        return None
    head = token.head
    for speaker_verb in (head, head.head):
        if cues.verb_kind(cues.verb_lemma(speaker_verb.lower_)) == cues.SPEECH \
                and _subject(speaker_verb) is not None \
                and _agency_of_phrase(doc, _phrase(source_token), require_pattern=True) is not None:
            return None
    to_token = doc[token.i + 1]
    cue = cues.cue_record(_text(doc), token.idx, to_token.idx + len(to_token.text), "according to")
    content = None
    if head.i != token.i:
        content = _span_without(doc, head, token.left_edge, token.right_edge)
    return Frame(cue, token, _source_phrase(source_token), content, None, None)


def _author_of(doc: Doc, noun: Token) -> Token | None:
    """Who made the statement a speech noun names: the subject of the verb that takes it, when
    that verb reports or issues ("she made the claim that", "told CNN in a statement that"), not
    when it answers or rejects it."""
    verb = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else noun.head
    if noun.dep_ not in ("dobj", "pobj") or verb.i == noun.i or not verb.tag_.startswith("VB"):
        return None
    if verb.lower_ not in cues.lexicon().issuing_verbs and \
            cues.verb_kind(cues.verb_lemma(verb.lower_)) != cues.SPEECH:
        return None
    return _speaker_token(doc, verb)


def _noun_owner(doc: Doc, noun: Token, before: int | None = None) -> Token | None:
    """Who a speech noun's words belong to: its possessor, its "by"/"from" phrase (only one
    before token `before`, when given), or the subject of the reporting or issuing verb that
    takes it."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")
                   and (before is None or c.i < before)), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    return owner if owner is not None else _author_of(doc, noun)


def _nominal_frame(doc: Doc, noun: Token) -> Frame | None:
    """"Trump's claim that he was misquoted", "the suggestion by aides that ...": a speech noun
    with a that-clause; the speaker is its possessor or its "by"/"from" phrase, if any."""
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i and any(
        m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return None
    content = _char_span(doc, clause.left_edge, clause.right_edge)
    owner = _noun_owner(doc, noun, before=clause.i)
    source = _source_phrase(owner) if owner is not None else None
    lemma = cues.lexicon().nominal_cues[noun.lower_]
    cue = cues.cue_record(_text(doc), noun.idx, noun.idx + len(noun.text), lemma)
    return Frame(cue, noun, source, content, None, None)


def _nominal_prep_frame(doc: Doc, noun: Token) -> Frame | None:
    """"Trump's attacks on Clinton", "criticism of the deal by senators": a speech noun
    whose prepositional object is the content. Only with an owner: "the attacks on Clinton"
    alone names no speaker, and such unowned nouns were mostly topics."""
    lemma, preps = cues.lexicon().nominal_prep_cues[noun.lower_]
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in preps), None)
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if obj is None or obj.lower_ in cues.lexicon().time_words:
        return None                 # "his remarks on Tuesday": when, not what
    owner = _noun_owner(doc, noun)
    source = _source_phrase(owner) if _can_speak(owner) else None
    if source is None:
        return None
    content = _char_span(doc, obj.left_edge, obj.right_edge)
    cue = cues.cue_record(_text(doc), noun.idx, noun.idx + len(noun.text), lemma)
    return Frame(cue, noun, source, content, None, None)


def _frame_at(doc: Doc, token: Token, absorbed: set[int]) -> Frame | None:
    if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        return _according_frame(doc, token)
    lexicon = cues.lexicon()
    if token.pos_ == "NOUN" and (token.lower_ in lexicon.nominal_cues or token.lower_ in lexicon.nominal_prep_cues):
        # a speech noun: with a that-clause, else with its prepositional object
        frame = _nominal_frame(doc, token) if token.lower_ in lexicon.nominal_cues else None
        if frame is None and token.lower_ in lexicon.nominal_prep_cues:
            frame = _nominal_prep_frame(doc, token)
        return frame
    if not token.tag_.startswith("VB") or token.i in absorbed:
        return None
    lemma = cues.verb_lemma(token.lower_)
    kind = cues.verb_kind(lemma)
    if kind == cues.QUOTING:
        frame = _quoting_frame(doc, token, absorbed)
        if frame is not None:
            return frame
    return _speech_frame(doc, token, lemma, kind, absorbed)


def find_frames(doc: Doc) -> list[Frame]:
    """Every reporting event in the doc, in document order. Never raises: a token whose parse
    trips a rule loses its frame, not the article."""
    doc.user_data[_TEXT_KEY] = doc.text
    try:
        return _all_frames(doc)
    finally:
        doc.user_data.pop(_TEXT_KEY, None)


def load_data() -> None:
    """Read the cue lexicon and build the cue-word index now rather than on the first article."""
    cues.load_data()
    _cue_word_hashes()


@lru_cache(maxsize=1)
def _cue_word_hashes() -> numpy.ndarray:
    """Hashes of every word that can start a cue, to find candidates without a Python loop
    over all tokens (string hashes are the same in every spaCy vocab)."""
    lexicon = cues.lexicon()
    words = set(lexicon.verb_lemmas) | set(lexicon.prep_cues) | set(lexicon.nominal_cues) \
        | set(lexicon.nominal_prep_cues) | {"according"}
    return numpy.array(sorted(hash_string(w) for w in words), dtype=numpy.uint64)


def _all_frames(doc: Doc) -> list[Frame]:
    frames: list[Frame] = []
    absorbed: set[int] = set()   # "saying" of "quoted X saying", already part of a frame
    if len(doc) == 0:
        return frames
    lowers = doc.to_array([LOWER]).reshape(-1).astype(numpy.uint64)
    for i in numpy.flatnonzero(numpy.isin(lowers, _cue_word_hashes())).tolist():
        token = doc[i]
        try:
            frame = _frame_at(doc, token, absorbed)
        except Exception:  # noqa: BLE001 (a malformed parse must not cost the article)
            frame = None
        if frame is not None:
            frames.append(frame)
    # a "saying" absorbed after its own frame was made ("saying" before "quoted" in the text)
    frames = [f for f in frames if f.cue_token.i not in absorbed]
    return _without_nested(frames)


def _without_nested(frames: list[Frame]) -> list[Frame]:
    """Drops frames that sit wholly inside another frame's content ("He said [she believes
    [that ...]]"): news attribution counts the outer report, not the beliefs it reports (on PolNeAR
    train such inner frames were right 1 time in 8). Sorted prefix maxima keep this n log n."""
    with_content = sorted((f.content[0], f.content[1], k) for k, f in enumerate(frames) if f.content)
    if len(with_content) < 2:
        return frames
    starts = [start for start, _, _ in with_content]
    # best[i] / second[i]: the two largest (end, frame index) among the first i+1 contents
    best, second = [], []
    top, runner = (-1, -1), (-1, -1)
    for _, end, k in with_content:
        if end > top[0]:
            top, runner = (end, k), top
        elif end > runner[0]:
            runner = (end, k)
        best.append(top)
        second.append(runner)
    kept = []
    for k, frame in enumerate(frames):
        if frame.content is None:
            kept.append(frame)
            continue
        extent_start = min(frame.cue.start, frame.content[0])
        extent_end = max(frame.cue.end, frame.content[1])
        i = bisect_right(starts, extent_start) - 1
        if i < 0:
            kept.append(frame)
            continue
        end, owner = best[i] if best[i][1] != k else second[i]
        if owner < 0 or end < extent_end:
            kept.append(frame)
    return kept
