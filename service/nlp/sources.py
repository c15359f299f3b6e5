"""Speaker repair: a frame whose source the parse missed, or took from inside a quotation (a
misparse of a long quote), gets the words standing next to its cue instead. Each repair is a
rule of the registry (rules.SOURCE_REPAIRS), tried in order; its name joins the frame's rule."""
from __future__ import annotations

from spacy.tokens import Span, Token

from . import tree
from .frame_parts import Reading, name_after_quotation
from .lexicon import SPEECH
from .vocab import (CLAUSE_WORD_POS, MENTION_DROP_DEPS, MENTION_START_POS, MODIFIER_DEPS,
                    NOUN_HEAD_POS, PERSONAL_SUBJECT_DEPS)

MAX_SOURCE_TOKENS = 8


def outside_quotes(r: Reading, token: Token, regions=None) -> bool:
    """Whether token is outside the quoted regions (by default every quotation of the article)."""
    return not tree.inside(r.quoted if regions is None else regions, token.idx, token.idx + 1)


def speaking_subject(r: Reading, verb: Token, region: tuple[int, int] | None = None) -> Token | None:
    """The verb's personal subject when it can speak and stands outside `region` (by default,
    outside every quotation)."""
    for child in tree.subjects(verb, PERSONAL_SUBJECT_DEPS):
        if child.pos_ not in NOUN_HEAD_POS:
            continue
        if region is not None and region[0] <= child.idx < region[1]:
            continue
        return child
    return None


def mention(token: Token) -> Span:
    """A subject's noun phrase, without appositions, relative clauses and conjuncts."""
    return tree.bare_phrase(token, MENTION_DROP_DEPS)


def document_issuer(r: Reading, document: Token) -> Span | None:
    """"The group issued a statement saying …": the subject of the verb whose object the
    document is."""
    verb = document.head
    if document.dep_ not in ("dobj", "nsubjpass") or verb.pos_ != "VERB":
        return None
    found = speaking_subject(r, verb, (0, 0))
    if found is None or not outside_quotes(r, found) or found.i == document.i:
        return None
    return mention(found)


def inherited_subject(r: Reading, cue: Token) -> Span | None:
    """"The singer shared the news, writing "…"": a participle's speaker is its clause's subject."""
    if cue.tag_ != "VBG" and cue.lower_ != "adding":
        return None
    token = cue
    for _ in range(3):
        if tree.is_root(token):
            return None
        token = token.head
        found = speaking_subject(r, token, (0, 0))
        if found is not None and outside_quotes(r, found):
            return mention(found)
    return None


def speaker_after_quotation(r: Reading, cue: Token) -> Span | None:
    """'"…," Gene Okafor, a top adviser, said Monday on "Morning Talk"': the name between the
    quotation and its cue, which the parse hung inside the quoted clause (and took a title in
    quote marks for the subject)."""
    found = name_after_quotation(cue)
    return mention(found) if found is not None and outside_quotes(r, found) else None


def _skip_parenthesis(doc, i: int) -> int:
    """"Paul Ryan (R-WI) said": the index before a parenthesis that ends right before i."""
    if i > 0 and doc[i - 1].text == ")":
        k = i - 1
        while k > 0 and doc[k].text != "(" and i - k < 8:
            k -= 1
        if doc[k].text == "(":
            return k
    return i


def words_before_cue(r: Reading, cue: Token, regions=None) -> Span | None:
    """A short noun phrase between a comma/quote mark and the cue: ", Bozell answers"."""
    doc = r.doc
    if r.kind_of(cue) == SPEECH and tree.child_with(cue, "nsubjpass") is not None:
        return None                  # "Okafor was told that ...": the words before are the hearer
    i = cue.i
    while i > 0 and doc[i - 1].pos_ in ("AUX", "ADV", "PART") and cue.i - i < 3:
        if doc[i - 1].lower_ == "to":
            return None              # "leaders to admit": an infinitive has no subject here
        i -= 1                       # "has also said"
    end = start = _skip_parenthesis(doc, i)
    while start > 0 and not doc[start - 1].is_punct and not doc[start - 1].is_space \
            and outside_quotes(r, doc[start - 1], regions) and end - start < MAX_SOURCE_TOKENS:
        start -= 1
    if start == end or doc[end - 1].pos_ not in NOUN_HEAD_POS:
        return None
    if start > 0 and not (doc[start - 1].is_punct or doc[start - 1].is_space):
        return None                  # the phrase runs on further: not a clean speaker mention
    if any(t.pos_ in CLAUSE_WORD_POS and t.dep_ not in MODIFIER_DEPS for t in doc[start:end]):
        return None                  # "... country and pushing leaders": a clause, not a noun phrase
    return doc[start:end]


def words_after_cue(r: Reading, cue: Token, regions=None) -> Span | None:
    """An inverted speaker right after the cue: "said Lavrov", "said a senior official"."""
    doc = r.doc
    start = end = cue.i + 1
    while end < len(doc) and not doc[end].is_punct and not doc[end].is_space \
            and outside_quotes(r, doc[end], regions) and end - start < MAX_SOURCE_TOKENS:
        end += 1
    if end == start or doc[start].pos_ not in MENTION_START_POS:
        return None
    last = max((k for k in range(start, end) if doc[k].pos_ in NOUN_HEAD_POS), default=None)
    return doc[start:last + 1] if last is not None else None
