"""A speaker mention as a reader should see it: a noun phrase without leading conjunctions,
adverbs or punctuation, never a clause or the bracketed words after a noun, never cut inside a
hyphenated word, with the post-nominal letters after a name ("Tom Molomby, SC") kept with it.
names.py reads each frame's source through `clean_mention` before naming it; `source_as_written`
widens the mention a quote returns to the whole noun phrase that names its source."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from . import tree
from .lexicon import Lexicon
from .name_runs import is_post_nominal
from .records import Quote
from .vocab import (BARE_DROP_DEPS, LEADING_DEPS, LEADING_POS, MODIFIER_DEPS, NOUN_HEAD_POS,
                    SOURCE_DROP_DEPS, VERB_POS)


def clean_mention(lex: Lexicon, mention: Span) -> Span:
    """The mention as a reader should see it: a noun phrase without leading conjunctions,
    adverbs, punctuation or a trailing possessive, never cut inside a word, and a post-nominal
    ("SC") with the name it follows."""
    return _with_named_holder(lex, _whole_words(_trim(lex, _noun_phrase(_out_of_brackets(
        _trim(lex, _after_dateline(mention, mention.root)))))))


def _out_of_brackets(mention: Span) -> Span:
    """A mention that is only the bracketed expansion of the noun before it ("Italian Episcopal
    Conference" of "The secretary general of CEI (Italian Episcopal Conference), Nunzio Galantino")
    gives way to that noun's phrase: the speaker is the head, not the words in brackets."""
    doc, root = mention.doc, mention.root
    if root.dep_ != "appos" or mention.start == 0 or mention.end >= len(doc) \
            or doc[mention.start - 1].text != "(" or doc[mention.end].text != ")" or root.head.i > root.i:
        return mention
    phrase = tree.bare_phrase(root.head, frozenset(), doc[:])
    opened = [t.i for t in phrase if t.text == "("]
    if opened and not any(t.text == ")" for t in doc[opened[-1]:phrase.end]):
        phrase = doc[phrase.start:opened[-1]]   # "Rep. Elijah Cummings (D-Md.": the bracket left open
    return phrase


def _whole_words(mention: Span) -> Span:
    """A mention that ends inside a hyphenated word ("Facebook co" of "Facebook co-founder Mark
    Zuckerberg", a misparse) runs on to the word's end, and on to the name that word qualifies."""
    doc, end = mention.doc, mention.end
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_:
        end += 2
    if end == mention.end:
        return mention
    last = doc[end - 1]
    if last.dep_ == "compound" and last.head.i >= end \
            and all(t.dep_ == "compound" or t.i == last.head.i for t in doc[end:last.head.i + 1]):
        end = last.head.i + 1        # "co-founder" qualifies "Mark Zuckerberg"
    return doc[mention.start:end]


def _with_named_holder(lex: Lexicon, mention: Span) -> Span:
    """"SC" of "Tom Molomby, SC, said" is Tom Molomby's: the mention becomes "Tom Molomby, SC"."""
    if not all(is_post_nominal(lex, t) for t in mention):
        return mention
    doc, k = mention.doc, mention.start - 1
    while k >= 0 and doc[k].text == ",":
        k -= 1
    if k < 0 or doc[k].pos_ != "PROPN" or is_post_nominal(lex, doc[k]):
        return mention
    start = k
    while start > 0 and doc[start - 1].pos_ == "PROPN" and not is_post_nominal(lex, doc[start - 1]):
        start -= 1
    return doc[start:mention.end]


def _noun_phrase(mention: Span) -> Span:
    """A speaker mention is a noun phrase. A clause taken for one ("aides cheered as she") gives
    way to its subject's phrase; a participle clause before the noun ("Writing in a blog post,
    Matthew Ingram") is cut off at its comma."""
    root = mention.root
    if root.pos_ in VERB_POS:
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")
                        and mention.start <= c.i < mention.end), None)
        if subject is None:      # a second phrase hanging outside the span: its last noun
            subject = next((t for t in reversed(mention) if t.pos_ in NOUN_HEAD_POS
                            and not mention.start <= t.head.i < mention.end), None)
        if subject is None:
            return mention
        mention, root = tree.bare_phrase(subject, BARE_DROP_DEPS, mention), subject
    if root.pos_ != "PROPN":   # a name after a comma wins over the words before it
        named = next((c for c in root.children if c.dep_ in ("appos", "npadvmod") and c.pos_ == "PROPN"
                      and c.i < mention.end and c.i > 0 and tree.after_comma(c)), None)
        if named is not None:
            return tree.bare_phrase(named, BARE_DROP_DEPS, mention)
    clause_before = [t for t in mention if t.i < root.i and t.pos_ in VERB_POS
                     and t.dep_ not in MODIFIER_DEPS]
    if clause_before:
        commas = [t.i for t in mention if clause_before[0].i < t.i < root.i and t.text == ","]
        if commas:
            return mention.doc[commas[-1] + 1:mention.end]
    return mention


def _trim(lex: Lexicon, mention: Span) -> Span:
    """Drop leading/trailing punctuation, a leading conjunction or adverb ("But Lavrov", "So
    officials", "Also Smith") and a trailing possessive from a mention."""
    i, j = 0, len(mention)
    while i < j - 1 and (mention[i].is_punct or mention[i].is_space or mention[i].pos_ in LEADING_POS
                         or mention[i].dep_ in LEADING_DEPS or mention[i].lower_ in lex.words["leading_words"]):
        i += 1
    while j > i and (mention[j - 1].is_punct or mention[j - 1].is_space or mention[j - 1].tag_ == "POS"):
        j -= 1
    return mention[i:j] if j > i else mention


# The speaker mention as the article writes its source: the name with its descriptions. PolNeAR's
# annotators mark the whole noun phrase ("Ana Ruiz, executive director of the harbour trust"; "the
# company's chief executive, Laura Finch"; "Peter Olsen, a lawyer who ..."): on PolNeAR train the
# gold source is this phrase for 91 % of the mentions that overlap it, the bare name for 84 %.
WRITTEN_SOURCE_DROP = SOURCE_DROP_DEPS - {"appos", "relcl"}


def written_source(lex: Lexicon, mention: Span, taken: list[tuple[int, int]]) -> Span:
    """The noun phrase naming the source that `mention` (a clean speaker mention) heads: its
    appositions on either side, relative clauses and conjuncts joined, without a leading
    conjunction or the dateline before it. A pronoun stays itself, and the phrase gives way to the
    mention where it would reach into `taken` (the quote's words and cue: a misparse hung them on
    the name)."""
    top = mention.root
    if top.pos_ == "PRON":
        return mention
    while top.dep_ == "appos" and top.head.pos_ in NOUN_HEAD_POS:
        top = top.head
    phrase = tree.noun_phrase(top, WRITTEN_SOURCE_DROP)
    if phrase is None:
        return mention
    phrase = _trim(lex, _after_dateline(_with_participle(phrase, top), mention.root))
    if phrase.start > mention.start or phrase.end < mention.end \
            or tree.touches(taken, (phrase.start_char, phrase.end_char)):
        return mention
    return _bracket_closed(phrase)


def _with_participle(phrase: Span, top: Token) -> Span:
    """A past participle right after the noun belongs to the source ("a survey released by the
    chamber": on PolNeAR train the gold source holds it 82 times in 121); an -ing clause
    is mostly an aside ("the mayor, speaking at a rally, said") and stays out."""
    doc = phrase.doc
    participle = next((c for c in top.children if c.dep_ == "acl" and c.tag_ == "VBN"
                       and c.left_edge.i == phrase.end), None)
    if participle is None or any(tree.is_boundary(t) for t in doc[phrase.end:participle.right_edge.i + 1]):
        return phrase
    return doc[phrase.start:participle.right_edge.i + 1]


def _after_dateline(phrase: Span, head: Token) -> Span:
    """"OSLO, March 3 (Reuters) - Prime Minister Ingrid Dahl" (a dateline the parser hung on the
    name): the words after the dash (spaced: "Holtz-Eakin" is one name) before the head."""
    doc = phrase.doc
    dashes = [t.i for t in doc[phrase.start:head.i] if t.text in tree.DATELINE_DASHES
              and t.whitespace_ and doc[t.i - 1].whitespace_]
    return doc[dashes[-1] + 1:phrase.end] if dashes else phrase


def _bracket_closed(phrase: Span) -> Span:
    """A phrase that opens a bracket ends with it: "Sen. Ann Lee (D-Ore.)", not "... (D-Ore"."""
    doc, end = phrase.doc, phrase.end
    if sum(t.text == "(" for t in phrase) <= sum(t.text == ")" for t in phrase):
        return phrase
    while end < len(doc) and end - phrase.end < 3 and doc[end].is_punct and doc[end].text != ")":
        end += 1
    return doc[phrase.start:end + 1] if end < len(doc) and doc[end].text == ")" else phrase


def source_as_written(lex: Lexicon, quote: Quote, doc: Doc) -> Quote:
    """The quote with its speaker mention widened to the written source, kept clear of the
    quote's words and cue; the name (and the confidence, read off the bare mention) stay."""
    speaker = quote.speaker
    mention = doc.char_span(speaker.start, speaker.end, alignment_mode="expand") if speaker else None
    if mention is None:
        return quote
    words = [(f.start, f.end) for f in quote.fragments] or [(quote.start, quote.end)]
    cue = [(quote.cue.start, quote.cue.end)] if quote.cue else []
    phrase = written_source(lex, mention, words + cue)
    if phrase.start == mention.start and phrase.end == mention.end:
        return quote
    return replace(quote, speaker=replace(speaker, text=phrase.text, start=phrase.start_char,
                                          end=phrase.end_char))
