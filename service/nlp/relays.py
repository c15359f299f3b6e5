"""To whom, through whom: the addressee words were said to ("told CNN") and the news agency that
relayed them ("quoted by RIA Novosti", "according to Interfax", "Itar-Tass reported")."""
from __future__ import annotations

from spacy.tokens import Span, Token

from . import tree
from .frame_parts import Reading
from .lexicon import QUOTING
from .records import Addressee, Agency
from .vocab import ADDRESSEE_DEPS, ADDRESSEE_DROP_DEPS, NOMINAL_POS


def addressee(r: Reading, verb: Token, lemma: str, content: tuple[int, int] | None) -> Addressee | None:
    """Whom it was said to: "told CNN", "told Russia's official gazette, Rossiiskaya Gazeta"."""
    if not r.lex.listed("addressee_verbs", lemma):
        return None
    for child in verb.children:
        if child.dep_ in ADDRESSEE_DEPS and child.pos_ in NOMINAL_POS:
            span = tree.noun_phrase(child, drop=ADDRESSEE_DROP_DEPS)
            if span is None:
                return None
            end_char = span.end_char
            if content is not None and span.start_char < content[0] < end_char:
                end_char = content[0]
            trimmed = tree.trim(r.text, span.start_char, end_char)
            if trimmed is None:
                return None
            return Addressee(text=r.text[trimmed[0]:trimmed[1]], start=trimmed[0], end=trimmed[1])
    return None


def agency_of_phrase(r: Reading, span: Span | None, require_pattern: bool) -> Agency | None:
    """An Agency for a phrase: known or recognised by pattern; when the construction itself says
    it is an outlet ("quoted by the Daily Planet"), any phrase will do."""
    if span is None:
        return None
    agency = r.lex.agency_record(r.text, span.start_char, span.end_char)
    if agency is None and not require_pattern:
        name = span.text[4:] if span.text.lower().startswith("the ") else span.text
        agency = Agency(name=name, text=span.text, start=span.start_char, end=span.end_char)
    return agency


def _relaying_verb(r: Reading, verb: Token) -> Agency | None:
    """"X said, Itar-Tass reported": the relaying verb becomes part of this frame (absorbed)."""
    head = verb.head
    if verb.dep_ in ("parataxis", "ccomp") and head.i > verb.i and \
            r.lex.listed("relay_verbs", r.lex.verb_lemma(head.lower_) or "") and tree.subject(head) is not None:
        agency = agency_of_phrase(r, tree.noun_phrase(tree.subject(head)), require_pattern=True)
        if agency is not None:
            r.absorbed.add(head.i)
            return agency
    return None


def according_source(r: Reading, token: Token) -> Token | None:
    """X of an "according to X" at this token (the according-to pattern's match)."""
    matches = r.matches.get("according-to", {}).get(token.i)
    return matches[0]["source"] if matches else None


def relayed_by(r: Reading, verb: Token) -> Agency | None:
    """"..., X said, quoted by RIA Novosti" / "X said, according to Interfax" / "X said, Itar-Tass
    reported": an agency hanging on the speech verb, its subject or its content clause."""
    relaying = _relaying_verb(r, verb)
    if relaying is not None:
        return relaying
    head = verb.head
    found = tree.subject(verb)
    candidates = list(verb.children) + (list(found.children) if found is not None else [])
    if verb.dep_ == "parataxis":  # "<content>, X said, quoted by ...": the agency hangs on the content
        candidates += [c for c in head.children if c.i > verb.i]
    for child in verb.children:   # "X said <content>, according to Interfax"
        if child.dep_ == "ccomp":
            candidates += [c for c in child.children if c.lower_ == "according"]
    for child in candidates:
        if r.kind_of(child) == QUOTING and tree.subject(child) is None:
            by = tree.agent(child)
            if by is not None:
                return agency_of_phrase(r, tree.noun_phrase(by), require_pattern=False)
        if child.lower_ == "according":
            source = according_source(r, child)
            if source is not None:
                agency = agency_of_phrase(r, tree.noun_phrase(source), require_pattern=True)
                if agency is not None:
                    return agency
    return None
