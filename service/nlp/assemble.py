"""Assemble quotes: quoted spans (quotemarks) + reporting frames (frames) -> records.Quote.

Reads top-down:
  1. headline and section-title lines are set aside: nothing in them is an attributed quote;
  2. every quoted span finds the frame that reports it: the frame whose content holds it, else the
     nearest cue in its sentence(s), else an "X said:" introduction right before it;
  3. a frame's quoted spans become one quote: `direct` when the content is all in quote marks
     (interrupted quotes "...," he said, "..." are one quote), `mixed` when the content clause
     has words outside the marks; frames with content and no quote marks give `indirect` quotes;
  4. quoted spans no frame reports continue the previous speaker when they follow its quote
     (same paragraph or the next one), else are dropped when short or title-like (scare quotes);
  5. speakers are resolved to canonical names in document order (pronouns need the order);
  6. confidence: how the attribution was made x how the speaker was named.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from spacy.tokens import Doc, Span

from . import cues, names
from .frames import Frame, wanted_speaker
from .quotemarks import QuotedSpan
from .records import Cue, Quote, Speaker

# How a quote got its speaker, and how much that is worth (confidence before the speaker factor).
ROUTE_CONFIDENCE = {
    "content": 0.95,       # the frame's content clause holds the quoted span
    "sentence": 0.9,       # a cue in the quote's own sentence
    "colon": 0.85,         # "X said:" right before the quote
    "indirect": 0.8,       # reported speech without quote marks
    "continuation": 0.65,  # an unattributed quote following the speaker's previous quote
    "adjacent": 0.8,       # "<quote>," X tells Y. / "<quote>." said X. (no cue the parse found)
    "governed": 0.55,      # the subject of the verb the quote hangs on ("called it "a disgrace"")
    "none": 0.3,           # a long quotation with no speaker found
}
SPEAKER_FACTOR = {"named": 1.0, "nominal": 0.95, "pronoun": 0.9, "unresolved": 0.8, "none": 0.6}
WANTED_FACTOR = 0.6
SPEECH_LEMMAS = frozenset({"say", "tell", "add", "quote", "state", "explain", "insist", "write",
                           "announce", "continue", "declare", "note", "argue", "ask", "reply"})
MIN_UNATTRIBUTED_WORDS = 12      # shorter quoted spans with no frame are scare quotes or titles
MAX_TITLE_WORDS = 20             # a line this short without end punctuation is a headline/title
MAX_CONTINUATION_GAP = 400
MAX_INTERRUPTION = 120
MAX_ADJACENT_GAP = 60            # a cue in the next sentence counts only this close: ""…." Trump said."           # chars between a quote's closing mark and the cue interrupting it       # chars between a quote and an unattributed one continuing it
MERGE_CONTINUATION = True        # continuing quoted sentences/paragraphs join the previous quote
SENTENCE_END = ".!?…:"
# a quotation closed inside its sentence and followed by more words: ""We are ready," Lopez said."
ATTRIBUTED_LEDE = re.compile(r"[,.!?…][\"”’'»]\s+\w")
CLOSING = "\"'”’»›)]"


@dataclass
class Draft:
    """A quote being assembled (mutable until it becomes a records.Quote)."""
    type: str
    start: int
    end: int
    frame: object | None               # frames.Frame
    route: str
    pieces: list[QuotedSpan] = field(default_factory=list)
    speaker: Speaker | None = None
    continues: "Draft | None" = None   # the attributed quote this one continues


# --- 1. headline and title lines --------------------------------------------------------------

def title_lines(text: str) -> list[tuple[int, int]]:
    """Char ranges of lines that are headlines or section titles: the first line of a multi-line
    article when short, and any short line that does not end like a sentence."""
    lines, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    ranges = []
    for k, (start, end, line) in enumerate(lines):
        words = len(line.split())
        ends_sentence = line.rstrip(CLOSING + " ")[-1:] in SENTENCE_END
        first_is_headline = k == 0 and not ATTRIBUTED_LEDE.search(line)
        if len(lines) > 1 and words <= MAX_TITLE_WORDS and (first_is_headline or not ends_sentence):
            ranges.append((start, end))
    return ranges


def _inside(ranges: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies within one of `ranges` (sorted and disjoint: a bisection)."""
    i = bisect.bisect_right(ranges, (start, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= start and end <= ranges[i][1]


# --- 2. which frame reports a quoted span -------------------------------------------------------

class Sentences:
    """Sentence lookup by char offset."""

    def __init__(self, doc: Doc):
        self.spans: list[Span] = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        self.starts = [s.start_char for s in self.spans]

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _cue_span(frame) -> tuple[int, int]:
    return frame.cue.start, frame.cue.end


class FramesBySentence:
    """Frames listed under every sentence their cue or content touches, so that a quote is only
    compared with the frames around it: linear in the article, not quotes x frames."""

    def __init__(self, frames: Sequence, sentences: Sentences):
        self.order = {id(f): i for i, f in enumerate(frames)}
        self.by_sentence: dict[int, list] = {}
        for f in frames:
            first = last = sentences.index(f.cue.start)
            if f.content:
                first = min(first, sentences.index(f.content[0]))
                last = max(last, sentences.index(max(f.content[0], f.content[1] - 1)))
            for i in range(first, last + 1):
                self.by_sentence.setdefault(i, []).append(f)

    def around(self, first: int, last: int) -> list:
        """Frames touching sentences first..last, in document order."""
        found = {id(f): f for i in range(first, last + 1) for f in self.by_sentence.get(i, ())}
        return sorted(found.values(), key=lambda f: self.order[id(f)])


def _frame_for(quote: QuotedSpan, index: FramesBySentence, sentences: Sentences, text: str):
    """(frame, route) reporting this quoted span, or (None, None)."""
    span = (quote.open_mark, quote.after)
    first, last = sentences.index(span[0]), sentences.index(max(span[0], span[1] - 1))
    after = sentences.index(_next_word(text, span[1])) if span[1] < len(text) else last
    # every frame the rules below can pick touches one of these sentences
    frames = index.around(max(0, first - 1), max(last, after))
    outside = [f for f in frames if not (span[0] <= f.cue.start < span[1])]
    holders = [f for f in outside if f.content and _overlap(f.content, (quote.start, quote.end)) > 0]
    # "Ryan said it's unrealistic to think that ... "quote"": the outer frame reports it all
    outer = [f for f in holders if not any(g is not f and g.content[0] <= f.cue.start < g.content[1]
                                           for g in holders)]
    holders = outer or holders
    if holders:
        return max(holders, key=lambda f: (_overlap(f.content, (quote.start, quote.end)),
                                           -_distance(span, _cue_span(f)))), "content"
    # a frame whose content clause lies elsewhere already reports something else
    near = [f for f in outside if first <= sentences.index(f.cue.start) <= max(last, after)
            and (not f.content or _interrupts(quote, f, text))
            and not _other_quote_between(f, quote, text)
            and (sentences.index(f.cue.start) <= last or _follows(quote, f, text))]
    if near:
        return min(near, key=lambda f: _distance(span, _cue_span(f))), "sentence"
    colon = _colon_before(text, quote.open_mark)
    if colon is not None and first > 0:
        intro = [f for f in outside if sentences.index(f.cue.start) in (first, first - 1)
                 and f.cue.start < colon and not f.content]
        if intro:
            return max(intro, key=lambda f: f.cue.start), "colon"
    return None, None


def _next_word(text: str, offset: int) -> int:
    """Offset of the first non-space character at or after offset (within the next 200)."""
    end = min(len(text), offset + 200)
    while offset < end - 1 and text[offset].isspace():
        offset += 1
    return offset


def _follows(quote: QuotedSpan, frame, text: str) -> bool:
    """""…." Trump said." : the frame's speaker or cue comes first after the closing mark."""
    first = frame.cue.start if frame.source is None else min(frame.cue.start, frame.source.start_char)
    gap = text[quote.after:first]
    return first > quote.close_mark and len(gap) <= MAX_ADJACENT_GAP and not any(
        ch.isalnum() for ch in gap)


def _interrupts(quote: QuotedSpan, frame, text: str) -> bool:
    """"<quote>," X said, "<content>": the cue stands between this quote and its content, and the
    quote ends like a statement (not a term: 'To "route out" in this jargon refers to ...')."""
    ends = text[max(quote.start, quote.end - 1):quote.close_mark].strip()[-1:] + text[quote.after:quote.after + 1]
    return (quote.close_mark < frame.cue.start and frame.content[0] > frame.cue.end
            and any(mark in ends for mark in ",.!?…—-")
            and frame.cue.start - quote.close_mark < MAX_INTERRUPTION
            and "\n" not in text[quote.close_mark:frame.content[0]])


def _distance(span: tuple[int, int], cue: tuple[int, int]) -> int:
    if cue[0] >= span[1]:
        return cue[0] - span[1]
    if cue[1] <= span[0]:
        return (span[0] - cue[1]) + 1   # a cue after the quote wins a tie (news style)
    return 0


def _other_quote_between(frame, quote: QuotedSpan, text: str) -> bool:
    """A cue separated from the quote by a sentence end is not its cue ("…." Then X said…)."""
    if frame.cue.start >= quote.close_mark:
        gap = text[quote.after:frame.cue.start]
    else:
        gap = text[frame.cue.end:quote.open_mark]
    return "\n" in gap


# --- 2b. a source for frames the parse left without one ----------------------------------------

MAX_SOURCE_TOKENS = 8
SOURCE_HEAD_POS = frozenset({"PROPN", "PRON", "NOUN"})
SOURCE_START_POS = frozenset({"DET", "PROPN", "ADJ", "NOUN", "PRON", "NUM"})
CLAUSE_POS = frozenset({"VERB", "AUX", "SCONJ"})   # no word of a speaker mention is one


def _with_source(doc: Doc, frame, quoted_regions: Sequence[tuple[int, int]]):
    """A frame whose source is missing or lies inside quotation marks (a misparse of a long
    quote) gets the words standing next to its cue instead: ""…," Bozell answers" /
    ""…," said Lavrov"."""
    source = frame.source
    if source is not None and source.root.lower_ in names.kind_words().get("document", ()):
        issuer = _issuer(source.root, quoted_regions)
        return frame if issuer is None else frame._replace(source=issuer)
    if source is not None and not _inside(quoted_regions, source.start_char, source.start_char + 1):
        return frame
    positional = _inherited_subject(frame.cue_token, quoted_regions) or \
        _words_before(doc, frame.cue_token, quoted_regions) or \
        _words_after(doc, frame.cue_token, quoted_regions)
    return frame._replace(source=positional)


def _issuer(document, regions) -> Span | None:
    """"Black Lives Matter issued a statement saying …": the subject of the verb whose object the
    document is."""
    verb = document.head
    if document.dep_ not in ("dobj", "nsubjpass") or verb.pos_ != "VERB":
        return None
    subject = _subject_of(verb, (0, 0))
    if subject is None or not _outside(subject, regions) or subject.i == document.i:
        return None
    return _mention(subject)


def _inherited_subject(cue, regions) -> Span | None:
    """"Flea shared the news, writing "…"": a participle's speaker is its clause's subject."""
    if cue.tag_ != "VBG" and cue.lower_ not in ("adding",):
        return None
    token = cue
    for _ in range(3):
        if token.head.i == token.i:
            return None
        token = token.head
        subject = _subject_of(token, (0, 0))
        if subject is not None and _outside(subject, regions):
            return _mention(subject)
    return None


def _outside(token, regions) -> bool:
    return not _inside(regions, token.idx, token.idx + 1)


def _words_before(doc: Doc, cue, regions) -> Span | None:
    """A short noun phrase between a comma/quote mark and the cue: ", Bozell answers"."""
    i = cue.i
    while i > 0 and doc[i - 1].pos_ in ("AUX", "ADV", "PART") and cue.i - i < 3:
        if doc[i - 1].lower_ == "to":
            return None              # "leaders to admit": an infinitive has no subject here
        i -= 1                       # "has also said"
    if i > 0 and doc[i - 1].text == ")":  # "Paul Ryan (R-WI) said": skip the parenthesis
        k = i - 1
        while k > 0 and doc[k].text != "(" and i - k < 8:
            k -= 1
        if doc[k].text == "(":
            i = k
    end, start = i, i
    while start > 0 and not doc[start - 1].is_punct and not doc[start - 1].is_space \
            and _outside(doc[start - 1], regions) and end - start < MAX_SOURCE_TOKENS:
        start -= 1
    if start == end or doc[end - 1].pos_ not in SOURCE_HEAD_POS:
        return None
    if start > 0 and not (doc[start - 1].is_punct or doc[start - 1].is_space):
        return None                  # the phrase runs on further: not a clean speaker mention
    if any(t.pos_ in CLAUSE_POS and t.dep_ not in names.MODIFIER_DEPS for t in doc[start:end]):
        return None                  # "... country and pushing leaders": a clause, not a noun phrase
    return doc[start:end]


def _words_after(doc: Doc, cue, regions) -> Span | None:
    """An inverted speaker right after the cue: "said Lavrov", "said a senior official"."""
    start = cue.i + 1
    end = start
    while end < len(doc) and not doc[end].is_punct and not doc[end].is_space \
            and _outside(doc[end], regions) and end - start < MAX_SOURCE_TOKENS:
        end += 1
    if end == start or doc[start].pos_ not in SOURCE_START_POS:
        return None
    last = max((k for k in range(start, end) if doc[k].pos_ in SOURCE_HEAD_POS), default=None)
    return doc[start:last + 1] if last is not None else None


# --- 3. a frame's quoted spans -> one quote -----------------------------------------------------

def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _words_outside(content: tuple[int, int], pieces: Sequence[QuotedSpan], text: str) -> bool:
    """Does the content clause have words outside the quote marks (mixed quote)?"""
    pos = content[0]
    for q in sorted(pieces, key=lambda q: q.open_mark):
        if q.open_mark > pos and _has_words(text[pos:min(q.open_mark, content[1])]):
            return True
        pos = max(pos, q.after)
    return pos < content[1] and _has_words(text[pos:content[1]])


def _draft_for_frame(frame, pieces: list[QuotedSpan], route: str, text: str) -> Draft:
    starts = [q.start for q in pieces]
    ends = [q.end for q in pieces]
    content = frame.content
    if content and route == "content" and _words_outside(content, pieces, text):
        return Draft("mixed", min([content[0]] + starts), max([content[1]] + ends), frame,
                     route, pieces)
    return Draft("direct", min(starts), max(ends), frame, route, pieces)


# --- 4. quoted spans no cue reports: the verb they hang on, continuation, or nothing -----------

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
SPEAKER_POS = frozenset({"PROPN", "PRON", "NOUN"})
PHRASE_DROP_DEPS = frozenset({"appos", "relcl", "acl", "punct", "advmod", "prep", "cc", "conj"})
MAX_HEAD_STEPS = 6


def _token_at(doc: Doc, offset: int):
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _subject_of(verb, region: tuple[int, int]):
    """The verb's subject when it stands outside the quoted region and can speak."""
    for child in verb.children:
        if (child.dep_ in SUBJECT_DEPS and child.pos_ in SPEAKER_POS
                and not region[0] <= child.idx < region[1]):
            return child
    return None


def _mention(token) -> Span:
    """The subject's noun phrase, without appositions, relative clauses and conjuncts."""
    start, end = token.i, token.i + 1
    for child in token.children:
        if child.dep_ in PHRASE_DROP_DEPS:
            continue
        start, end = min(start, child.left_edge.i), max(end, child.right_edge.i + 1)
    return token.doc[start:end]


def _governing_frame(doc: Doc, text: str, quote: QuotedSpan) -> Frame | None:
    """A frame for a quoted span no cue reports, read off the parse: the first verb outside the
    quote that the quote (or the colon before it) hangs on, with that verb's subject as source
    ("Rubio called the statement "outlandish"", "Sullivan said: "..."")."""
    region = (quote.open_mark, quote.after)
    colon = _colon_before(text, quote.open_mark)
    anchor = _token_at(doc, colon if colon is not None else quote.start)
    if anchor is None:
        return None
    token = anchor
    while region[0] <= token.idx < region[1] and token.head.i != token.i:
        token = token.head
    first_verb = None
    for _ in range(MAX_HEAD_STEPS):
        lemma = cues.verb_lemma(token.lower_)
        outside = not region[0] <= token.idx < region[1]
        # a reporting verb makes its subject the speaker ("is", "had" do not)
        if lemma and token.pos_ == "VERB" and outside:
            subject = _subject_of(token, region)
            if subject is None:
                return None
            cue = Cue(text=token.text, lemma=lemma, start=token.idx, end=token.idx + len(token))
            return Frame(cue, token, _mention(subject), None, None, None)
        if first_verb is None and token.pos_ == "VERB" and outside:
            first_verb = token
        if token.head.i == token.i:
            break
        token = token.head
    return _naming_frame(first_verb, region)


LIGHT_VERBS = frozenset({"have", "has", "had", "having", "get", "got", "gets", "make", "made",
                         "makes", "take", "took", "takes", "give", "gave", "gives", "lead", "leads",
                         "led", "come", "came", "comes", "go", "went", "goes", "become", "became"})
PERSON_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})


def _naming_frame(verb, region) -> Frame | None:
    """"Beruff called Florida's standards "strong"": a verb outside the lexicon still gives a
    speaker when its subject is a named person or a personal pronoun (not "the nation had …")."""
    if verb is None or verb.lower_ in LIGHT_VERBS:
        return None
    subject = _subject_of(verb, region)
    if subject is None or not (subject.pos_ == "PROPN" or subject.lower_ in PERSON_SUBJECT_PRONOUNS):
        return None
    cue = Cue(text=verb.text, lemma=verb.lower_, start=verb.idx, end=verb.idx + len(verb))
    return Frame(cue, verb, _mention(subject), None, None, None)


def _colon_before(text: str, offset: int) -> int | None:
    """Offset of a colon standing right before offset (spaces between allowed): "X said: "...""."""
    i = offset - 1
    while i >= 0 and text[i].isspace() and offset - i < 200:
        i -= 1
    return i if i >= 0 and text[i] == ":" else None


def _text_before(text: str, offset: int, window: int = 200) -> str:
    """Up to `window` chars before offset, trailing whitespace removed (ends where the text does)."""
    return text[max(0, offset - window):offset].rstrip()


def _adjacent_frame(doc: Doc, text: str, quote: QuotedSpan) -> Frame | None:
    """The news pattern right after a quote, read off the words when the parse missed it:
    ""…," Bozell answers." / ""…." Trump said." / ""…," said Lavrov" / ""…?" a reporter asked"."""
    last_inside = text[max(quote.start, quote.end - 1):quote.close_mark].strip()[-1:]
    if last_inside not in ",.!?…" and text[quote.after:quote.after + 1] != ",":
        return None                  # the quote does not end a statement
    start = _token_at(doc, _next_word(text, quote.after))
    if start is None or start.idx <= quote.close_mark or "\n" in text[quote.close_mark:start.idx]:
        return None                  # the speaker stands in the quote's own paragraph
    if start.text in (",", "—", "–"):
        start = doc[start.i + 1] if start.i + 1 < len(doc) else None
        if start is None:
            return None
    region = [(quote.open_mark, quote.after)]
    verb, source = None, None
    if start.pos_ == "VERB":         # inverted: said Lavrov
        verb, source = start, _words_after(doc, start, region)
    else:                            # Bozell answers / a senior official said
        for k in range(start.i, min(len(doc), start.i + MAX_SOURCE_TOKENS + 3)):
            token = doc[k]
            if token.pos_ == "VERB":
                verb = token
                break
            if token.is_punct and token.text != "." or token.is_space:
                break
        if verb is not None:
            source = _words_before(doc, verb, region)
            if source is not None and source.start != start.i:
                source = None        # the words before the verb must start right after the quote
    if verb is None or source is None:
        return None
    lemma = cues.verb_lemma(verb.lower_)
    if lemma is None and (verb.lower_ in LIGHT_VERBS or not _names_someone(source)):
        return None                  # ""…," Hannity pressed" yes; ""…" is a common saying" no
    cue = Cue(text=verb.text, lemma=lemma or verb.lower_, start=verb.idx, end=verb.idx + len(verb))
    return Frame(cue, verb, source, None, None, None)


def _names_someone(mention: Span) -> bool:
    """A named person/outlet or a personal pronoun, or a definite description of a document
    ("the email")."""
    root = mention.root
    return (root.pos_ == "PROPN" or root.lower_ in PERSON_SUBJECT_PRONOUNS
            or root.lower_ in names.kind_words().get("document", ()))


SIGN_OFF = re.compile(r"\n+[ \t]*[-–—―][ \t]*([^\n]{2,60}?)\.?[ \t]*(?=\n|$)")
# the same signature on the quote's own line: '“…”― Carla Diaz “…”', '“…” ― Carla Diaz. Getty'
SIGN_OFF_SAME_LINE = re.compile(r"[ \t]*[—―][ \t]*([A-Z][^\n“”\"]{1,60}?)"
                                r"(?=[ \t]*(?:\n|$|[“\"]|\.(?:\s|$)))")


def _sign_off_frame(doc: Doc, text: str, quote: QuotedSpan) -> Frame | None:
    """Fact-check style: a quote paragraph signed on the next line, "- Bernie Sanders."."""
    match = SIGN_OFF.match(text, quote.after) or SIGN_OFF_SAME_LINE.match(text, quote.after)
    if match is None or text[quote.after:match.start(1)].count("\n") > 2:
        return None
    name = doc.char_span(match.start(1), match.end(1), alignment_mode="contract")
    if name is None or not len(name) or name.root.pos_ != "PROPN" or len(name) > 6:
        return None
    dash = match.start(1) - 1
    while text[dash] not in "-–—―":
        dash -= 1
    cue = Cue(text=text[dash], lemma="sign-off", start=dash, end=dash + 1)
    return Frame(cue, name.root, name, None, None, None)


MAX_INTRO_TOKENS = 14
NOUN_PHRASE_POS = frozenset({"DET", "ADJ", "PROPN", "NOUN", "NUM", "PRON"})


def _intro_frame(doc: Doc, text: str, quote: QuotedSpan) -> Frame | None:
    """An introduction ending in a comma or colon right before the quote: "Hillary shot back,
    "…"", "Stated Stone:\n\n"…"", "Transcript as follows: "…"". The speaker is the subject of
    the last verb of the introduction; for a colon after a verbless phrase, the phrase's first
    noun phrase, with the colon as cue."""
    i = quote.open_mark - 1
    while i >= 0 and text[i].isspace() and quote.open_mark - i < 200:
        i -= 1
    if i < 0 or text[i] not in ",:":
        return None
    mark = _token_at(doc, i)
    if mark is None or mark.i == 0:
        return None
    region = (quote.open_mark, quote.after)
    first = mark.i
    while first > 0 and mark.i - first < MAX_INTRO_TOKENS and not doc[first - 1].is_space \
            and doc[first - 1].text not in ".!?\"”’" and not doc[first - 1].is_sent_end:
        first -= 1
    for k in range(mark.i - 1, first - 1, -1):
        token = doc[k]
        if token.pos_ == "VERB":
            subject = _subject_of(token, region) or _subject_of(token.head, region)
            if subject is None or not first <= subject.i < mark.i:
                return None
            lemma = cues.verb_lemma(token.lower_) or token.lower_
            cue = Cue(text=token.text, lemma=lemma, start=token.idx, end=token.idx + len(token))
            return Frame(cue, token, _mention(subject), None, None, None)
    if text[i] != ":":
        return None
    end = first
    while end < mark.i and doc[end].pos_ in NOUN_PHRASE_POS:
        end += 1
    if end == first or doc[end - 1].pos_ not in SOURCE_HEAD_POS:
        return None
    cue = Cue(text=":", lemma=":", start=i, end=i + 1)
    return Frame(cue, mark, doc[first:end], None, None, None)


def _starts_sentence(quote: QuotedSpan, text: str) -> bool:
    before = _text_before(text, quote.open_mark)
    return not before or before.endswith(("\n",)) or before[-1] in SENTENCE_END + CLOSING


# --- 4b. continuation and unattributed quoted spans ----------------------------------------------

def _paragraph_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def _continues(previous: Draft, quote: QuotedSpan, text: str) -> bool:
    """Does this unattributed quoted span follow the previous quote's speaker (news style): in
    the same paragraph, or opening the next paragraph?"""
    source = (previous.continues or previous).frame
    if source is None or source.source is None or previous.end > quote.open_mark:
        return False
    gap = text[previous.end:quote.open_mark]
    if len(gap) > MAX_CONTINUATION_GAP:
        return False
    # lines after the first are blank lines and the quote's own line up to its opening mark
    return not any(line.strip() for line in gap.split("\n")[1:])


def _interrupted(previous: Draft, quote: QuotedSpan, text: str) -> bool:
    """""…," Smith said on Tuesday, "…"": the previous quote's own cue stands between the two
    quoted parts, in the same sentence, and the second part opens after a comma or colon."""
    frame = previous.frame
    if previous.type != "direct" or frame is None or not previous.end <= frame.cue.start < quote.open_mark:
        return False
    gap = text[previous.end:quote.open_mark]
    closing = max(previous.pieces, key=lambda q: q.close_mark).after
    between = text[closing:quote.open_mark]
    return ("\n" not in gap and len(between) <= MAX_INTERRUPTION
            and between.rstrip()[-1:] in (",", ":") and not any(c in ".!?" for c in between))


def _sentence_like(quote: QuotedSpan, text: str) -> bool:
    words = text[quote.start:quote.end].split()
    return len(words) >= MIN_UNATTRIBUTED_WORDS


# --- 5. speakers --------------------------------------------------------------------------------

def _speaker_quality(frame, speaker: Speaker | None) -> str:
    if speaker is None:
        return "none"
    mention = speaker.text.lower()
    if mention in names.PERSON_PRONOUNS | names.GROUP_PRONOUNS | names.ORG_PRONOUNS:
        return "pronoun" if speaker.name.lower() != mention else "unresolved"
    if speaker.name != speaker.text and speaker.kind == names.PERSON:
        return "named"
    return "named" if speaker.text[:1].isupper() else "nominal"


def _misplaced(mention: Span, draft: Draft) -> bool:
    """A speaker mention inside the words it would have said (its content clause or a quoted
    piece) is a misparse that took part of the quote for its speaker ("what", "his returns even
    if they"). A lone name or personal pronoun there is kept: "says he will ..." is mostly the
    speaker's own "he"."""
    mention = names.clean_mention(mention)
    if len(mention) == 1 and (mention[0].pos_ == "PROPN" or mention[0].lower_ in names.PERSON_PRONOUNS):
        return False
    regions = [(q.start, q.end) for q in draft.pieces]
    if draft.frame.content is not None:
        regions.append(draft.frame.content)
    return any(mention.start_char < end and start < mention.end_char for start, end in regions)


def _resolve_speakers(drafts: list[Draft], doc: Doc) -> None:
    index = names.NameIndex(doc)
    previous_person: Speaker | None = None
    quoted = [(draft.start, draft.end) for draft in drafts]   # what is said, direct or not
    for draft in sorted(drafts, key=lambda d: d.start):
        if draft.continues is not None:  # resolved before: it comes earlier in the text
            draft.speaker = draft.continues.speaker
        elif draft.frame is not None and draft.frame.source is not None \
                and not _misplaced(draft.frame.source, draft):
            draft.speaker = names.resolve(index, draft.frame.source, previous_person,
                                          quoted)
        if draft.speaker is not None and draft.speaker.kind == names.PERSON:
            previous_person = draft.speaker


# --- 6. confidence ------------------------------------------------------------------------------

def confidence(draft: Draft) -> float:
    """Route score x speaker factor, lowered a little for cues that are not plain speech verbs."""
    frame = draft.frame if draft.continues is None else draft.continues.frame
    score = ROUTE_CONFIDENCE[draft.route]
    score *= SPEAKER_FACTOR[_speaker_quality(frame, draft.speaker)]
    if frame is not None and frame.cue.lemma not in SPEECH_LEMMAS:
        score *= 0.9
    if frame is not None and frame.cue_token is not None and wanted_speaker(frame.cue_token) is not None:
        score *= WANTED_FACTOR   # "pushing leaders to admit ...": asked for, not yet said
    return round(min(1.0, max(0.0, score)), 3)


# --- the whole step -----------------------------------------------------------------------------

def assemble(doc: Doc, quoted: Sequence[QuotedSpan], frames: Iterable,
             text: str | None = None) -> list[Quote]:
    """Quotes of one article in document order (`text` is doc.text, passed when already built)."""
    text = doc.text if text is None else text
    titles = title_lines(text)
    frames = [f for f in frames if not _inside(titles, f.cue.start, f.cue.end)]
    quoted = [q for q in quoted if not _inside(titles, q.open_mark, q.after)]
    inside_quote = [(q.open_mark, q.after) for q in quoted]
    # a cue inside quotation marks is part of what the speaker said, not a new frame
    frames = [f for f in frames if not _inside(inside_quote, f.cue.start, f.cue.end)]
    frames = [_with_source(doc, f, inside_quote) for f in frames]
    sentences = Sentences(doc)

    owned: dict[int, list[QuotedSpan]] = {}
    routes: dict[int, str] = {}
    loose: list[QuotedSpan] = []
    frame_index = FramesBySentence(frames, sentences)
    for q in quoted:
        frame, route = _frame_for(q, frame_index, sentences, text)
        if frame is None:
            loose.append(q)
            continue
        if route != "content" and _title_like(text[q.start:q.end]):
            continue                 # told ABC's "Good Morning America": a title, not words said
        key = id(frame)
        owned.setdefault(key, []).append(q)
        routes[key] = "content" if "content" in (routes.get(key), route) else route

    drafts: list[Draft] = []
    for frame in frames:
        pieces = owned.get(id(frame))
        if pieces:
            drafts.append(_draft_for_frame(frame, pieces, routes[id(frame)], text))
        elif frame.content:
            drafts.append(Draft("indirect", frame.content[0], frame.content[1], frame, "indirect"))
    drafts.sort(key=lambda d: d.start)
    drafts = _attach_loose(drafts, loose, doc, text)
    drafts = _merge_same_cue(drafts, text)
    _resolve_speakers(drafts, doc)
    return [_to_quote(d, text) for d in sorted(drafts, key=lambda d: d.start) if d.end > d.start]


def _attach_loose(drafts: list[Draft], loose: list[QuotedSpan], doc: Doc, text: str) -> list[Draft]:
    """Quoted spans no cue reports: a whole sentence after the speaker's quote continues it; else
    the verb the quote hangs on gives the speaker; else a long quotation stands unattributed;
    short ones and titles are scare quotes and dropped."""
    result = list(drafts)
    for q in loose:
        before = [d for d in result if d.end <= q.open_mark]
        previous = _main_report(max(before, key=lambda d: d.end, default=None), before)
        adjacent = _adjacent_frame(doc, text, q) or _sign_off_frame(doc, text, q)
        if adjacent is not None:
            kind = "direct" if _starts_sentence(q, text) else "mixed"
            result.append(Draft(kind, q.start, q.end, adjacent, "adjacent", [q]))
            continue
        if previous is not None and _interrupted(previous, q, text):
            previous.end = max(previous.end, q.end)   # ""…," X said, "…"": one quote
            previous.pieces.append(q)
            continue
        intro = _intro_frame(doc, text, q)
        if intro is not None:        # "Rubio fired back: "…"" (a cue the frames did not find)
            result.append(Draft("direct", q.start, q.end, intro, "colon", [q]))
            continue
        if previous is not None and _starts_sentence(q, text) and _continues(previous, q, text):
            if MERGE_CONTINUATION and previous.type != "indirect":
                previous.end = max(previous.end, q.end)
                previous.pieces.append(q)
                continue
            result.append(Draft("direct", q.start, q.end, None, "continuation", [q],
                                continues=previous.continues or previous))
            continue
        if _title_like(text[q.start:q.end]):
            continue
        frame = _governing_frame(doc, text, q)
        if frame is not None and len(text[q.start:q.end].split()) > 1:  # one word: scare quote
            kind = "direct" if _starts_sentence(q, text) and frame.cue.start > q.close_mark else "mixed"
            result.append(Draft(kind, q.start, q.end, frame, "governed", [q]))
        elif _sentence_like(q, text):
            result.append(Draft("direct", q.start, q.end, None, "none", [q]))
    return result


def _cue_of(draft: Draft):
    frame = draft.frame if draft.continues is None else draft.continues.frame
    return None if frame is None else (frame.cue.start, frame.cue.end)


def _merge_same_cue(drafts: list[Draft], text: str) -> list[Draft]:
    """Two pieces one cue reports within a paragraph are one quote: "accuses Trump of buying
    influence "in a pattern of sleaze"", ""…," she says, "…"" (the attribution is one event)."""
    merged: list[Draft] = []
    for draft in sorted(drafts, key=lambda d: d.start):
        previous = merged[-1] if merged else None
        cue = _cue_of(draft)
        if previous is not None and cue is not None and cue == _cue_of(previous) \
                and previous.end <= draft.start and "\n" not in text[previous.end:draft.start]:
            if previous.type != draft.type:
                previous.type = "mixed"
            previous.end = max(previous.end, draft.end)
            previous.pieces.extend(draft.pieces)
            continue
        merged.append(draft)
    return merged


def _main_report(draft: Draft | None, drafts: list[Draft]) -> Draft | None:
    """The quote a following quotation continues: for an aside on a speech verb (""…," Hedge
    said, referring to the resorts. "…""), the quote of that speech verb."""
    if draft is None or draft.type != "indirect" or draft.frame is None:
        return draft
    head = draft.frame.cue_token.head
    for other in drafts:
        if other.type != "indirect" and other.frame is not None and other.frame.cue_token.i == head.i:
            return other
    return draft


def _title_like(quoted: str) -> bool:
    """"Orange Is the New Black", "Meet the Press": every long word capitalised, no sentence end."""
    words = [w for w in quoted.split() if len(w) > 3 and w[:1].isalpha()]
    return (bool(words) and all(w[:1].isupper() for w in words)
            and quoted.rstrip(CLOSING + ",").rstrip()[-1:] not in SENTENCE_END)


def _to_quote(draft: Draft, text: str) -> Quote:
    frame = draft.frame if draft.continues is None else draft.continues.frame
    start, end = draft.start, draft.end
    return Quote(type=draft.type, text=text[start:end], start=start, end=end,
                 speaker=draft.speaker,
                 cue=frame.cue if frame is not None else None,
                 agency=frame.agency if frame is not None else None,
                 addressee=frame.addressee if frame is not None else None,
                 confidence=confidence(draft), rule=draft.route)
