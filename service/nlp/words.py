"""The quote's exact words, the stage after names (offsets only): inner quote marks balanced, and
no attribution inside a quote's words. An interrupted quote ("…," she said, "…") keeps its whole
extent in start/end and gets its words as `fragments`, without the attribution between them."""
from __future__ import annotations

from .attach import Draft
from .vocab import DASHES

QUOTE_MARKS = frozenset("\"'“”„‟‘’‚‛«»‹›")
SEPARATORS = frozenset(" \t\r\n,;:" + DASHES) | QUOTE_MARKS


def exact_words(draft: Draft, text: str) -> None:
    """Set the draft's start, end and fragments to its words."""
    inside = [span for span in _attribution(draft) if draft.start <= span[0] and span[1] <= draft.end]
    if not inside:
        draft.start, draft.end = balanced(draft, draft.start, draft.end)
        return
    if draft.type == "direct":       # all its words are in quote marks: the quoted pieces
        segments = sorted((q.start, q.end) for q in draft.pieces
                          if draft.start <= q.start and q.end <= draft.end)
    else:
        cut = _around(text, draft.start, draft.end, min(s for s, _ in inside), max(e for _, e in inside))
        segments = [balanced(draft, *_without_edge_marks(text, *s)) for s in cut]
    segments = [s for s in segments if s[1] > s[0] and any(ch.isalpha() for ch in text[s[0]:s[1]])]
    if not segments:                 # nothing but its own attribution: no quote
        draft.end = draft.start
        return
    draft.start, draft.end = segments[0][0], segments[-1][1]
    draft.fragments = segments if len(segments) > 1 else []


def balanced(draft: Draft, start: int, end: int) -> tuple[int, int]:
    """The extent with every quote mark of the draft's pieces paired: words that open a quotation
    also hold its closing mark ('would be "kept under review"'), words that close one its opening
    mark."""
    for q in draft.pieces:
        if start <= q.open_mark < end <= q.close_mark:
            end = q.after
        if q.open_mark < start <= q.close_mark < end:
            start = q.open_mark
    return start, end


def _without_edge_marks(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in QUOTE_MARKS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in QUOTE_MARKS or text[end - 1].isspace()):
        end -= 1
    return start, end


def _attribution(draft: Draft) -> list[tuple[int, int]]:
    """The spans of the quote's own cue and speaker mention, and of the attribution its frame
    says interrupts its words."""
    frame = draft.source_frame
    spans = [] if frame is None else [(frame.cue.start, frame.cue.end), frame.interruption]
    if draft.speaker is not None and draft.continues is None:
        spans.append((draft.speaker.start, draft.speaker.end))
    return [span for span in spans if span is not None]


def _around(text: str, start: int, end: int, first: int, last: int) -> list[tuple[int, int]]:
    """[start, end) without the attribution first..last and the separators around it; a quote
    mark next to it goes with it (it closes or opens the words on its side)."""
    while first > start and text[first - 1] in SEPARATORS:
        first -= 1
        if text[first] in QUOTE_MARKS:   # it closes the words before
            break
    while last < end and text[last] in SEPARATORS:
        last += 1
        if text[last - 1] in QUOTE_MARKS:   # it opens the words after
            break
    return [(s, e) for s, e in ((start, first), (last, end)) if e > s]
