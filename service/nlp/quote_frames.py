"""Frame rules anchored on a quoted span that no reporting frame holds: the words standing right
after it (""…," Bozell answers"), a signature line, an introduction before it ("Rubio fired
back: "…""), a verb that names its object with it ("admires Putin as a "strong leader""), or the
verb it hangs on ("called the plan "a disgrace""). The assembly uses them, in the registry's
order, for quoted spans no frame reports."""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from . import tree
from .frame_parts import (Frame, Reading, can_speak, new_frame, source_phrase, speaker_phrase, speaker_token,
                          verb_speaker)
from .quotemarks import SIGNATURE_DASH, QuotedSpan, colon_before, next_word
from .sources import mention, outside_quotes, speaking_subject, words_after_cue, words_before_cue
from .vocab import DASHES, LONG_DASHES, NOUN_HEAD_POS, NOUN_PHRASE_POS, PERSONAL_SUBJECT_PRONOUNS

MAX_SOURCE_TOKENS = 8
MAX_INTRO_TOKENS = 14
MAX_HEAD_STEPS = 6
MAX_AS_GAP = 3                   # tokens between "as" and the opening mark: as a “…”, as her ''…''
AS_GAP_POS = frozenset({"DET", "PRON", "PUNCT", "SPACE"})
# Guards keeping the sign-off patterns linear on a long run of spaces, which backtracking would
# otherwise rescan from each of its spaces; each skips only places whose outcome is known:
# - a signature's words open at most two spaces before the line's next non-space (only their
#   two-character minimum ever takes spaces there)
_AT_MOST_TWO_SPACES_AHEAD = r"(?![^\S\n]{3})"
# - the words do not end deep inside a run of spaces (two spaces before, one after): the rest of
#   the line reads the same there as one space earlier, where they did not end
_NOT_DEEP_IN_SPACES = r"(?!(?<=[^\S\n]{2})[^\S\n])"
SIGN_OFF = re.compile(r"\n+[^\S\n]*[" + DASHES + r"][^\S\n]*" + _AT_MOST_TWO_SPACES_AHEAD
                      + r"([^\n]{2,60}?)" + _NOT_DEEP_IN_SPACES + r"\.?[^\S\n]*(?=\n|$)")
# the same signature on the quote's own line: '“…”― Carla Diaz “…”', '“…” ― Carla Diaz. Getty',
# '"…" - Carla Diaz' (quotemarks.SIGNATURE_DASH)
SIGN_OFF_SAME_LINE = re.compile(r"[^\S\n]*" + SIGNATURE_DASH + r"[^\S\n]*([A-Z][^\n“”\"]{1,60}?)"
                                + _NOT_DEEP_IN_SPACES   # and not at an initial's "A.":
                                + r"(?=[^\S\n]*(?:\n|$|[“\"]|(?<!\b[A-Z])\.(?:\s|$)))")


def _region(quote: QuotedSpan) -> tuple[int, int]:
    return quote.open_mark, quote.after


def _names_someone(r: Reading, found: Span) -> bool:
    """A named person/outlet or a personal pronoun, or a definite description of a document
    ("the email")."""
    root = found.root
    return (root.pos_ == "PROPN" or root.lower_ in PERSONAL_SUBJECT_PRONOUNS
            or root.lower_ in r.lex.kind_words("document"))


# --- after the quote ----------------------------------------------------------------------------

def _verb_and_source(r: Reading, start: Token, regions) -> tuple[Token | None, Span | None]:
    if start.pos_ == "VERB" and start.is_alpha:   # inverted: said Lavrov (not a dash tagged VERB)
        return start, words_after_cue(r, start, regions)
    verb = None                      # Bozell answers / a senior official said
    for k in range(start.i, min(len(r.doc), start.i + MAX_SOURCE_TOKENS + 3)):
        token = r.doc[k]
        if token.pos_ == "VERB" and token.is_alpha:
            verb = token
            break
        if token.is_punct and token.text != "." or token.is_space:
            break
    if verb is None:
        return None, None
    source = words_before_cue(r, verb, regions)
    if source is not None and source.start != start.i:
        source = None                # the words before the verb must start right after the quote
    return verb, source


def cue_after_quote(r: Reading, quote: QuotedSpan) -> Frame | None:
    """The news pattern right after a quote, read off the words when the parse missed it:
    ""…," Bozell answers." / ""…." the mayor said." / ""…," said Lavrov" / ""…?" a reporter asked"."""
    text, doc = r.text, r.doc
    last_inside = text[max(quote.start, quote.end - 1):quote.close_mark].strip()[-1:]
    if last_inside not in ",.!?…" and text[quote.after:quote.after + 1] != ",":
        return None                  # the quote does not end a statement
    start = tree.token_at(doc, next_word(text, quote.after))
    if start is None or start.idx <= quote.close_mark or "\n" in text[quote.close_mark:start.idx]:
        return None                  # the speaker stands in the quote's own paragraph
    if start.text == "," or start.text in LONG_DASHES:
        start = doc[start.i + 1] if start.i + 1 < len(doc) else None
        if start is None:
            return None
    verb, source = _verb_and_source(r, start, [_region(quote)])
    if verb is None or source is None:
        return None
    lemma = r.lex.verb_lemma(verb.lower_)
    if lemma is None and (verb.lower_ in r.lex.light_verbs or not _names_someone(r, source)):
        return None                  # ""…," Hannity pressed" yes; ""…" is a common saying" no
    return new_frame(r.token_cue(verb, lemma or verb.lower_), verb, source)


def sign_off(r: Reading, quote: QuotedSpan) -> Frame | None:
    """Fact-check style: a quote paragraph signed on the next line, "- Bernie Sanders."."""
    text = r.text
    match = SIGN_OFF.match(text, quote.after) or SIGN_OFF_SAME_LINE.match(text, quote.after)
    if match is None or text[quote.after:match.start(1)].count("\n") > 2:
        return None
    name = r.doc.char_span(match.start(1), match.end(1), alignment_mode="contract")
    if name is None or not len(name) or name.root.pos_ != "PROPN" or len(name) > 6:
        return None
    dash = match.start(1) - 1
    while text[dash] not in DASHES:
        dash -= 1
    return new_frame(r.cue(dash, dash + 1, "sign-off"), name.root, name)


# --- before the quote ---------------------------------------------------------------------------

def _introduction(r: Reading, quote: QuotedSpan) -> tuple[int, Token, int] | None:
    """(offset of the comma or colon, its token, index of the introduction's first token) for
    words ending in a comma or colon right before the quote."""
    text, doc = r.text, r.doc
    i = quote.open_mark - 1
    while i >= 0 and text[i].isspace() and quote.open_mark - i < 200:
        i -= 1
    if i < 0 or text[i] not in ",:":
        return None
    mark = tree.token_at(doc, i)
    if mark is None or mark.i == 0:
        return None
    first = mark.i
    while first > 0 and mark.i - first < MAX_INTRO_TOKENS and not doc[first - 1].is_space \
            and doc[first - 1].text not in ".!?\"”’" and not doc[first - 1].is_sent_end:
        first -= 1
    return i, mark, first


def _last_verb(r: Reading, mark: Token, first: int) -> Token | None:
    return next((r.doc[k] for k in range(mark.i - 1, first - 1, -1) if r.doc[k].pos_ == "VERB"), None)


def intro_verb(r: Reading, quote: QuotedSpan) -> Frame | None:
    """"Hillary shot back, "…"", "Stated Stone:\n\n"…"": the subject of the last verb of the
    introduction speaks, and the verb is the cue."""
    found = _introduction(r, quote)
    verb = _last_verb(r, found[1], found[2]) if found is not None else None
    if verb is None:
        return None
    _, mark, first = found
    region = _region(quote)
    subject = speaking_subject(r, verb, region) or speaking_subject(r, verb.head, region)
    if subject is None or not first <= subject.i < mark.i:
        return None
    return new_frame(r.token_cue(verb, r.lex.verb_lemma(verb.lower_) or verb.lower_), verb, mention(subject))


def colon_label(r: Reading, quote: QuotedSpan) -> Frame | None:
    """"Transcript as follows: "…"", "The senator's office:": a verbless phrase and a colon; its
    first noun phrase speaks, the colon is the cue."""
    found = _introduction(r, quote)
    if found is None or r.text[found[0]] != ":" or _last_verb(r, found[1], found[2]) is not None:
        return None
    i, mark, first = found
    end = first
    while end < mark.i and r.doc[end].pos_ in NOUN_PHRASE_POS:
        end += 1
    if end == first or r.doc[end - 1].pos_ not in NOUN_HEAD_POS:
        return None
    return new_frame(r.cue(i, i + 1, ":"), mark, r.doc[first:end])


# --- a verb that names its object with the quote ------------------------------------------------

def _as_before(r: Reading, quote: QuotedSpan) -> Token | None:
    """The "as" right before the opening mark, with at most a determiner, an owner or a comma
    between ("as a “strong leader”", "as her ''Obama whisperer''", "as, “a little desperate”")."""
    mark = tree.token_at(r.doc, quote.open_mark)
    if mark is None:
        return None
    for k in range(mark.i - 1, max(-1, mark.i - 1 - MAX_AS_GAP), -1):
        token = r.doc[k]
        if token.lower_ == "as":
            return token
        if token.pos_ not in AS_GAP_POS:
            return None
    return None


def _names_object(r: Reading, verb: Token, as_: Token) -> bool:
    """"admires Putin as", "refers to the governor as", "pounding him as": the verb has what it
    names before the "as" (a direct object or a prepositional one); a reporting verb of the
    lexicon needs none ("is describing as “unhinged” a tweet")."""
    if r.lex.verb_lemma(verb.lower_):
        return True
    return any(child.i < as_.i and (child.dep_ == "dobj" or (child.dep_ == "prep" and child.lower_ != "as"
                                                              and tree.child_with(child, "pobj") is not None))
               for child in verb.children)


def named_as(r: Reading, quote: QuotedSpan) -> Frame | None:
    """"Trump admires Putin as a "strong leader"", "Reid has been pounding Trump as a "con
    artist"": what the verb's subject calls its object. The verb is the head of the "as" (or the
    head's head, when the parse took a dash for a verb)."""
    as_ = _as_before(r, quote)
    if as_ is None or tree.is_root(as_):
        return None
    verb = as_.head
    if not (verb.pos_ == "VERB" and verb.is_alpha) and not tree.is_root(verb):
        verb = verb.head
    if not (verb.pos_ == "VERB" and verb.is_alpha and verb.i < as_.i) or not _names_object(r, verb, as_):
        return None
    lemma = r.lex.verb_lemma(verb.lower_) or verb.lower_
    named, preposition = _named(verb, as_)
    last = preposition if preposition is not None and preposition.i == verb.i + 1 else None
    content = (named.left_edge.idx, quote.end) if named is not None else None
    return new_frame(r.token_cue(verb, lemma, last), verb, speaker_phrase(speaker_token(r.lex, r.doc, verb)),
                     content)


def _named(verb: Token, as_: Token) -> tuple[Token | None, Token | None]:
    """(what the verb names, between it and the "as": its direct object or the object of its
    preposition, and that preposition): PolNeAR's content is "Rubio as “a bright leader”" of
    "referred to Rubio as ...", the preposition the cue's ("referred to")."""
    for child in verb.children:
        if not verb.i < child.i < as_.i:
            continue
        if child.dep_ == "dobj":
            return child, None
        obj = tree.child_with(child, "pobj") if child.dep_ == "prep" and child.lower_ != "as" else None
        if obj is not None:
            return obj, child
    return None, None


# --- the verb the quote hangs on ----------------------------------------------------------------

def _governing_walk(r: Reading, quote: QuotedSpan) -> tuple[Token | None, Token | None]:
    """(the first lexicon verb outside the quote that the quote, or the colon before it, hangs
    on; the first verb of any kind outside it), walking up at most MAX_HEAD_STEPS heads."""
    region = _region(quote)
    colon = colon_before(r.text, quote.open_mark)
    token = tree.token_at(r.doc, colon if colon is not None else quote.start)
    if token is None:
        return None, None
    while region[0] <= token.idx < region[1] and not tree.is_root(token):
        token = token.head
    first_verb = None
    for _ in range(MAX_HEAD_STEPS):
        # a verb inside another quotation is that speaker's word, not the cue of this one
        outside = outside_quotes(r, token)     # the quote's own region is one of them
        if token.pos_ == "VERB" and outside:
            if r.lex.verb_lemma(token.lower_):
                return token, first_verb   # a reporting verb makes its subject the speaker
            first_verb = first_verb or token
        if tree.is_root(token):
            break
        token = token.head
    return None, first_verb


def governing_verb(r: Reading, quote: QuotedSpan) -> Frame | None:
    """"Rubio called the statement "outlandish"", "Sullivan said: "..."": a reporting verb the
    quote hangs on; its subject speaks."""
    verb, _ = _governing_walk(r, quote)
    if verb is None:
        return None
    subject = speaking_subject(r, verb, _region(quote))
    source = mention(subject) if subject is not None else _inherited_source(r, verb, quote)
    if source is None:
        return None
    return new_frame(r.token_cue(verb, r.lex.verb_lemma(verb.lower_)), verb, source)


def _inherited_source(r: Reading, verb: Token, quote: QuotedSpan) -> Span | None:
    """"Okafor grinned and asked the room ... "my new best neighbour"", "led the journalist to fear a
    "pact"": a subjectless reporting verb's speaker read as its frame would read it (the verb it
    is joined to, the object of the verb it is the aim of), outside the quote. A verb with a
    subject that cannot speak ('The word "zone out" ... describes') has none to inherit."""
    if tree.subject(verb) is not None:
        return None
    speaker = verb_speaker(r.lex, r.doc, verb)
    if not can_speak(speaker) or _region(quote)[0] <= speaker.idx < _region(quote)[1]:
        return None
    return source_phrase(speaker)


def naming_verb(r: Reading, quote: QuotedSpan) -> Frame | None:
    """"Beruff called Florida's standards "strong"": a verb outside the lexicon still gives a
    speaker when its subject is a named person or a personal pronoun (not "the nation had …")."""
    reporting, verb = _governing_walk(r, quote)
    if reporting is not None or verb is None or verb.lower_ in r.lex.light_verbs:
        return None
    subject = speaking_subject(r, verb, _region(quote))
    if subject is None or not (subject.pos_ == "PROPN" or subject.lower_ in PERSONAL_SUBJECT_PRONOUNS):
        return None
    return new_frame(r.token_cue(verb, verb.lower_), verb, mention(subject))
