"""Frame rules triggered by a noun or a fixed phrase: "according to X", "in the words of X", "in a poll",
speech nouns with a that-clause ("the senator's claim that ...") or with their prepositional object ("the mayor's
attacks on the governor")."""
from __future__ import annotations

from spacy.tokens import Token

from . import tree
from .frame_parts import (Frame, Reading, content_around, new_frame, object_noun_parts, owner_or_subject,
                          source_phrase, speaker_phrase, speaker_token, verb_taking)
from .lexicon import OBJECT, SPEECH
from .patterns import Roles
from .relays import outlet
from .vocab import REACTION_PREPS, VERB_POS


def is_speech_noun(r: Reading, token: Token) -> bool:
    return token.pos_ == "NOUN" and (token.lower_ in r.lex.nominal_cues or token.lower_ in r.lex.nominal_prep_cues)


def according_to(r: Reading, roles: Roles) -> Frame | None:
    """"According to X, <content>" / "<content>, according to X" (pattern: data/patterns.json).
    Not a frame of its own when X is an outlet (relays.outlet) relaying the words of a speech verb
    before it ("the envoy said, according to Interfax"); before the verb ("According to the Herald,
    the envoy said ...") the outlet reports, and the attribution is its own (the gold source is the
    outlet there all 3 times on PolNeAR train and dev, once in 2 on GUM)."""
    token, source = roles["cue"], roles["source"]
    head = token.head
    for speaker_verb in (head, head.head):
        if speaker_verb.i < token.i and r.kind_of(speaker_verb) == SPEECH \
                and tree.subject(speaker_verb) is not None and outlet(r, source) is not None:
            return None
    to = r.doc[token.i + 1]
    cue = r.cue(token.idx, to.idx + len(to.text), "according to")
    content, interruption = content_around(r, token)
    return new_frame(cue, token, source_phrase(source), content, interruption=interruption)


def in_the_words_of(r: Reading, roles: Roles) -> Frame | None:
    """"In the words of X, <content>" / "<content>, in the words of X, ..." (pattern)."""
    opening, source = roles["in"], roles["source"]
    cue = r.cue(opening.idx, roles["of"].idx + len(roles["of"].text), "in the words of")
    content, interruption = content_around(r, opening)
    return new_frame(cue, roles["cue"], source_phrase(source), content, interruption=interruption) \
        if content else None


def in_a_poll(r: Reading, roles: Roles) -> Frame | None:
    """"In a poll released Monday, the mayor leads by four points", "The mayor, in a survey out
    today, leads" (pattern): the poll is the source of the clause whose verb the in-phrase opens,
    the "in" its cue; what a clause inside reports ("79 percent said they ...") is the poll's
    finding. Not after the verb: "she spoke in a survey of voters" names where, not who. (The
    pattern's anchor is the poll, a rare word, so that the matcher skips the sentences without one.)"""
    poll, opening = roles["cue"], roles["in"]
    if opening.head.pos_ not in VERB_POS or opening.i > opening.head.i:
        return None
    content, interruption = content_around(r, opening)
    return new_frame(r.token_cue(opening, "in"), poll, source_phrase(poll), content,
                     interruption=interruption) if content else None


def _author_of(r: Reading, noun: Token) -> Token | None:
    """Who made the statement a speech noun names: the subject of the verb that takes it, when
    that verb reports or issues ("she made the claim that", "told CNN in a statement that"), not
    when it answers or rejects it."""
    verb = verb_taking(noun)
    if verb is None or (verb.lower_ not in r.lex.issuing_verbs and r.kind_of(verb) != SPEECH):
        return None
    return speaker_token(r.lex, r.doc, verb)


def _bearer_of(r: Reading, noun: Token) -> Token | None:
    """Whose an unowned speech noun's words are when no verb issues it: the subject of the verb that
    takes it ("Cruz entered the debate with an argument that", "stirred controversy with an
    assertion that", "persisted in arguments that"), unless that verb answers the words: an object
    verb ("rejected the claim that") or a reaction at or against them ("bristled at the
    suggestion that")."""
    verb = verb_taking(noun)
    if verb is None or r.lex.kind_of_word(verb.lower_) == OBJECT \
            or (noun.dep_ == "pobj" and noun.head.lower_ in REACTION_PREPS):
        return None
    return speaker_token(r.lex, r.doc, verb)


def _noun_owner(r: Reading, noun: Token, before: int | None = None) -> Token | None:
    """Who a speech noun's words belong to: its possessor, its "by"/"from" phrase (only one
    before token `before`, when given), or the subject of the reporting or issuing verb that
    takes it."""
    owner = owner_or_subject(r.lex, noun, tree.child_with(noun, "poss"))
    if owner is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")
                   and (before is None or c.i < before)), None)
        owner = tree.child_with(by, "pobj") if by is not None else None
    return owner if owner is not None else _author_of(r, noun)


def speech_noun_clause(r: Reading, roles: Roles) -> Frame | None:
    """"The senator's claim that he was misquoted", "the suggestion by aides that ...": a speech
    noun with a that-clause (pattern); the speaker is its possessor or its "by"/"from" phrase, or
    the subject of the verb that issues or bears it."""
    noun, clause = roles["cue"], roles["clause"]
    owner = _noun_owner(r, noun, before=clause.i) or _bearer_of(r, noun)
    cue = r.token_cue(noun, r.lex.nominal_cues[noun.lower_])
    return new_frame(cue, noun, source_phrase(owner) if owner is not None else None,
                     r.span_of(clause.left_edge, clause.right_edge))


def speech_noun_preposition(r: Reading, noun: Token) -> Frame | None:
    """"The mayor's attacks on the governor", "criticism of the deal by farmers": a speech noun
    whose prepositional object is the content. Only with an owner: "the attacks on X" alone
    names no speaker, and such unowned nouns were mostly topics."""
    if noun.lower_ not in r.lex.nominal_prep_cues:
        return None
    lemma, preps = r.lex.nominal_prep_cues[noun.lower_]
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in preps), None)
    obj = tree.child_with(prep, "pobj") if prep is not None else None
    if obj is None or obj.lower_ in r.lex.time_words:
        return None                 # "his remarks on Tuesday": when, not what
    owner = _noun_owner(r, noun)
    source = speaker_phrase(owner)
    if source is None:
        return None
    cue = r.token_cue(noun, lemma, prep if prep.i == noun.i + 1 else None)   # "attacks on", as verb cues
    return new_frame(cue, noun, source, r.span_of(obj.left_edge, obj.right_edge))


def attitude_noun(r: Reading, roles: Roles) -> Frame | None:
    """"made mention of [the deal]", "took aim at [the governor]", "cast doubt on [X]": a verb's
    object noun of word_lists.txt attitude_nouns (pattern) with a complement of its own; verb, noun
    and preposition are the cue, the verb's subject the speaker. A verb of the lexicon ("said",
    "expressed") is read by its own rules."""
    noun, verb = roles["cue"], roles["verb"]
    if verb.i > noun.i or r.kind_of(verb) is not None or verb.i in r.absorbed:
        return None
    parts = object_noun_parts(r, noun, f"{verb.lower_} {noun.lower_}")
    if parts is None:
        return None
    cue, content = parts
    speaker = speaker_token(r.lex, r.doc, verb)
    return new_frame(cue, noun, speaker_phrase(speaker), content)
