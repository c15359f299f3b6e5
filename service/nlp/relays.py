"""To whom, through whom: the addressee words were said to ("told CNN") and the news agency that
relayed them ("quoted by RIA Novosti", "according to Interfax", "Itar-Tass reported"). The relay
rules are listed in rules.RELAYS, in the order frames.with_agency tries them."""
from __future__ import annotations

from spacy.tokens import Span, Token

from . import tree
from .frame_parts import Reading, hearers_participle, owned_title, possessive_title, told_in_passing
from .records import Addressee, Agency
from .vocab import ADDRESSEE_DEPS, ADDRESSEE_DROP_DEPS, CLAUSE_DEPS, NOMINAL_POS, POSSESSIVE_ENDINGS


def addressee(r: Reading, verb: Token, lemma: str, content: tuple[int, int] | None) -> Addressee | None:
    """Whom it was said to: "told CNN", "told Russia's official gazette, Rossiiskaya Gazeta"."""
    if hearers_participle(r.lex, verb):   # "Asked whether ..., Johnson replied": Johnson
        hearer = tree.subject(verb.head)
        return _addressee_of(r, tree.noun_phrase(hearer, drop=ADDRESSEE_DROP_DEPS), content) \
            if hearer is not None else None
    if not r.lex.listed("addressee_verbs", lemma):
        return None
    hearer = _passive_hearer(r, verb)
    if hearer is not None:      # "The mayor was told that ...", "was called in and told that ..."
        return _addressee_of(r, tree.noun_phrase(hearer, drop=ADDRESSEE_DROP_DEPS), content)
    for child in verb.children:
        if child.dep_ in ADDRESSEE_DEPS and child.pos_ in NOMINAL_POS:
            return _addressee_of(r, tree.noun_phrase(child, drop=ADDRESSEE_DROP_DEPS), content)
        hearer = possessive_title(r, child) if child.dep_ in CLAUSE_DEPS else None
        if hearer is not None:    # 'told CBS's "Face the Nation"', "Face" a clause to the parser
            return Addressee(text=r.text[hearer[0]:hearer[1]], start=hearer[0], end=hearer[1])
    return None


def _passive_hearer(r: Reading, verb: Token) -> Token | None:
    """The subject of a passive telling verb, or of the passive verb one is joined to with no
    hearer of its own: who was told. Not an "it" (the clause's) nor a relative pronoun."""
    if tree.child_with(verb, "auxpass") is not None:
        hearer = tree.child_with(verb, "nsubjpass")
    elif verb.dep_ == "conj" and told_in_passing(r.lex, verb):
        hearer = tree.child_with(verb.head, "nsubjpass")
    else:
        return None
    return None if hearer is None or hearer.lower_ == "it" or hearer.tag_ in ("WDT", "WP") else hearer


def _addressee_of(r: Reading, span: Span | None, content: tuple[int, int] | None) -> Addressee | None:
    """The hearer's phrase, ended where the content starts inside it."""
    if span is None:
        return None
    end_char = span.end_char
    if content is not None and span.start_char < content[0] < end_char:
        end_char = content[0]
    trimmed = tree.trim(r.text, span.start_char, end_char)
    if trimmed is None:
        return None
    trimmed = _with_show_title(r, trimmed, content)
    return Addressee(text=r.text[trimmed[0]:trimmed[1]], start=trimmed[0], end=trimmed[1])


def _with_show_title(r: Reading, span: tuple[int, int], content: tuple[int, int] | None) -> tuple[int, int]:
    """'told NBC's "Meet the Press"': a show named in quote marks right after a possessive is part
    of the hearer, whichever of the two the parse gave as the hearer (a noun phrase stops at a
    quote mark)."""
    title = next((q for q in r.quoted if 0 < q[0] - span[1] <= 1 or q[0] < span[0] < q[1]), None)
    if title is None or (content is not None and content[0] < title[1] and title[0] < content[1]):
        return span
    if title[0] > span[0]:     # the possessive was the hearer
        return (span[0], title[1]) if r.text[span[0]:span[1]].endswith(POSSESSIVE_ENDINGS) else span
    return owned_title(r, title) or span


def agency_of_phrase(r: Reading, span: Span | None, require_pattern: bool) -> Agency | None:
    """An Agency for a phrase: known or recognised by pattern; when the construction itself says
    it is an outlet ("quoted by the Daily Planet"), any phrase will do."""
    if span is None:
        return None
    span = tree.with_name_split_off(span)
    agency = r.lex.agency_record(r.text, span.start_char, span.end_char)
    if agency is None and not require_pattern:
        name = span.text[4:] if span.text.lower().startswith("the ") else span.text
        agency = Agency(name=name, text=span.text, start=span.start_char, end=span.end_char)
    return agency


def _matches(r: Reading, rule: str) -> list[dict[str, Token]]:
    return [roles for by_cue in r.matches.get(rule, {}).values() for roles in by_cue]


def _hangers_on(verb: Token) -> list[Token]:
    """Where a relay hangs on a speech verb: on the verb, on its subject and, for a parataxis
    ("<content>, X said, quoted by ..."), on the content after the verb."""
    subject = tree.subject(verb)
    near = list(verb.children) + (list(subject.children) if subject is not None else [])
    if verb.dep_ == "parataxis":
        near += [child for child in verb.head.children if child.i > verb.i]
    return near


def relaying_verb(r: Reading, verb: Token) -> Agency | None:
    """"X said, Itar-Tass reported" (pattern relaying-verb): an outlet's verb after the speech verb
    it governs; that verb becomes part of this frame (absorbed: it makes no frame of its own)."""
    for roles in _matches(r, "relaying-verb"):
        if roles["said"] == verb and verb.i < roles["cue"].i:
            agency = agency_of_phrase(r, tree.noun_phrase(roles["agency"]), require_pattern=True)
            if agency is not None:
                r.absorbed.add(roles["cue"].i)
                return agency
    return None


def quoted_by(r: Reading, verb: Token) -> Agency | None:
    """"X said, quoted by RIA Novosti" (pattern quoted-by): a quoting verb with no subject of its
    own hanging on the speech verb; the construction says its by-phrase is an outlet."""
    near = {token.i for token in _hangers_on(verb)}
    for roles in _matches(r, "quoted-by"):
        if roles["cue"].i in near and tree.subject(roles["cue"]) is None:
            return agency_of_phrase(r, tree.noun_phrase(roles["agency"]), require_pattern=False)
    return None


def according_source(r: Reading, token: Token) -> Token | None:
    """X of an "according to X" at this token (the according-to pattern's match)."""
    matches = r.matches.get("according-to", {}).get(token.i)
    return matches[0]["source"] if matches else None


def according_to_agency(r: Reading, verb: Token) -> Agency | None:
    """"X said, according to Interfax" / "X said <content>, according to Interfax": a known or
    recognisable agency in an according-to (pattern) on the speech verb or its content clause."""
    near = _hangers_on(verb) + [c for child in verb.children if child.dep_ == "ccomp" for c in child.children]
    for token in near:   # (before the verb, "According to X, Y said" is X's own attribution)
        source = according_source(r, token) if token.lower_ == "according" and token.i > verb.i else None
        agency = outlet(r, source) if source is not None else None
        if agency is not None:
            return agency
    return None


def outlet(r: Reading, head: Token) -> Agency | None:
    """The agency a phrase names when its head is the outlet's name, an agency or outlet word or
    what an outlet publishes (word_lists.txt outlet_reports): "Interfax", "the state news
    agency", "an Associated Press account"; not "a CNN poll", "results of the exit poll conducted
    for the Associated Press" (a poll's findings are the poll's, whoever paid for it)."""
    word = head.lower_
    if head.pos_ == "PROPN" or word in r.lex.agency_words or r.lex.listed("outlet_words", word) \
            or r.lex.listed("outlet_reports", word):
        return agency_of_phrase(r, tree.noun_phrase(head), require_pattern=True)
    return None
