"""Interview transcripts without quote marks: lines led by a speaker label.

    Q: How did the colony survive?          -> the interviewer's question
    A: I think the queen moved it deeper.   -> the interviewee's answer (roster.NameIndex.interviewee)
    Nick Bos: We counted them by hand.      -> a person the article names
    Wikinews: What comes next?              -> the interviewing outlet

A labelled line is a quote of its speaker, its words the rest of the line; the paragraphs
between two labelled lines continue the speaker before them. A text is read as a transcript only
when it holds a dialogue: at least two labelled lines by two different speakers (a lone
"Image: Jambula." or "Update: ..." line is no transcript, and neither names a speaker anyway).
Lines a quote of the other stages already covers are left to it. Reads the text and the roster
only; no parse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Quote, Speaker
from .rules import TRANSCRIPT, confidence_of
from .roster import ANONYMOUS, ORGANIZATION, PERSON, NameIndex, Person, is_interviewer_word

RULE = TRANSCRIPT.name
QUESTION_LABELS = frozenset({"q", "question", "interviewer"})
ANSWER_LABELS = frozenset({"a", "answer"})
UNRESOLVED_FACTOR = 0.7   # an answer by no one named ("A:" with no interviewee), a question by no outlet
MIN_TURNS = 2
# A line: a label of one to three capitalised words (or Q / A), a colon, then the words.
_LABELLED = re.compile(
    r"^[ \t]*(?P<label>(?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*){0,2})[ \t]*:[ \t]+(?P<words>\S[^\n]*?)[ \t]*$",
    re.MULTILINE)
_PARAGRAPH = re.compile(r"^[ \t]*(?P<words>\S[^\n]*?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Turn:
    speaker: Speaker
    start: int                       # the words' extent in the text
    end: int
    line: int                        # where its line starts (the label's line, or the paragraph)


def transcript_quotes(text: str, index: NameIndex, found: list[Quote]) -> list[Quote]:
    """The quotes of a transcript in the text (none when it holds no dialogue). A line holding
    quote marks that another stage read (a direct or mixed quote among `found`) is left to it; a
    reported thought inside an answer ("A: I think the queen moved it") stays beside the turn."""
    if ":" not in text:
        return []
    turns = [turn for turn in map(lambda m: _turn(m, index), _LABELLED.finditer(text)) if turn is not None]
    if len(turns) < MIN_TURNS or len({t.speaker.name for t in turns}) < 2:
        return []
    marked = [(q.start, q.end) for q in found if q.type != "indirect"]
    return [_quote(text, turn) for turn in _with_continuations(text, turns)
            if not any(turn.start < end and start < turn.end for start, end in marked)]


def _turn(match: re.Match, index: NameIndex) -> Turn | None:
    label = match.group("label")
    speaker = _speaker_of_label(index, label, match.start("label"))
    if speaker is None:
        return None
    return Turn(speaker, match.start("words"), match.end("words"), match.start())


def _speaker_of_label(index: NameIndex, label: str, start: int) -> Speaker | None:
    """Who a label names: the interviewer for Q, the interviewee for A, an outlet, or a person of
    the roster; None when the label names no one (so the line is no turn)."""
    lowered = label.lower().rstrip(".")
    end = start + len(label)
    if lowered in QUESTION_LABELS:
        return _as_speaker(index.interviewer, label, start, end, ORGANIZATION) \
            or Speaker("interviewer", label, start, end, ANONYMOUS)
    if lowered in ANSWER_LABELS:
        return _as_speaker(index.interviewee, label, start, end, PERSON) \
            or Speaker(label, label, start, end, PERSON)   # an answer by someone unnamed
    if is_interviewer_word(index.lex, label):
        known = index.lex.known_agency(label)
        return Speaker(known[0] if known else label, label, start, end, ORGANIZATION)
    person = index.by_full_name(label) or (index.by_surname(label, start) if " " not in label else None)
    return _as_speaker(person, label, start, end, PERSON)


def _as_speaker(person: Person | None, label: str, start: int, end: int, kind: str) -> Speaker | None:
    if person is None:
        return None
    return Speaker(person.name, label, start, end, person.kind or kind, person.title)


def _with_continuations(text: str, turns: list[Turn]) -> list[Turn]:
    """The turns, and each paragraph between two labelled lines as a turn of the speaker before."""
    found = list(turns)
    for before, after in zip(turns, turns[1:]):
        for paragraph in _PARAGRAPH.finditer(text, before.end, after.line):
            if paragraph.start("words") > before.end and paragraph.end("words") <= after.line:
                found.append(Turn(before.speaker, paragraph.start("words"), paragraph.end("words"),
                                  paragraph.start()))
    return sorted(found, key=lambda t: t.start)


def _quote(text: str, turn: Turn) -> Quote:
    speaker = turn.speaker
    named = speaker.kind != ANONYMOUS and speaker.name.lower().rstrip(".") not in ANSWER_LABELS
    return Quote(type="direct", text=text[turn.start:turn.end], start=turn.start, end=turn.end,
                 speaker=speaker, kind="speech", rule=RULE,
                 confidence=round(confidence_of(RULE) * (1.0 if named else UNRESOLVED_FACTOR), 3))
