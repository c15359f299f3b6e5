"""Interview transcripts without quote marks: lines led by a speaker label.

    Q: How did the colony survive?          -> the interviewer's question
    A: I think the queen moved it deeper.   -> the interviewee's answer (roster.NameIndex.interviewee)
    Nick Bos: We counted them by hand.      -> a person the article names
    Wikinews: What comes next?              -> the interviewing outlet

A labelled line is a quote of its speaker, its words the rest of the line; the paragraphs
between two labelled lines continue the speaker before them. A text is read as a transcript only
when it holds a dialogue (`_is_dialogue`): two speakers or more, one of them back for a second
turn, and mostly sentences; a lone "Image: Jambula." or "Update: ..." line is no transcript, and
neither names a speaker anyway.
Lines a quote of the other stages already covers are left to it, but for a transcript quoted
paragraph by paragraph, each paragraph opening with a quote mark and only the last one closing
(the press's way to quote several paragraphs): there the quote marks hold turns, and the turns,
not the one run-on quotation the marks make, are the quotes (`superseded`). Reads the text and the roster
only; no parse.

A headline led by a speaker's name ("Okafor: The city must fix its buses first") or an
evidence noun ("Poll: Ruiz and Okafor neck and neck") reports the rest of the line as that
speaker's (rule headline-label), typed indirect: headline quote marks are not a quotation's.

A pull quote has no label but a credit: a paragraph of first-person words without quote marks
that ends in the full name of a person the article names ("I was told to disconnect from her.
Valeska Paris") is that person's quote (rule credit-line), of type indirect: no quote marks hold it
(GUM's gold says so too).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import tree
from .records import Quote, Speaker
from .rules import CREDIT, HEADLINE, TRANSCRIPT, confidence_of
from .interviews import is_interviewer_word
from .name_runs import ANONYMOUS, ORGANIZATION, PERSON
from .roster import NameIndex, Person
from .vocab import DASHES

RULE = TRANSCRIPT.name
QUESTION_LABELS = frozenset({"q", "question", "interviewer"})
ANSWER_LABELS = frozenset({"a", "answer"})
UNRESOLVED_FACTOR = 0.7   # an answer by no one named ("A:" with no interviewee), a question by no outlet
MIN_TURN_WORDS = 4   # most turns of a dialogue are sentences, not labelled figures
# A line's words: from a non-space to the line's last character that is no space or tab. (Not
# a lazy run then `[ \t]*$`: that rescans a run of spaces inside the line from each of its
# spaces, quadratic on a long one.)
_LINE_WORDS = r"(?P<words>\S(?:[^\n]*[^ \t\n])?)[ \t]*$"
# A line: (an opening quote mark,) a label of one to three capitalised words (or Q / A), a
# colon, then the words.
_LABELLED = re.compile(
    r"^[ \t]*(?P<mark>[\"“])?(?P<label>(?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*){0,2})[ \t]*:[ \t]+" + _LINE_WORDS,
    re.MULTILINE)
# A credit: after a sentence's end, (a dash and) a name of two or three words ending the paragraph.
_CREDIT = re.compile(r"[.!?][ \t]+(?:[" + DASHES + r"][ \t]*)?"
                     r"(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,2})[ \t]*$", re.MULTILINE)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|[Ww]e|[Oo]ur|us)\b")
_QUOTE_MARKS = re.compile("[\"“”«»„]")
_PARAGRAPH = re.compile(r"^[ \t]*(?P<mark>[\"“])?" + _LINE_WORDS, re.MULTILINE)
_CLOSING_MARKS = "\"”"


@dataclass(frozen=True)
class Turn:
    speaker: Speaker
    start: int                       # the words' extent in the text
    end: int
    resolved: bool = True            # False: a label in capitals the roster does not know
    quoted: bool = False             # its paragraph opens with a quote mark (a quoted transcript)


def transcript_quotes(text: str, index: NameIndex, found: list[Quote]) -> list[Quote]:
    """The quotes of a transcript in the text (none when it holds no dialogue), and of credited
    paragraphs. A line holding quote marks that another stage read (a direct or mixed quote among
    `found`) is left to it; a reported thought inside an answer ("A: I think the queen moved it")
    stays beside the turn. A labelled headline is the headline's quote, no turn."""
    marked = [(q.start, q.end) for q in found if q.type != "indirect"]
    headline = _headline_quote(text, index, [(q.start, q.end) for q in found])
    return _labelled_quotes(text, index, marked, [(q.start, q.end) for q in headline]) \
        + _credited_quotes(text, index, marked) + headline


def _headline_quote(text: str, index: NameIndex, found: list[tuple[int, int]]) -> list[Quote]:
    """The headline's words after a label naming their speaker, unless a quote found there already
    reads them; none for a one-line text (no headline), a label that names no one, or a topic
    too short to say anything ("Rao: Budget Talks")."""
    first = index.headline
    line = _LABELLED.match(text, text.rfind("\n", 0, first[0]) + 1) if first is not None else None
    if line is None or line.group("mark"):
        return []
    label, start = line.group("label"), line.start("label")
    if label.lower() in index.lex.evidence_nouns:
        speaker = Speaker(label, label, start, line.end("label"), ANONYMOUS)
    else:
        speaker = _speaker_of_label(index, label, start)
    words = line.group("words").rstrip(".;: ")
    end = line.start("words") + len(words)
    if speaker is None or len(words.split()) < MIN_TURN_WORDS or _names_itself(speaker, words) \
            or tree.touches(found, (line.start("words"), end)):
        return []
    kind = "evidence" if speaker.kind == ANONYMOUS else "speech"
    return [Quote(type="indirect", text=words, start=line.start("words"), end=end, speaker=speaker, kind=kind,
                  rule=HEADLINE.name, confidence=confidence_of(HEADLINE.name))]


def _credited_quotes(text: str, index: NameIndex, marked: list[tuple[int, int]]) -> list[Quote]:
    """Pull quotes: first-person words with no quote marks, their paragraph ended by the full
    name of a person of the roster."""
    quotes = []
    for credit in _CREDIT.finditer(text):
        name, end = credit.group("name"), credit.start() + 1
        start = text.rfind("\n", 0, end) + 1
        while text[start] in " \t":
            start += 1
        words = text[start:end]
        person = index.by_full_name(name)
        if person is None or person.kind != PERSON or (person.name != name and name not in person.spellings) \
                or _QUOTE_MARKS.search(words) or not _FIRST_PERSON.search(words) \
                or any(start < b and a < credit.end() for a, b in marked):
            continue
        speaker = Speaker(person.name, name, credit.start("name"), credit.end("name"), PERSON, person.title)
        quotes.append(Quote(type="indirect", text=words, start=start, end=end,
                            speaker=speaker, kind="speech", rule=CREDIT.name, confidence=confidence_of(CREDIT.name)))
    return quotes


def _labelled_quotes(text: str, index: NameIndex, marked: list[tuple[int, int]],
                     headline: list[tuple[int, int]]) -> list[Quote]:
    """The labelled lines of a transcript but the headline's, and the paragraphs continuing
    them, as quotes."""
    if ":" not in text:
        return []
    lines = list(_LABELLED.finditer(text))
    turns = [turn for turn in (_turn(line, index) for line in lines) if turn is not None]
    turns = sorted((t for t in turns + _capital_turns(lines, turns) if not tree.touches(headline, (t.start, t.end))),
                   key=lambda t: t.start)
    if not _is_dialogue(text, turns):
        return []
    return [_quote(text, turn) for turn in _with_continuations(text, turns, [line.start() for line in lines])
            if turn.quoted or not tree.touches(marked, (turn.start, turn.end))]


def superseded(quote: Quote, found: list[Quote]) -> bool:
    """A quotation of the quote-mark stage over turns of a quoted transcript (`found`: this
    module's quotes): its marks open paragraphs, the turns say who said what."""
    return quote.type != "indirect" and any(
        t.rule == RULE and tree.overlap((quote.start, quote.end), (t.start, t.end)) > 0 for t in found)


def _capital_turns(lines: list[re.Match], turns: list[Turn]) -> list[Turn]:
    """The turns of labels in capitals the roster does not know ("JAKE TAPPER:",
    then "TAPPER:"): named as written, the short label after the full one it ends."""
    known = {t.start for t in turns}
    found = []
    for line in lines:
        label = line.group("label")
        if line.start("words") in known or not label.isupper() or len(label) < 2:
            continue
        name = next((t.speaker.name for t in found if t.speaker.name.endswith(" " + label.title())), label.title())
        speaker = Speaker(name, label, line.start("label"), line.end("label"), PERSON)
        found.append(_line_turn(speaker, line, resolved=False))
    return found


def _is_dialogue(text: str, turns: list[Turn]) -> bool:
    """A question and an answer (Q: / A:), or two named speakers, one of them back for a second
    turn, in mostly sentences: not a list of labelled figures ("Clinton: 1,769.") or of headings
    ("Jeb Bush: Student loans"), each name once."""
    labels = {t.speaker.text.lower().rstrip(".") for t in turns}
    if labels & QUESTION_LABELS and labels & ANSWER_LABELS:
        return True
    speakers = [t.speaker.name for t in turns]
    short = sum(len(text[t.start:t.end].split()) < MIN_TURN_WORDS for t in turns)
    return len(set(speakers)) >= 2 and len(set(speakers)) < len(speakers) and 2 * short <= len(turns)


def _turn(match: re.Match, index: NameIndex) -> Turn | None:
    label = match.group("label")
    speaker = _speaker_of_label(index, label, match.start("label"))
    if speaker is None or _names_itself(speaker, match.group("words")):
        return None
    return _line_turn(speaker, match)


def _line_turn(speaker: Speaker, line: re.Match, resolved: bool = True, marks_quote: bool = True) -> Turn:
    """The turn of a line's words; when its opening mark opens a quoted transcript's paragraph
    (`marks_quote`: not in a paragraph continuing a plain turn, where it opens a quotation of its
    own), without the mark that closes the last paragraph."""
    if line.group("mark") is None or not marks_quote:
        return Turn(speaker, line.start("mark") if line.group("mark") else line.start("words"),
                    line.end("words"), resolved)
    start, end = line.start("words"), line.end("words")
    if end - 1 > start and line.string[end - 1] in _CLOSING_MARKS:
        end -= 1
    return Turn(speaker, start, end, resolved, quoted=True)


def _names_itself(speaker: Speaker, words: str) -> bool:
    """"Ana Ruiz: Bus fares Last spring, Mayor Ana Ruiz proposed ...": words
    that name their own speaker by surname are about them, a heading, not their answer."""
    surname = speaker.name.split()[-1]
    return speaker.kind == PERSON and len(speaker.name.split()) > 1 \
        and re.search(r"\b%s\b" % re.escape(surname), words) is not None


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
        return Speaker(index.lex.outlet_name(label), label, start, end, ORGANIZATION)
    written = label.title() if label.isupper() else label   # "JAKE TAPPER:", "FALLIN:" in broadcast transcripts
    person = index.by_full_name(written) or (index.by_surname(written, start) if " " not in written else None)
    return _as_speaker(person, label, start, end, PERSON)


def _as_speaker(person: Person | None, label: str, start: int, end: int, kind: str) -> Speaker | None:
    if person is None:
        return None
    return Speaker(person.name, label, start, end, person.kind or kind, person.title)


def _with_continuations(text: str, turns: list[Turn], labelled: list[int]) -> list[Turn]:
    """The turns, and each paragraph between a turn and the next labelled line (`labelled`: where
    each starts) as a turn of the same speaker; a bracketed stage note ("(END VIDEO CLIP)") is none.
    In a quoted transcript the marks opening a turn's paragraphs continue one quotation: the turn
    runs to the end of its last paragraph."""
    found = []
    for turn in turns:
        stop = next((start for start in labelled if start > turn.end), None)
        # after the last labelled line the article may go on in prose
        paragraphs = [] if stop is None else [
            _line_turn(turn.speaker, paragraph, turn.resolved, marks_quote=turn.quoted)
            for paragraph in _PARAGRAPH.finditer(text, turn.end, stop)
            if paragraph.start("words") > turn.end and not paragraph.group("words").startswith(("(", "["))]
        if turn.quoted and paragraphs and all(p.quoted for p in paragraphs):
            found.append(replace(turn, end=paragraphs[-1].end))
        else:
            found += [turn] + paragraphs
    return sorted(found, key=lambda t: t.start)


def _quote(text: str, turn: Turn) -> Quote:
    speaker = turn.speaker
    named = turn.resolved and speaker.kind != ANONYMOUS and speaker.name.lower().rstrip(".") not in ANSWER_LABELS
    return Quote(type="direct", text=text[turn.start:turn.end], start=turn.start, end=turn.end,
                 speaker=speaker, kind="speech", rule=RULE,
                 confidence=round(confidence_of(RULE) * (1.0 if named else UNRESOLVED_FACTOR), 3))
