"""The assembly stage: quoted spans + frames -> draft quotes, on character offsets only.

Reads top-down:
  1. frames in section titles, or with their cue inside quotation marks, are set aside
     (a cue inside quotation marks is part of what the speaker said);
  2. every quoted span is paired with the frame that reports it by the first pair rule that finds
     one (rules.PAIR_RULES: the frame whose content holds it, a cue in its sentence, a cue before
     the colon introducing it);
  3. a frame's quoted spans become one quote: `direct` when the content is all in quote marks
     (interrupted quotes "...," he said, "..." are one quote), `mixed` when the content clause has
     words outside the marks; frames with content and no quote marks give `indirect` quotes;
  4. quoted spans no frame reports go through rules.LOOSE_RULES in order: a frame anchored on the
     quote (the words after it, a sign-off, an introduction, the verb it hangs on), a merge with
     the quote it interrupts or continues, a drop (titles, scare quotes), or an unattributed quote;
  5. pieces one cue reports within a paragraph are merged into one quote.
"""
from __future__ import annotations

from typing import Sequence

from . import rules
from .attach import (Draft, FramesBySentence, Neighbourhood, Sentences, follows, main_report,
                     merge_same_cue, named_title, starts_sentence, title_like, word_count, words_outside)
from .frame_parts import Frame, content_pieces
from .quotemarks import QuotedSpan
from .tree import inside, isolated


def assemble(text: str, sentence_starts: Sequence[int], sections: Sequence[tuple[int, int]],
             quoted: Sequence[QuotedSpan], frames: Sequence[Frame],
             anchored: Sequence[dict[str, Frame]]) -> list[Draft]:
    """Draft quotes of one article in document order (speakers are the names stage's job)."""
    regions = [(q.open_mark, q.after) for q in quoted]
    frames = [f for f in frames if not inside(sections, f.cue.start, f.cue.end)
              and not inside(regions, f.cue.start, f.cue.end)]
    refusals = [f for f in frames if f.kind == rules.NO_COMMENT]   # records of their own, no words
    frames = [f for f in frames if f.kind != rules.NO_COMMENT]
    sentences = Sentences(sentence_starts)
    owned, routes, loose = _pair(text, quoted, frames, sentences)
    drafts: list[Draft] = []
    for frame in frames:
        pieces = owned.get(id(frame))
        if pieces:
            drafts.append(_draft_for_frame(frame, pieces, routes[id(frame)], text))
        elif frame.content:
            drafts.append(Draft("indirect", frame.content[0], frame.content[1], frame,
                                rules.INDIRECT.name, rules=[frame.rule]))
    drafts.sort(key=lambda d: d.start)
    drafts = _attach_loose(drafts, loose, anchored, text)
    return sorted(merge_same_cue(drafts, text) + [_no_comment(f) for f in refusals], key=lambda d: d.start)


def _no_comment(frame: Frame) -> Draft:
    """A refusal's record: its cue and speaker, an empty span right after the cue."""
    return Draft("indirect", frame.cue.end, frame.cue.end, frame, rules.REFUSED.name, rules=[frame.rule])


def _pair(text, quoted, frames, sentences):
    """({frame id: its quoted spans}, {frame id: pair rule}, [(index, quoted span) no frame reports])."""
    owned: dict[int, list[QuotedSpan]] = {}
    routes: dict[int, str] = {}
    loose: list[tuple[int, QuotedSpan]] = []
    index = FramesBySentence(frames, sentences)
    for k, q in enumerate(quoted):
        frame, rule = isolated(_paired, (None, None), q, index, sentences, text)
        if frame is None:
            loose.append((k, q))
            continue
        # a title is no quote of the frame ('told ABC's "Good Morning America"'): a named one, or
        # words set like one that the cue does not follow ('"Yes," she said': words); one the
        # frame's content holds stays ('said a role on "Night Shift" was ...': its quote is mixed)
        if rule != rules.IN_CONTENT and (named_title(q, text) or (title_like(text[q.start:q.end])
                                                                  and not follows(q, frame, text))):
            continue
        owned.setdefault(id(frame), []).append(q)
        routes[id(frame)] = rules.IN_CONTENT if rules.IN_CONTENT in (routes.get(id(frame)), rule) else rule
    return owned, routes, loose


def _paired(q: QuotedSpan, index, sentences, text) -> tuple[Frame | None, str | None]:
    near = Neighbourhood.of(q, index, sentences, text)
    return next(((f, rule.name) for rule in rules.PAIR_RULES
                 for f in (rule.finder(near),) if f is not None), (None, None))


def _draft_for_frame(frame: Frame, pieces: list[QuotedSpan], route: str, text: str) -> Draft:
    names = [frame.rule] + ([route] if route != rules.IN_CONTENT else [])
    starts, ends = [q.start for q in pieces], [q.end for q in pieces]
    content = frame.content
    if content and route == rules.IN_CONTENT and any(words_outside(words, pieces, text)
                                                     for words in content_pieces(frame)):
        return Draft("mixed", min([content[0]] + starts), max([content[1]] + ends), frame,
                     route, pieces, names)
    return Draft("direct", min(starts), max(ends), frame, route, pieces, names)


def _attach_loose(drafts: list[Draft], loose, anchored, text: str) -> list[Draft]:
    """Each quoted span no frame reports, through the loose rules in order."""
    result = list(drafts)
    for k, q in loose:
        before = [d for d in result if d.end <= q.open_mark]
        previous = main_report(max(before, key=lambda d: d.end, default=None), before)
        for rule in rules.LOOSE_RULES:
            if isolated(_applied, True, rule, q, anchored[k], previous, result, text):
                break
    return result


def _applied(rule, q: QuotedSpan, anchored: dict[str, Frame], previous: Draft | None,
             result: list[Draft], text: str) -> bool:
    """Apply one loose rule to a quoted span; False when it does not apply."""
    if rule.stage == "quote":
        frame = anchored.get(rule.name)
        if frame is None or word_count(q, text) < rule.min_words:
            return False
        if frame.content is not None:   # the words the quotation names run from before it: "X as “...”"
            start, end = min(frame.content[0], q.start), max(frame.content[1], q.end)
            result.append(Draft("mixed", start, end, frame, rule.name, [q], [frame.rule]))
            return True
        kind = rule.quote_type or (
            "direct" if starts_sentence(q, text) and frame.cue.start > q.close_mark else "mixed")
        result.append(Draft(kind, q.start, q.end, frame, rule.name, [q], [frame.rule]))
        return True
    if not rule.finder(previous, q, text):
        return False
    if rule.effect == "merge" or (rule.effect == "continue" and previous.type != "indirect"):
        previous.extend(q, rule.name)
    elif rule.effect == "continue":   # after reported speech: a quote of its own, same speaker
        result.append(Draft("direct", q.start, q.end, None, rule.name, [q], [rule.name],
                            continues=previous.continues or previous))
    elif rule.effect == "stand-alone":
        result.append(Draft("direct", q.start, q.end, None, rule.name, [q], [rule.name]))
    return True                      # "drop": a scare quote or title, gone
