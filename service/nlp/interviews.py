"""Interviews: whom an article interviews ("Biologist Nick Bos tells Wikinews", "Wikinews
interviewed Nick Bos", "in an interview with Nick Bos") and which outlet asks, from the parse
alone. roster.NameIndex keeps both; a first-person "I" and a transcript's "A:" are the
interviewee's (names.py, transcripts.py)."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Span, Token

from .lexicon import Lexicon
from .name_runs import PERSON, kind_of_name
from .tree import positions_of
from .vocab import PERSONAL_SUBJECT_DEPS


def interviewed_names(lex: Lexicon, doc: Doc, names: list[Span]) -> Iterator[Span]:
    """The person names of the article said to be interviewed, in order; none (and no search)
    when the article has no interview verb and no "tells"."""
    if not positions_of(doc, lex.interview_hashes):
        return
    for span in names:
        if kind_of_name(lex, span) == PERSON and not _interviewer(lex, span.root) and _interviewed(lex, span):
            yield span


def _interviewer(lex: Lexicon, token: Token) -> bool:
    """An outlet or interviewer: "Wikinews", "CNN", "the Guardian"."""
    return token.pos_ == "PROPN" and (token.lower_ in lex.words.get("interviewers", ())
                                      or lex.known_agency(token.text) is not None
                                      or token.lower_ in lex.kind_words("organization"))


def is_interviewer_word(lex: Lexicon, label: str) -> bool:
    """A transcript label naming an outlet or the interviewer ("Wikinews:", "CNN:")."""
    known = lex.known_agency(label)
    return label.lower() in lex.words.get("interviewers", ()) or (known is not None and known[2] - known[1] == len(label))


def outlet_in(lex: Lexicon, sentence: Span) -> Token | None:
    """The outlet of an interview sentence ("Nick Bos tells Wikinews"); None when it names none."""
    return next((token for token in sentence if _interviewer(lex, token)
                 and token.lower_ not in lex.kind_words("organization")), None)


def _interviewed(lex: Lexicon, name: Span) -> bool:
    """Whether the name is of the person an interview is with: the object of "interviewed" or of
    "an interview with", the subject of a verb with "in an interview", or who tells or speaks
    to an outlet."""
    root, words = name.root, lex.words
    head = root.head
    if root.dep_ == "dobj" and head.lower_ in words.get("interview_verbs", ()):
        return True
    if root.dep_ == "pobj" and head.lower_ == "with" and head.head.lower_ in words.get("interview_verbs", ()):
        return True
    if root.dep_ not in PERSONAL_SUBJECT_DEPS:
        return False
    heard = [c for c in head.children if c.dep_ in ("dobj", "dative")] + \
        [g for c in head.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    if any(t.lower_ in words.get("interview_verbs", ()) for t in heard):
        return True                  # "In an interview with Wikinews, Bos said"
    return head.lower_ in words.get("telling_verbs", ()) and any(_interviewer(lex, t) for t in heard)
