"""The assembly's rules, on character offsets only (no parse): which frame reports a quoted span,
and what becomes of quoted spans no frame reports. rules.py lists them in the order they are
tried; assemble.py runs them."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import NamedTuple, Sequence

from .learned import RULE as LEARNED_RULE
from .frame_parts import Frame, content_pieces
from .lexicon import INTENTION
from .quotemarks import (CLOSING, DOUBLE_MARKS, OPEN, SENTENCE_END, SINGLE_MARKS, QuotedSpan, colon_before,
                         next_word, title_like)
from .tree import overlap
from .vocab import DASHES, POSSESSIVE_ENDINGS, QUOTE_LEADS, S_CONTRACTIONS, TITLE_LEADS, TITLE_OF_NOUNS

MIN_UNATTRIBUTED_WORDS = 12      # shorter quoted spans with no frame are scare quotes or titles
MAX_CONTINUATION_GAP = 400       # chars between a quote and an unattributed one continuing it
MAX_INTERRUPTION = 120           # chars between a quote's closing mark and the cue interrupting it
# '"…," he said, but "…"': the second part is still the same quote. Not QUOTE_LEADS (which holds
# these two): those lead a new sentence ("now", "so", "then" do not join a part to its cue)
JOINING_WORDS = ("but", "and")
MAX_TITLE_WORDS = 8               # a longer title-cased quotation is a slogan or a sentence
MAX_ADJACENT_GAP = 60            # a cue in the next sentence counts only this close: ""…." Trump said."
OPENING_SINGLE = frozenset(mark for mark, role in SINGLE_MARKS.items() if role == OPEN)
LEAD_AFTER = ".!?"               # what ends the sentence before a quote's lead word
MAX_INTRO_TAIL = 40              # chars from a cue to the end of the sentence introducing a quotation


@dataclass
class Draft:
    """A quote being assembled (mutable until it becomes a records.Quote). `route` is the rule
    whose base confidence the quote gets; `rules` every rule that made or extended it."""
    type: str
    start: int
    end: int
    frame: Frame | None
    route: str
    pieces: list[QuotedSpan] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    speaker: object | None = None      # records.Speaker, set by the names stage
    fragments: list[tuple[int, int]] = field(default_factory=list)   # its words, when interrupted
    continues: "Draft | None" = None   # the attributed quote this one continues

    def add_rule(self, name: str) -> None:
        if name not in self.rules:
            self.rules.append(name)

    @property
    def source_frame(self) -> Frame | None:
        """The frame whose cue and speaker this quote carries (a continuation's: its quote's)."""
        return self.frame if self.continues is None else self.continues.frame

    def extend(self, quote: QuotedSpan, rule: str) -> None:
        self.end = max(self.end, quote.end)
        self.pieces.append(quote)
        self.add_rule(rule)


class Sentences:
    """Sentence lookup by char offset."""

    def __init__(self, starts: Sequence[int]):
        self.starts = list(starts) or [0]

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def _cue_span(frame: Frame) -> tuple[int, int]:
    return frame.cue.start, frame.cue.end


class FramesBySentence:
    """Frames listed under every sentence their cue or content touches, so that a quote is only
    compared with the frames around it: linear in the article, not quotes x frames."""

    def __init__(self, frames: Sequence[Frame], sentences: Sentences):
        self.order = {id(f): i for i, f in enumerate(frames)}
        self.by_sentence: dict[int, list[Frame]] = {}
        for f in frames:
            first = last = sentences.index(f.cue.start)
            if f.content:
                first = min(first, sentences.index(f.content[0]))
                last = max(last, sentences.index(max(f.content[0], f.content[1] - 1)))
            for i in range(first, last + 1):
                self.by_sentence.setdefault(i, []).append(f)

    def around(self, first: int, last: int) -> list[Frame]:
        """Frames touching sentences first..last, in document order."""
        found = {id(f): f for i in range(first, last + 1) for f in self.by_sentence.get(i, ())}
        return sorted(found.values(), key=lambda f: self.order[id(f)])


# --- text shapes --------------------------------------------------------------------------------

def starts_sentence(quote: QuotedSpan, text: str) -> bool:
    before = text[max(0, quote.open_mark - 200):quote.open_mark].rstrip()
    return not before or before.endswith("\n") or before[-1] in SENTENCE_END + CLOSING


def named_title(quote: QuotedSpan, text: str) -> bool:
    """'said on KXT's "Morning Loaf."', 'wrote in "The Long Field"': a short title-cased quotation
    right after "on", "in", a possessive or "the broadcast of" names a show, book or film, no words
    of a speaker (on PolNeAR train 12 such quotations were a fragment of a quote, none in gold's); a
    period inside its closing mark is the sentence's."""
    words = [word.lower() for word in text[max(0, quote.open_mark - 40):quote.open_mark].split()]
    lead = words[-1] if words else ""
    possessive = lead.endswith(POSSESSIVE_ENDINGS) and lead.replace("’", "'") not in S_CONTRACTIONS
    title_of = lead == "of" and len(words) > 1 and words[-2] in TITLE_OF_NOUNS
    if lead not in TITLE_LEADS and not possessive and not title_of:
        return False
    quoted = text[quote.start:quote.end].rstrip().rstrip(".")
    return len(quoted.split()) <= MAX_TITLE_WORDS and title_like(quoted)


def word_count(quote: QuotedSpan, text: str) -> int:
    return len(text[quote.start:quote.end].split())


# --- pairing a quoted span with the frame that reports it ---------------------------------------

class Neighbourhood(NamedTuple):
    """A quoted span with the frames around it (its sentences, the one before and the next one)."""
    quote: QuotedSpan
    text: str
    first: int                       # sentence index of the opening mark
    last: int                        # ... of the closing mark
    after: int                       # ... of the first word after it
    outside: list[Frame]             # nearby frames whose cue is not inside the quote
    sentences: Sentences

    @classmethod
    def of(cls, quote: QuotedSpan, index: FramesBySentence, sentences: Sentences, text: str):
        span = (quote.open_mark, quote.after)
        first, last = sentences.index(span[0]), sentences.index(max(span[0], span[1] - 1))
        after = sentences.index(next_word(text, span[1])) if span[1] < len(text) else last
        frames = index.around(max(0, first - 1), max(last, after))
        outside = [f for f in frames if not (span[0] <= f.cue.start < span[1])]
        return cls(quote, text, first, last, after, outside, sentences)


def _distance(span: tuple[int, int], cue: tuple[int, int]) -> int:
    if cue[0] >= span[1]:
        return cue[0] - span[1]
    if cue[1] <= span[0]:
        return (span[0] - cue[1]) + 1   # a cue after the quote wins a tie (news style)
    return 0


def in_content(near: Neighbourhood) -> Frame | None:
    """The frame whose content clause holds the quoted span ("Okafor said it's naive to believe
    that ... "quote"": the outer frame reports it all)."""
    q = near.quote
    holders = [f for f in near.outside if _words_overlap(f, (q.start, q.end)) > 0]
    outer = [f for f in holders if not any(g is not f and _words_overlap(g, (f.cue.start, f.cue.start + 1))
                                           for g in holders)]
    holders = outer or holders
    if not holders:
        return None
    span = (q.open_mark, q.after)
    return max(holders, key=lambda f: (_words_overlap(f, (q.start, q.end)), -_distance(span, _cue_span(f))))


def _words_overlap(frame: Frame, span: tuple[int, int]) -> int:
    """Characters of the span in the frame's words (not in an attribution interrupting them)."""
    return sum(overlap(words, span) for words in content_pieces(frame))


def follows(quote: QuotedSpan, frame: Frame, text: str) -> bool:
    """""…." Trump said." : the frame's speaker or cue comes first after the closing mark."""
    first = frame.cue.start if frame.source is None else min(frame.cue.start, frame.source.start_char)
    gap = text[quote.after:first]
    return first > quote.close_mark and len(gap) <= MAX_ADJACENT_GAP and not any(ch.isalnum() for ch in gap)


def _interrupts(quote: QuotedSpan, frame: Frame, text: str) -> bool:
    """"<quote>," X said, "<content>": the cue stands between this quote and its content, and the
    quote ends like a statement (not a term: 'To "route out" in this jargon refers to ...')."""
    ends = text[max(quote.start, quote.end - 1):quote.close_mark].strip()[-1:] + text[quote.after:quote.after + 1]
    words_after = content_pieces(frame)[-1][0]
    return (quote.close_mark < frame.cue.start and words_after > frame.cue.end
            and any(mark in ends for mark in ",.!?…" + DASHES)
            and frame.cue.start - quote.close_mark < MAX_INTERRUPTION
            and "\n" not in text[quote.close_mark:words_after])


def _line_between(frame: Frame, quote: QuotedSpan, text: str) -> bool:
    """A cue separated from the quote by a line break is not its cue."""
    if frame.cue.start >= quote.close_mark:
        return "\n" in text[quote.after:frame.cue.start]
    return "\n" in text[frame.cue.end:quote.open_mark]


def same_sentence(near: Neighbourhood) -> Frame | None:
    """The nearest cue in the quote's own sentence(s) (or the next sentence, when it follows the
    quote at once), whose content lies nowhere else."""
    q, text, index = near.quote, near.text, near.sentences.index
    found = [f for f in near.outside if near.first <= index(f.cue.start) <= max(near.last, near.after)
             and (not f.content or _interrupts(q, f, text))
             and not _line_between(f, q, text)
             and (index(f.cue.start) <= near.last or follows(q, f, text))]
    span = (q.open_mark, q.after)
    # a cue of the quote's own sentence waiting for words wins over the next sentence's cue that
    # has words of its own: 'proclaimed a goal of "Peace." He told them that ...'
    return min(found, key=lambda f: (bool(f.content) and index(f.cue.start) > near.last,
                                     _distance(span, _cue_span(f)))) if found else None


def cue_sentence_before(near: Neighbourhood) -> Frame | None:
    """"Okafor agreed. "…"": a content-less cue in the sentence right before a quotation that opens
    the next sentence, in the same paragraph, and that sentence quotes nothing itself. The cue of
    that sentence is nearer to the words than the speaker of an earlier quote they would continue.
    The quote's own sentence counts too: the parser often leaves the quotation in the cue's
    sentence ('Okafor agreed. "…"' as one sentence); the full stop right before the mark
    (_introduces) is what makes it the sentence before."""
    q, text = near.quote, near.text
    if not starts_sentence(q, text) or not _ends_statement(q, text):
        return None
    return _latest_bare_cue(near, lambda f, at: f.cue.end <= q.open_mark
                            and _introduces(text, near.sentences.starts[at], f, q))


def _latest_bare_cue(near: Neighbourhood, keep) -> Frame | None:
    """The latest content-less cue in the quote's sentence or the one before it that keep(frame,
    its sentence index) accepts: the cue nearest the quotation it introduces."""
    found = []
    for f in near.outside:
        at = near.sentences.index(f.cue.start)
        if not f.content and at in (near.first - 1, near.first) and keep(f, at):
            found.append(f)
    return max(found, key=lambda f: f.cue.start, default=None)


def _ends_statement(quote: QuotedSpan, text: str) -> bool:
    """The quoted words end their sentence and nothing after them signs them (""…," Hannity
    began." ends in a comma, ""…." ― Maria Lopez" has a signature: a speaker after the quote)."""
    after = text[quote.after:quote.after + 200].lstrip(" ")
    return (text[quote.start:quote.close_mark].rstrip(CLOSING + " ")[-1:] in SENTENCE_END
            and (not after or after[0] == "\n" or after[0].isupper() or after[0] in DOUBLE_MARKS))


def _introduces(text: str, sentence_start: int, frame: Frame, quote: QuotedSpan) -> bool:
    """The cue's sentence ends with a full stop right before the quotation, holds no quote marks
    and no line break (a cue that already reports a quotation of its own sentence is not this).
    Closing single marks are apostrophes as often as quote marks ("Valdoria College's"): not counted."""
    tail = text[frame.cue.end:quote.open_mark].rstrip()
    whole = text[sentence_start:quote.open_mark]
    return (tail.endswith(".") and len(tail) <= MAX_INTRO_TAIL
            and "\n" not in text[frame.cue.start:quote.open_mark]
            and not any(ch in DOUBLE_MARKS or ch in OPENING_SINGLE for ch in whole) and "''" not in whole)


def cue_before_colon(near: Neighbourhood) -> Frame | None:
    """"X said:" right before the quote: a content-less cue before the colon, in the quote's
    sentence or the one before."""
    colon = colon_before(near.text, near.quote.open_mark)
    if colon is None:
        return None
    return _latest_bare_cue(near, lambda f, at: f.cue.start < colon)


# --- quoted spans no frame reports --------------------------------------------------------------

def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def words_outside(content: tuple[int, int], pieces: Sequence[QuotedSpan], text: str) -> bool:
    """Does the content clause have words outside the quote marks (mixed quote)?"""
    pos = content[0]
    for q in sorted(pieces, key=lambda q: q.open_mark):
        if q.open_mark > pos and _has_words(text[pos:min(q.open_mark, content[1])]):
            return True
        pos = max(pos, q.after)
    return pos < content[1] and _has_words(text[pos:content[1]])


def interrupted(previous: Draft | None, quote: QuotedSpan, text: str) -> bool:
    """""…," Smith said on Tuesday, "…"": the previous quote's own cue stands between the two
    quoted parts, in the same sentence, and the second part opens after a comma or colon."""
    if previous is None or previous.type != "direct" or previous.frame is None:
        return False
    if not previous.end <= previous.frame.cue.start < quote.open_mark:
        return False
    gap = text[previous.end:quote.open_mark]
    closing = max(previous.pieces, key=lambda q: q.close_mark).after
    between = _without_joining_word(text[closing:quote.open_mark].rstrip())
    return ("\n" not in gap and len(between) <= MAX_INTERRUPTION
            and between[-1:] in (",", ":") and not any(c in ".!?" for c in between))


def _without_joining_word(between: str) -> str:
    """'"…," he said, but "…"': the words between the two parts without the "but" or "and" that
    joins the second part to the cue."""
    head, _, last = between.rpartition(" ")
    return head.rstrip() if last.lower() in JOINING_WORDS else between


def continues(previous: Draft | None, quote: QuotedSpan, text: str) -> bool:
    """Does this unattributed quoted sentence follow the previous quote's speaker (news style):
    in the same paragraph, or opening the next paragraph?"""
    if previous is None or not (starts_sentence(quote, text) or _short_lead(quote, text)):
        return False
    source = previous.source_frame
    if source is None or source.source is None or previous.end > quote.open_mark:
        return False
    if source.kind == INTENTION:   # "Moscow wants to show ...": an aim, no words to go on with
        return False
    if source.rule.split("+")[0] == LEARNED_RULE:
        return False               # "Washington is wary of ...": the learned layer's cues name no speaking

    gap = text[previous.end:quote.open_mark]
    if len(gap) > MAX_CONTINUATION_GAP:
        return False
    # lines after the first are blank lines and the quote's own line up to its opening mark
    return not any(line.strip() for line in gap.split("\n")[1:])


def _short_lead(quote: QuotedSpan, text: str) -> bool:
    """'But "…"', 'Now, "…"': a sentence led by one connective (vocab.QUOTE_LEADS) and
    then the quotation is still an unattributed quoted sentence."""
    before = text[max(0, quote.open_mark - 200):quote.open_mark].rstrip()
    lead = before.split()[-1] if before.strip() else ""
    if lead.strip(",").lower() not in QUOTE_LEADS:
        return False
    head = before[:len(before) - len(lead)]
    tail = head.rstrip()
    # a full stop ends what precedes the lead, also inside a closing mark ('….” But “…”'; a closing
    # mark alone does not: '"rapists" and "…"'), and so does a line break (a heading with none)
    end = tail.rstrip(CLOSING)[-1:]
    return (end != "" and end in LEAD_AFTER) or "\n" in head[len(tail):]


def sentence_like(quote: QuotedSpan, text: str) -> bool:
    return word_count(quote, text) >= MIN_UNATTRIBUTED_WORDS


def main_report(draft: Draft | None, drafts: list[Draft]) -> Draft | None:
    """The quote a following quotation continues: for an aside on a speech verb (""…," Hedge
    said, referring to the resorts. "…"") or on its speaker (""…," said Hedge, who has fished
    there for years. "…""), the quote of that speech verb."""
    if draft is None or draft.type != "indirect" or draft.frame is None:
        return draft
    for other in drafts:
        if other.type != "indirect" and other.frame is not None and _aside_of(draft.frame, other.frame):
            return other
    return draft


def _aside_of(aside: Frame, report: Frame) -> bool:
    """Whether a frame hangs on another's cue or on its speaker (a relative clause describing him)."""
    return aside.head_i == report.cue_i or (report.source is not None and aside.head_i == report.source.root.i)


def cue_of(draft: Draft) -> tuple[int, int] | None:
    frame = draft.source_frame
    return None if frame is None else (frame.cue.start, frame.cue.end)


def same_cue(draft: Draft, previous: Draft) -> bool:
    """One cue reports both: the same cue, or for two quotations the same cue word, whose two
    rules may end the cue apart ("has gone after Trump as a “…” and a “…”": "has gone after",
    "has gone")."""
    cue, before = cue_of(draft), cue_of(previous)
    if cue is None or before is None:
        return False
    return cue == before or (cue[0] == before[0] and bool(draft.pieces) and bool(previous.pieces))


def merge_same_cue(drafts: list[Draft], text: str) -> list[Draft]:
    """Two pieces one cue reports within a paragraph are one quote: "accuses the mayor of trading
    favours "in a culture of cronyism"", ""…," she says, "…"" (the attribution is one event)."""
    merged: list[Draft] = []
    for draft in sorted(drafts, key=lambda d: d.start):
        previous = merged[-1] if merged else None
        if previous is not None and same_cue(draft, previous) \
                and previous.end <= draft.start and "\n" not in text[previous.end:draft.start]:
            if previous.type != draft.type:
                previous.type = "mixed"
            previous.end = max(previous.end, draft.end)
            previous.pieces.extend(draft.pieces)
            continue
        merged.append(draft)
    return merged
