"""The learned layer: attributions the rules do not know, scored by a trained model.

The rules know a few hundred reporting words; news attribution has a long tail ("raising
questions about", "seized on", "is against", "his disdain for"). Here every predicate with a
complement is a candidate, read off the parse in one pass:

  1. candidates: a verb, noun or adjective (the cue) with a clause, object, prepositional object
     or passive subject (the content; an object and an "as" phrase after it are one), and a
     colon after a short lead with what follows it ("Poll: ...", "WALLACE: ..."); cues the
     rules already read are left to the rules, but for a speech verb they found no content for
     ("proclaimed a goal of ...");
  2. features: words and tags of the cue, the content and the likely source, as strings;
  3. a logistic model (learned_model.py, trained by service/train.py on PolNeAR train) scores
     each candidate; those above the model's threshold become frames, best first, never two with
     overlapping contents, never one whose content another frame already reports;
  4. each accepted frame's source: a second logistic model ranks the noun phrases around the
     cue by their dependency path to it; the best one above its threshold is the source.

Its frames carry the rule name "model".
"""
from __future__ import annotations

import math
from typing import Collection, Iterator, NamedTuple, Sequence

import numpy
from spacy.attrs import DEP, HEAD, POS
from spacy.parts_of_speech import IDS
from spacy.tokens import Span, Token

from . import frame_parts, tree
from .frame_parts import (Frame, Reading, content_pieces, is_anonymity_clause, new_frame, owner_or_subject,
                          source_phrase, source_token)
from .learned_model import AttributionModel
from .records import NO_COMMENT
from .vocab import ASIDE_MARKS, ASIDE_RELATIVES, NOUN_HEAD_POS, VERB_POS

RULE = "model"
MAX_SOURCE_DISTANCE = 40    # tokens between a candidate source and its cue
MAX_PATH = 4                # dependency steps of a source's path feature, each way

CUE_POS = VERB_POS | {"NOUN", "PROPN", "ADJ"}
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "oprd", "attr", "acomp", "advcl", "acl", "relcl", "pcomp",
                          "nsubjpass"})   # "the plan [was criticized] by the mayor"
LINK_DEPS = CONTENT_DEPS | {"prep"}
PREP_OBJECT_DEPS = frozenset({"pobj", "pcomp"})
NOT_CUE_DEPS = frozenset({"aux", "auxpass", "compound", "amod", "punct"})
BARE_TAGS = frozenset({"WDT", "WP", "WP$", "PRP"})   # one-word contents that are no content
PARTICIPLE_DEPS = frozenset({"acl", "amod"})       # "the laws proposed by the senator"
MAX_COLON_LEAD = 6          # tokens before a colon that introduces what a source says


class Candidate(NamedTuple):
    cue: Token
    link: Token            # the token that leads to the content (the cue's clause, object or preposition)
    head: Token            # the content's head (the preposition's object for a preposition)
    first: Token           # the content's first and last tokens
    last: Token
    content: tuple[int, int]
    relation: str          # how the content hangs on the cue: the link's label, or "colon"


def candidates(r: Reading, taken: Collection[int] = ()) -> Iterator[Candidate]:
    """Every (cue, content) pair of the doc whose cue token is not `taken` (by the rules): a
    predicate's complements, then the colons that introduce what a source says."""
    for i in _cue_positions(r.doc):
        if i not in taken:
            yield from _complements(r, r.doc[i])
    for token in r.doc:
        if token.i not in taken and token.text == ":":
            yield from _colon_lead(r, token)


def _complements(r: Reading, cue: Token) -> Iterator[Candidate]:
    """The cue's children that lead to a content: a clause, an object, a preposition's object."""
    for link in cue.children:
        head, relation = link, link.dep_
        if link.dep_ == "prep":
            head = next((c for c in link.children if c.dep_ in PREP_OBJECT_DEPS), None)
            if head is None:
                continue
        elif link.dep_ not in CONTENT_DEPS or link.dep_ == "nsubjpass" and tree.agent(cue) is None \
                or is_anonymity_clause(link):
            continue     # a passive subject only with a speaker: "criticized by", not "were reported"
        yield from _candidate(r, cue, link, head, *_extent(cue, link, head), relation)


def _extent(cue: Token, link: Token, head: Token) -> tuple[Token, Token]:
    """A complement's first and last tokens: its head's phrase, but a direct object and an "as"
    phrase after it are one content, whichever leads to it ("cast [Mr. Ruiz as a spoiler]": on
    PolNeAR train the gold content holds both for 37 of 41 learned frames that had the "as"
    phrase's object alone)."""
    if link.dep_ == "prep" and link.lower_ == "as":
        thing = next((c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < link.i), None)
        return (head.left_edge if thing is None else thing.left_edge), head.right_edge
    if link.dep_ == "dobj" and link.i > cue.i:
        role = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > link.i), None)
        return head.left_edge, (head.right_edge if role is None else role.right_edge)
    return head.left_edge, head.right_edge


def _colon_lead(r: Reading, colon: Token) -> Iterator[Candidate]:
    """"Poll: Ruiz and Okafor neck and neck", "HOST: Do you ...": a colon after a short
    noun phrase at the start of its sentence (headlines, transcripts) says what follows, to the
    end of its sentence (or of the next, when the colon ends one). Its link is that phrase."""
    lead = colon.head
    if colon.i - colon.sent.start > MAX_COLON_LEAD or lead.i >= colon.i or lead.pos_ not in NOUN_HEAD_POS:
        return
    after = colon.i + 1
    end = colon.sent.end if colon.sent.end > after else r.doc[min(after, len(r.doc) - 1)].sent.end
    if end > after:
        rest = r.doc[after:end]
        yield from _candidate(r, colon, lead, rest.root, rest[0], rest[-1], "colon")


def _candidate(r: Reading, cue: Token, link: Token, head: Token, first: Token, last: Token,
               relation: str) -> Iterator[Candidate]:
    if first.i == last.i and head.tag_ in BARE_TAGS:
        return     # "which", "what": the content is elsewhere; "it", "him" says nothing
    content = tree.trim(r.text, first.idx, last.idx + len(last.text))
    if content is not None:
        yield Candidate(cue, link, head, first, last, content, relation)


_CUE_POS = numpy.array(sorted(IDS[p] for p in CUE_POS), dtype=numpy.int64)


def _label_ids(doc, labels) -> numpy.ndarray:
    """The ids to_array gives these dependency labels (symbols, or string hashes)."""
    return numpy.array([doc.vocab.strings.as_int(label) for label in labels], dtype=numpy.uint64).astype(numpy.int64)


def _cue_positions(doc) -> list[int]:
    """Tokens of a cue part of speech with a child that can lead to a content, found with array
    lookups rather than a walk over every token."""
    if len(doc) == 0:
        return []
    pos, dep, head = doc.to_array([POS, DEP, HEAD]).astype(numpy.int64).T
    heads = numpy.arange(len(doc)) + head
    linked = numpy.unique(heads[numpy.isin(dep, _label_ids(doc, LINK_DEPS)) & (head != 0)])
    ok = numpy.isin(pos[linked], _CUE_POS) & ~numpy.isin(dep[linked], _label_ids(doc, NOT_CUE_DEPS))
    return linked[ok].tolist()


def source_of(r: Reading, c: Candidate) -> Token | None:
    """Who the candidate attributes to: a verb's subject (or agent, or inherited subject; a
    participle's agent only: "the plan proposed by"); a noun's owner ("the mayor's disdain for") or
    the subject of the verb it is the object of ("the mayor continues her praise of"); the phrase
    before a colon. Never the content's head."""
    cue = c.cue
    if c.relation == "colon":
        return c.link
    if cue.pos_ == "VERB" and cue.dep_ in PARTICIPLE_DEPS and cue.tag_ == "VBN":
        return tree.agent(cue)
    if cue.pos_ in VERB_POS:
        found = source_token(r.lex, cue)
        return None if found is not None and found.i == c.head.i else found
    owner = owner_or_subject(r.lex, cue, next((child for child in cue.children if child.dep_ == "poss"), None))
    if owner is not None:
        return owner
    if cue.dep_ in ("dobj", "attr", "nsubj") and cue.head.pos_ in VERB_POS:
        return source_token(r.lex, cue.head)
    return None


def _length_bucket(n: int) -> str:
    return str(min(5, int(math.log2(max(n, 1)))))


def cue_features(r: Reading, cue: Token, source: Token | None) -> tuple[str, list[str]]:
    """(the cue's lemma, the features of the cue and its source), shared by all its candidates."""
    word = cue.lower_
    lemma = r.lex.verb_lemma(word) or word
    feats = [
        "w=" + word, "l=" + lemma, "pos=" + cue.pos_, "tag=" + cue.tag_, "dep=" + cue.dep_,
        "up=" + cue.head.lower_, "dep|up=" + cue.dep_ + "|" + cue.head.lower_,
        "kind=" + str(r.lex.kind_of_word(word)), "quoted=" + str(tree.inside(r.quoted, cue.idx, cue.idx + 1)),
        "neg=" + str(any(ch.dep_ == "neg" for ch in cue.children)),
        "stem=" + word[:5], "end=" + word[-3:], "before=" + (r.doc[cue.i - 1].lower_ if cue.i else "-"),
    ] + r.lex.word_classes.features("class", word)
    if source is None:
        feats.append("src=none")
    else:
        src = source.lower_ if source.pos_ == "PRON" else source.pos_
        feats += ["src=" + src, "l|src=" + lemma + "|" + src, "srcw=" + source.lower_,
                  "srckind=" + str(r.lex.kind_of_word(source.lower_) or _speaker_kind(r, source))]
    return lemma, feats


def content_features(r: Reading, c: Candidate, lemma: str, rule_contents: list[tuple[int, int]]) -> list[str]:
    """The features of the way to the content and of the content itself."""
    link, head, relation = c.link, c.head, c.relation
    stem = c.cue.lower_[:5]
    prep = link.lower_ if link.dep_ == "prep" else "-"
    first = c.first.lower_
    size = _length_bucket(c.last.i - c.first.i + 1)
    inside_rule = any(s <= c.content[0] and c.content[1] <= e for s, e in rule_contents)
    feats = [
        "link=" + relation, "prep=" + prep, "l|link=" + lemma + "|" + relation, "l|prep=" + lemma + "|" + prep,
        "pos|link|hpos=" + c.cue.pos_ + "|" + relation + "|" + head.pos_,
        "hw=" + head.lower_, "htag=" + head.tag_, "first=" + first, "l|first=" + lemma + "|" + first,
        "size=" + size, "l|size=" + lemma + "|" + size, "in-rule=" + str(inside_rule),
        "stem|link=" + stem + "|" + relation + "|" + prep, "l|hw=" + lemma + "|" + head.lower_,
        "gap=" + _length_bucket(abs(c.first.i - c.cue.i)), "after=" + str(head.i > c.cue.i),
        f"class8|link={r.lex.word_classes.prefix(c.cue.lower_, 8)}|{relation}",
    ] + r.lex.word_classes.features("hclass", head.text)      # as written: a name's class is a name's
    if relation == "colon":     # the lead: "Poll", "WALLACE"
        feats += ["lead=" + link.lower_, "lead-tag=" + link.tag_]
    return feats


def _speaker_kind(r: Reading, token: Token) -> str:
    for kind in ("person", "organization", "group", "document"):
        if token.lower_ in r.lex.kind_words(kind):
            return kind
    return "name" if token.pos_ == "PROPN" else "other"


class RulesRead(NamedTuple):
    """What the rules read of an article, which the learned layer leaves to them."""
    cues: set[int]                         # cue tokens of the rules' frames and quote rules' frames
    contents: list[tuple[int, int]]        # the contents of the rules' frames
    quotations: list[tuple[int, int]]      # quotations (open mark .. after close) a quote rule reads
    bare: set[int] = set()                 # cues of speech frames with no content ("proclaimed a goal")


def rules_read(frames: list[Frame], quoted: Sequence, anchored: Sequence[dict[str, Frame]]) -> RulesRead:
    """From the frames stage's output: the rules' frames, the quoted spans, the quote rules' frames."""
    bare = {f.cue_i for f in frames if f.content is None and f.kind != NO_COMMENT}
    cues = ({f.cue_i for f in frames} - bare) | {f.cue_i for found in anchored for f in found.values()}
    quotations = [(q.open_mark, q.after) for q, found in zip(quoted, anchored) if found]
    return RulesRead(cues, [words for f in frames for words in content_pieces(f)], quotations, bare)


def scored_candidates(r: Reading, read: RulesRead) -> Iterator[tuple[Candidate, Token | None, list[str]]]:
    """(candidate, its source token, its features) for every candidate the rules left: cues no
    rule read or only as a speech verb with no content of its own ("proclaimed a goal"), contents
    away from the quotations a quote rule reads (and, at such a bare cue, from every quotation).
    (A second content at a cue a rule read would merge with the rule's at assembly.)"""
    at = None
    for c in candidates(r, read.cues):
        # a quote rule reads those quotations; a bare speech frame may pair with any quotation
        if tree.touches(read.quotations, c.content) or c.cue.i in read.bare and tree.touches(r.quoted, c.content):
            continue
        source = source_of(r, c)
        if (c.cue.i, getattr(source, "i", None)) != at:     # a cue's complements come together, with one source
            at = c.cue.i, getattr(source, "i", None)
            lemma, of_cue = cue_features(r, c.cue, source)
        yield c, source, of_cue + content_features(r, c, lemma, read.contents)


def learned_frames(r: Reading, read: RulesRead, model: AttributionModel | None) -> list[Frame]:
    """Frames for the candidates the model accepts, best first, contents never overlapping each
    other or a rule frame's content (the rules are better at what they read)."""
    if model is None:
        return []
    scored = list(scored_candidates(r, read))
    chances = model.attribution.probabilities([feats for _, _, feats in scored])
    accepted = [(float(p), c, source) for p, (c, source, _) in zip(chances, scored) if p >= model.threshold]
    accepted.sort(key=lambda item: (-item[0], item[1].cue.i))
    used = list(read.contents)
    found = []
    for p, c, source in accepted:
        extent = _judged_extent(r, c)    # a judged subject is no other frame's and no source
        if c.cue.i in r.silent or any(_overlaps(extent.content, other) for other in used):
            continue
        used.append(extent.content)
        if model.source is not None:
            source = best_source(r, extent, source, model)
        found.append(_frame(r, c, source)._replace(score=round(p, 3)))
    return found


# --- the source ------------------------------------------------------------------------------

def source_candidates(r: Reading, c: Candidate) -> list[Token]:
    """Heads of the noun phrases near the cue in its sentence, outside the content and quotes."""
    sentence = c.cue.sent
    low, high = max(sentence.start, c.cue.i - MAX_SOURCE_DISTANCE), min(sentence.end, c.cue.i + MAX_SOURCE_DISTANCE)
    found = []
    for token in r.doc[low:high]:
        if token.pos_ not in NOUN_HEAD_POS or token.dep_ == "compound" or token.i == c.cue.i:
            continue
        if c.content[0] <= token.idx < c.content[1] or tree.inside(r.quoted, token.idx, token.idx + 1):
            continue
        found.append(token)
    return found


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) <= 2 * MAX_PATH:
        chain.append(chain[-1].head)
    return chain


def dependency_path(cue: Token, other: Token) -> str:
    """"^xcomp|nsubj": the labels up from the cue to the common head, then down to the other."""
    up, down = _ancestors(cue), _ancestors(other)
    down_at = {t.i: k for k, t in enumerate(down)}
    k = next((k for k, t in enumerate(up) if t.i in down_at), None)
    if k is None or k > MAX_PATH or down_at[up[k].i] > MAX_PATH:
        return "far"
    rising = "^".join(t.dep_ for t in up[:k])
    falling = "v".join(t.dep_ for t in reversed(down[:down_at[up[k].i]]))
    return rising + "|" + falling


def source_features(r: Reading, c: Candidate, s: Token, rank: int, guess: Token | None) -> list[str]:
    path = dependency_path(c.cue, s)
    word = s.lower_ if s.pos_ == "PRON" else s.pos_
    lemma = r.lex.verb_lemma(c.cue.lower_) or c.cue.lower_
    return ["path=" + path, "path|w=" + path + "|" + word, "w=" + word, "dep=" + s.dep_,
            "dep|cpos=" + s.dep_ + "|" + c.cue.pos_, "kind=" + _speaker_kind(r, s),
            "side=" + ("before" if s.i < c.cue.i else "after"), "rank=" + str(min(rank, 5)),
            "dist=" + _length_bucket(abs(s.i - c.cue.i)), "guess=" + str(guess is not None and guess.i == s.i),
            "l|path=" + lemma + "|" + path, "det=" + r.doc[s.left_edge.i].lower_]


def ranked_sources(r: Reading, c: Candidate, guess: Token | None) -> Iterator[tuple[Token, list[str]]]:
    """(candidate source, its features), nearest first; `guess` is source_of(r, c)."""
    near = sorted(source_candidates(r, c), key=lambda t: (abs(t.i - c.cue.i), t.i))
    for rank, s in enumerate(near):
        yield s, source_features(r, c, s, rank, guess)


def best_source(r: Reading, c: Candidate, guess: Token | None, model: AttributionModel) -> Token | None:
    """The most likely source, if it is likely enough."""
    ranked = list(ranked_sources(r, c, guess))
    if not ranked:
        return None
    chances = model.source.probabilities([feats for _, feats in ranked])
    best = int(numpy.argmax(chances))
    return ranked[best][0] if chances[best] > model.source_threshold else None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Overlap by at least half of the shorter span (the evaluation's matching rule)."""
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and 2 * tree.overlap(a, b) >= shorter


def aside_at_end(first: Token, last: Token) -> Token | None:
    """The comma or dash opening a relative clause that runs from it to the content's end, hung on
    a word before it ("praised [the mayor's plan], which ...", "[Ms. Okafor], who ..."): an aside
    the learned layer's contents leave out (on PolNeAR train the gold leaves it out 23 times, keeps
    it 9; the rules' clause contents keep theirs)."""
    doc = first.doc
    for mark in doc[first.i + 1:last.i]:
        if mark.text not in ASIDE_MARKS:
            continue
        rest = doc[mark.i + 1:last.i + 1]
        outer = [t for t in rest if not mark.i < t.head.i <= last.i]
        if len(outer) == 1 and first.i <= outer[0].head.i < mark.i and outer[0].right_edge.i == last.i:
            clause = outer[0]
            return mark if clause.dep_ == "relcl" and clause.left_edge.lower_ in ASIDE_RELATIVES else None
    return None


def _content(r: Reading, c: Candidate) -> tuple[int, int]:
    """The candidate's content without a relative clause aside at its end."""
    mark = aside_at_end(c.first, c.last)
    if mark is None or tree.touches(r.quoted, (mark.idx, c.content[1])):   # a quotation stays whole
        return c.content
    return tree.trim(r.text, c.content[0], mark.idx) or c.content


def _judged_extent(r: Reading, c: Candidate) -> Candidate:
    """The candidate with the judged subject of its passive cue ("[Mr. Ruiz] was accused of
    lying": frame_parts.judged_subject) in its content's extent, when its content is another
    complement (the frame itself is shaped by frames.with_judged_subject)."""
    subject = None if c.relation == "nsubjpass" else frame_parts.judged_subject(r.lex, c.cue)
    return c if subject is None else c._replace(content=(subject.start_char, c.content[1]))


def _frame(r: Reading, c: Candidate, source: Token | None) -> Frame:
    cue_end = c.link if c.link.dep_ == "prep" and c.link.i == c.cue.i + 1 else c.cue
    cue = r.token_cue(c.cue, c.cue.lower_, cue_end)
    phrase: Span | None = source_phrase(source) if source is not None and source.pos_ in NOUN_HEAD_POS else None
    # frames.with_learned stamps rules.MODEL, and puts a judged subject in (frames.with_judged_subject)
    return new_frame(cue, c.cue, phrase, _content(r, c))
