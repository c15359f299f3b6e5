"""Frame rules triggered by a reporting verb ("said", "told", "was quoted as saying", "criticized",
"called for"). Each rule is one way of finding what the verb reports; rules.py lists them in the
order they are tried, and the first that finds a frame wins. A rule returns None when its
construction is not there."""
from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Token

from . import tree
from .frame_parts import (Frame, Reading, adverbial_content, any_clause_content, clause_children,
                          clause_content, clause_in_phrase, content_around, has_object_predicate,
                          holds_quoted_words, interrupts, new_frame, object_content, object_noun_parts,
                          passive_object_content, prep_content, source_phrase, speaker_phrase, speaker_token,
                          verb_speaker)
from .lexicon import BELIEF, INTENTION, SPEECH
from .patterns import Roles
from .records import Cue
from .relays import addressee, agency_of_phrase
from .vocab import EVIDENCE_CONTENT_PREPS, SAYING_DEPS


class Verb(NamedTuple):
    """What the lexicon says of a candidate verb."""
    token: Token
    lemma: str | None
    kind: str | None             # SPEECH | BELIEF | QUOTING | OBJECT | None
    clause_only: bool            # "continue": a to-infinitive is no content


def describe(r: Reading, token: Token) -> Verb:
    lemma = r.lex.verb_lemma(token.lower_)
    return Verb(token, lemma, r.lex.verb_kind(lemma), lemma in r.lex.clause_only_lemmas)


def read_verb(r: Reading, token: Token) -> Verb | None:
    """The verb trigger: a verb form, not part of another frame, not a belief verb's aim
    ("Moscow wants to show it has weight": the aim is no report of its own), and not an
    intention that describes someone ("universities that want to share it")."""
    if not token.tag_.startswith("VB") or token.i in r.absorbed:
        return None
    verb = describe(r, token)
    if verb.kind == BELIEF and token.dep_ == "xcomp":
        return None
    return None if token.dep_ == "relcl" and r.lex.cue_kind(verb.lemma) == INTENTION else verb


def _said(r: Reading, v: Verb, content: tuple[int, int] | None, cue: Cue | None = None,
          interruption: tuple[int, int] | None = None) -> Frame | None:
    """The frame of a verb with this content: its speaker, the agency relaying it, its hearer."""
    cue = cue or (r.token_cue(v.token, v.lemma) if v.lemma else None)
    if cue is None:
        return None
    source = speaker_phrase(_speaker(r, v.token))
    return new_frame(cue, v.token, source, content, addressee=addressee(r, v.token, v.lemma, content),
                     interruption=interruption)


def _speaker(r: Reading, verb: Token) -> Token | None:
    """Who speaks a verb's words; for "released a letter that says ..." the letter (not "that"),
    whose issuer the document-issuer repair finds, as for "issued a statement saying ..."; for
    "approved a resolution condemning ..." whoever approved it."""
    if r.issuing_verb(verb) is not None:
        return verb.head
    actor = _actor_through_object(r, verb)
    return verb_speaker(r.lex, r.doc, verb if actor is None else actor)


# heads of an object that speaks for itself ("recruited pastors supporting ...") or for its issuer
SPEAKING_OBJECT_KINDS = ("anonymous", "organization", "group", "document")


def _actor_through_object(r: Reading, participle: Token) -> Token | None:
    """"approved a resolution condemning ...", "drew crowds describing ...", "entered the talks
    believing ...": a participle on a verb's object that is a thing, not someone, tells what the
    verb's subject did with it (on PolNeAR train, reading it so made 12 speakers right and 3
    wrong: "receive calls saying"). The verb (None for any other participle)."""
    thing = participle.head
    if participle.tag_ != "VBG" or participle.dep_ != "acl" or tree.after_comma(participle) \
            or thing.dep_ != "dobj" or thing.tag_ not in ("NN", "NNS") or thing.head.pos_ != "VERB":
        return None
    if any(thing.lower_ in r.lex.kind_words(kind) for kind in SPEAKING_OBJECT_KINDS):
        return None
    return thing.head


def _reports(v: Verb) -> bool:
    return v.kind in (SPEECH, BELIEF)


# --- refusals: a speaker who gives no words (kind no_comment) -----------------------------------

def _refused(r: Reading, verb: Token, last: Token, lemma: str, speaker: Token | None) -> Frame:
    """A frame with no content whose cue runs from the verb's group ("did not", "could not be")
    to `last`."""
    first, _ = tree.verb_group(verb)
    cue = r.cue(first.idx, last.idx + len(last.text), lemma)
    return new_frame(cue, verb, speaker_phrase(speaker))


def negated_speech(r: Reading, v: Verb) -> Frame | None:
    """"Police did not say whether anyone had been arrested", "she would not comment": a negated
    speech verb attributes no words."""
    if v.kind != SPEECH or not tree.negated(v.token):
        return None
    return _refused(r, v.token, v.token, f"not {v.lemma}", speaker_token(r.lex, r.doc, v.token))


def refusal(r: Reading, v: Verb) -> Frame | None:
    """"The ministry declined to comment", "a spokeswoman refused to confirm the report"."""
    verb = v.token
    act = tree.child_with(verb, "xcomp") if r.lex.listed("refusal_verbs", verb.lower_) else None
    if act is None or not r.lex.listed("refused_acts", act.lower_):
        return None
    r.absorbed.add(act.i)            # "confirm" is part of the refusal, not a report of its own
    lemma = f"{v.lemma or verb.lower_} to {act.lower_}"
    return _refused(r, verb, act, lemma, speaker_token(r.lex, r.doc, verb))


def no_response(r: Reading, v: Verb) -> Frame | None:
    """"The mayor could not be reached", "the firm did not respond to a request for comment":
    no words, from an active or passive subject."""
    verb = v.token
    if not r.lex.listed("no_response_verbs", verb.lower_) or not tree.negated(verb):
        return None
    return _refused(r, verb, verb, f"not {verb.lower_}", tree.subject(verb))


# --- quoting verbs: an outlet relays someone's words --------------------------------------------

def _saying_child(r: Reading, verb: Token) -> Token | None:
    """The "saying" of "quoted X (as) saying": a participle, or a speech verb after "as" (not
    "cite the vote, when the county stated ...")."""
    for child in verb.children:
        if child.dep_ in SAYING_DEPS and child.tag_ == "VBG" and r.kind_of(child) == SPEECH:
            return child
        if child.dep_ == "prep" and child.lower_ == "as":
            for grandchild in child.children:
                if r.kind_of(grandchild) == SPEECH:
                    return grandchild
    return None


def _quoting_parts(r: Reading, verb: Token):
    """(subject, saying, content) of a quoting verb; the "saying" joins this frame."""
    saying = _saying_child(r, verb)
    if saying is not None:
        r.absorbed.add(saying.i)
    content = any_clause_content(r, verb, skip=saying) or \
        (any_clause_content(r, saying) if saying is not None else None)
    return tree.subject(verb), saying, content


def quoted_as_saying(r: Reading, roles: Roles) -> Frame | None:
    """"Bogdanov was quoted (by Interfax) as saying ...": the passive subject speaks (pattern),
    the by-agent relayed it."""
    verb = roles["cue"]
    if not _is_passive(verb):
        return None
    subject, saying, content = _quoting_parts(r, verb)
    by = tree.agent(verb)
    agency = agency_of_phrase(r, tree.noun_phrase(by), require_pattern=False) if by is not None else None
    by_saying = tree.by_object(saying) if agency is None and saying is not None else None
    if by_saying is not None:   # "quoted as saying by the Moscow Times"; not "by phone"
        agency = agency_of_phrase(r, tree.noun_phrase(by_saying), require_pattern=True)
    last = saying if saying is not None and saying.i > verb.i and by is None else None
    return new_frame(r.token_cue(verb, "quote", last), verb, source_phrase(subject), content, agency)


def _is_passive(verb: Token) -> bool:
    found = tree.subject(verb)
    return found is not None and found.dep_ == "nsubjpass"


def quoted_saying(r: Reading, roles: Roles) -> Frame | None:
    """"Interfax news agency quoted Bogdanov (as) saying ...", "Reuters cited officials as saying
    ...": the object speaks, the active subject relayed it (pattern). ("quoted by RIA Novosti" is
    another frame's agency, the relay rule quoted-by; "he cited the poll" is an ordinary object verb.)"""
    verb = roles["cue"]
    if _is_passive(verb):   # the pattern's subject is not the verb's first
        return None
    subject, saying, content = _quoting_parts(r, verb)
    if saying is None:
        return None
    speaker = tree.child_with(verb, "dobj")
    if speaker is None:
        speaker = tree.subject(saying)   # parsed as "quoted [Bogdanov saying]"
    if speaker is None:
        return None
    agency = agency_of_phrase(r, tree.noun_phrase(subject), require_pattern=False)
    return new_frame(r.token_cue(verb, r.lex.verb_lemma(verb.lower_)), verb,
                     source_phrase(speaker), content, agency)


# --- speech and belief verbs with a clause ------------------------------------------------------

def speech_verb_clause(r: Reading, v: Verb) -> Frame | None:
    """"Lavrov said [it could happen]", "polls suggest [that ...]": a clause child."""
    if not _reports(v):
        return None
    clauses = clause_children(v.token, finite_only=v.clause_only) or clause_in_phrase(r, v.token)
    content = clause_content(r, v.token, clauses) if clauses else None
    return _said(r, v, content) if content else None


def speech_verb_inverted(r: Reading, v: Verb) -> Frame | None:
    """"The levy, said Okafor, will pay ...", "<clause>, said Okafor.": the parse hung the reported
    clause's subject on the cue (tree.inverted_pair); the content runs from that subject to the
    comma before the cue, and on past the attribution when the cue interrupts its sentence."""
    verb = v.token
    pair = tree.inverted_pair(verb) if _reports(v) else None
    if pair is None or clause_children(verb, finite_only=v.clause_only):
        return None
    doc, earlier = r.doc, pair[0]
    before = r.span_of(earlier.left_edge, doc[verb.i - 1])
    outer_last = verb.head.right_edge if interrupts(verb) else verb.right_edge
    after = r.span_of(doc[verb.right_edge.i + 1], outer_last) if verb.right_edge.i < outer_last.i else None
    if before is None or after is None:
        return _said(r, v, before or after) if before or after else None
    return _said(r, v, (before[0], after[1]), interruption=(before[1], after[0]))


def speech_verb_parataxis(r: Reading, v: Verb) -> Frame | None:
    """"The talks, he said, will go ahead": the sentence the cue interrupts."""
    if not _reports(v) or clause_children(v.token, finite_only=v.clause_only) or not interrupts(v.token):
        return None
    content, interruption = content_around(r, v.token)
    return _said(r, v, content, interruption=interruption) if content else None


def speech_verb_adverbial(r: Reading, v: Verb) -> Frame | None:
    """"asked if he was bullied": a content clause parsed as an adverbial one."""
    if not _reports(v) or clause_children(v.token, finite_only=v.clause_only) or interrupts(v.token):
        return None
    content = adverbial_content(r, v.token)
    return _said(r, v, content) if content else None


def as_clause(r: Reading, v: Verb) -> Frame | None:
    """"As the mayor noted, <content>": the clause the cue opens. After its clause ("..., as he
    replied") the "as" is mostly temporal."""
    verb = v.token
    if v.kind != SPEECH or v.clause_only or verb.dep_ != "advcl" or verb.i >= verb.head.i:
        return None
    if not any(c.dep_ == "mark" and c.lower_ == "as" and c.i < verb.i for c in verb.children):
        return None
    content, interruption = content_around(r, verb)
    return _said(r, v, content, interruption=interruption) if content else None


# --- verbs whose object is what was said --------------------------------------------------------

def attitude_object(r: Reading, v: Verb) -> Frame | None:
    """"expressed concern [that ...]", "expressed misgivings about [Mrs. Clinton]": a verb whose
    object is the attitude (word_lists.txt attitude_verbs); the object noun and its preposition join
    the cue, as PolNeAR marks it, and the noun's complement is the content."""
    if not r.lex.listed("attitude_verbs", v.token.lower_):
        return None
    noun = next((c for c in v.token.children if c.dep_ == "dobj" and c.pos_ == "NOUN" and c.i > v.token.i), None)
    parts = object_noun_parts(r, noun, f"{v.lemma} {noun.lower_}") if noun is not None else None
    if parts is None:
        return None
    cue, content = parts
    return _said(r, v, content, cue)


def object_verb(r: Reading, v: Verb) -> Frame | None:
    """"criticized the tariffs", "accused the mayor of lying": the direct object."""
    content = object_content(r, v.token) if v.lemma in r.lex.object_lemmas else None
    return _said(r, v, content) if content else None


def object_verb_passive(r: Reading, v: Verb) -> Frame | None:
    """"The merger was confirmed by the board": the passive subject, when a by-agent speaks."""
    content = passive_object_content(r, v.token) if v.lemma in r.lex.object_lemmas else None
    return _said(r, v, content) if content else None


def evidence_object(r: Reading, v: Verb) -> Frame | None:
    """"A new poll shows the senator ahead by four": a poll's or study's finding."""
    if v.lemma not in r.lex.evidence_object_lemmas:
        return None
    found = speaker_token(r.lex, r.doc, v.token)
    if found is None or found.lower_ not in r.lex.evidence_nouns:
        return None
    content = object_content(r, v.token, EVIDENCE_CONTENT_PREPS)
    return _said(r, v, content) if content else None


def quoted_object(r: Reading, v: Verb) -> Frame | None:
    """"called the plan "a disgrace"", "called him divisive": an object in quote marks, or an
    object with what it was called."""
    if v.lemma not in r.lex.quoted_object_lemmas:
        return None
    content = object_content(r, v.token)
    # one character either side: trimming may have taken the closing mark of "insanity"
    if content is None or not (holds_quoted_words(r.text[max(0, content[0] - 1):content[1] + 1])
                               or has_object_predicate(v.token)):
        return None
    return _said(r, v, content)


def verb_preposition(r: Reading, roles: Roles) -> Frame | None:
    """"called for a ceasefire", "warned of a crisis": a verb and the preposition right after it
    (pattern) whose object is what was said, when data/prep_cues.txt lists that preposition for
    the verb; the preposition joins the cue."""
    verb, prep = roles["cue"], roles["prep"]
    prep_lemma, preps = r.lex.prep_cues[verb.lower_]
    content = prep_content(r, verb, prep) if prep.lower_ in preps else None
    if content is None:
        return None
    cue = r.token_cue(verb, f"{prep_lemma} {prep.lower_}", prep)
    return _said(r, describe(r, verb), content, cue)


def speech_verb(r: Reading, v: Verb) -> Frame | None:
    """A speech verb with no content the parse shows ("…," she said): quoted words around it
    are its content (assembly pairs them)."""
    return _said(r, v, None) if v.kind == SPEECH else None
