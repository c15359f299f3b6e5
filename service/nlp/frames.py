"""The frames stage: every reporting frame of a parsed article, and the frames anchored on its
quoted spans. All reading of the dependency parse happens in this stage (here and in the rule
modules it runs); the assembly after it works on character offsets only.

Reads top-down:
  1. candidate tokens: words that can start a cue (found with one vectorised lookup);
  2. each candidate is read by the first trigger that takes it, and that trigger's rules are tried
     in registry order (rules.py): the first frame found wins and carries the rule's name;
  3. frames inside another frame's content are dropped (news counts the outer report);
  4. a frame whose speaker is missing or inside a quotation gets one from the source repairs, and
     a verb's frame without an agency gets the first relay rule's (the outlet it came through);
  5. for every quoted span, the quote rules' frames (used by the assembly when no frame holds it);
  6. the learned layer's frames (learned.py) for predicates no rule read, away from the
     quotations a quote rule reads;
  7. every frame's cue and content divided as PolNeAR divides them (the words between cue and
     content; a raising verb's subject as the content's first piece).
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Sequence

from spacy.tokens import Span, Token

from . import rules, tree
from .frame_parts import (Frame, Reading, content_pieces, cue_meets_content, hearers_participle, judged_subject,
                          source_phrase, wanted_speaker)
from .learned import RulesRead, learned_frames
from .learned_model import AttributionModel
from .lexicon import BELIEF, OBJECT, QUOTING, SPEECH
from .quotemarks import QuotedSpan
from .vocab import RELATIVE_PRONOUNS, RELATIVE_SUBJECTS, VERB_POS

RAISED_COMPLEMENTS = frozenset({"xcomp", "oprd", "acomp", "attr"})   # "seems [to care]", "[ready]", "[a reminder]"


def find_frames(r: Reading) -> list[Frame]:
    """Every reporting frame the rules find in the doc, in document order. Never raises: a token
    whose parse trips a rule loses its frame, not the article."""
    found = [f for f in (tree.isolated(frame_at, None, r, token) for token in _candidates(r)) if f is not None]
    found = [with_agency(r, f) for f in found]
    # a "saying" or a relaying "reported" absorbed after its own frame was made
    found = [f for f in found if f.cue_i not in r.absorbed]
    return [with_source(r, f) for f in without_nested(r.doc, found)]


def with_learned(r: Reading, frames: list[Frame], read: RulesRead, model: AttributionModel | None) -> list[Frame]:
    """The rules' frames and those the learned layer adds where the rules read nothing, in
    document order, the words between each cue and its content divided as PolNeAR divides them
    (with_cue_end, after the learned layer has read the rules' frames)."""
    learned = tree.isolated(learned_frames, [], r, read, model)
    added = [with_source(r, stamped(r, f, rules.MODEL)) for f in learned]
    return [with_relative_lead(r, with_judged_subject(r, with_raised_subject(r, with_cue_end(r, f))))
            for f in sorted(frames + added, key=lambda f: f.cue_i)]


def with_cue_end(r: Reading, frame: Frame) -> Frame:
    """The frame with the words between its cue and its content where PolNeAR puts them
    ("spoke favorably [of] the plan", "called [for] all to leave": frame_parts.cue_meets_content)."""
    if frame.content is None:
        return frame
    cue, content = cue_meets_content(r, frame.cue, frame.content)
    return frame._replace(cue=cue, content=content)


def with_raised_subject(r: Reading, frame: Frame) -> Frame:
    """"Trump is expected to deliver a speech", "The plan appears to be dead": the subject of a
    raising verb (word_lists.txt raising_verbs, raising_passives) is what is attributed, not who
    attributes it. The content runs from the subject to the complement's end, the cue between
    them its interruption; the source is the passive's "by" agent, if any. Only for a cue that is
    the verb alone ("seemed to blame the network" keeps its subject's speaker). An "it" that
    stands for a clause ("It seems likely [that ...]") is no one's: no source."""
    verb = r.doc[frame.cue_i]
    if not _content_after_cue(frame) or frame.cue.end != verb.idx + len(verb):
        return frame
    subject, agent = tree.subject(verb), tree.agent(verb)
    if subject is None or subject.i > verb.i:
        return frame
    words = r.doc[subject.i:subject.i + 1] if subject.lower_ in RELATIVE_SUBJECTS else source_phrase(subject)
    if _stands_for_clause(r, verb, subject):
        return frame._replace(source=None) if _speaks_as(frame.source, (words,)) else frame
    agent_phrase = source_phrase(agent) if agent is not None else None
    if not _raises(r, verb) or not _speaks_as(frame.source, (words, agent_phrase)):
        return frame
    return _led_by(frame, words.start_char, words.end_char, source=agent_phrase)


def with_judged_subject(r: Reading, frame: Frame) -> Frame:
    """"[Mr. Ruiz] was accused of [lying]": the subject of a passive verb of judging is what is
    judged (frame_parts.judged_subject), the content's first piece, the cue between them its
    interruption, and never the source. For the rules' frames and the learned layer's alike (on
    PolNeAR train the gold holds the subject for 9 of 10 rule frames, 71 of 79 learned ones)."""
    subject = judged_subject(r.lex, r.doc[frame.cue_i]) if _content_after_cue(frame) else None
    if subject is None:
        return frame
    source = None if frame.source is not None and _speaks_as(frame.source, (subject,)) else frame.source
    if tree.inside(r.quoted, *frame.content):    # a quotation's words alone stay a direct quote
        return frame._replace(source=source)
    return _led_by(frame, subject.start_char, subject.end_char, source=source)


def with_relative_lead(r: Reading, frame: Frame) -> Frame:
    """"her vote, [which] she has said [was a mistake]": the relative pronoun just before the
    attribution, when the content holds its head, is part of the content as PolNeAR marks it (a
    first fragment on PolNeAR train: "which" 62 times, "what" 45, "who" 36, "that" 34); the
    attribution between them is the content's interruption. One that is the speaker ("who
    said ...") is not."""
    pronoun = _relative_before(r, r.doc[frame.cue_i], frame.content) if _content_after_cue(frame) else None
    return frame if pronoun is None else _led_by(frame, pronoun.idx, pronoun.idx + len(pronoun))


def _content_after_cue(frame: Frame) -> bool:
    """Whether the frame's content is one piece after its cue (what the leads above may extend)."""
    return frame.content is not None and frame.interruption is None and frame.content[0] >= frame.cue.end


def _led_by(frame: Frame, start: int, end: int, **changes) -> Frame:
    """The frame whose content starts with the words [start, end) before its cue: the cue and
    what stands between them are the content's interruption."""
    return frame._replace(content=(start, frame.content[1]), interruption=(end, frame.content[0]), **changes)


def _relative_before(r: Reading, verb: Token, content: tuple[int, int]) -> Token | None:
    """The relative pronoun that opens the verb's phrase (the parser often makes it the verb's
    object: "which she said [was a mistake]") or stands just before it, if it belongs to the
    content."""
    first = verb.left_edge
    for pronoun in (first, r.doc[first.i - 1] if first.i else None):
        if pronoun is not None and pronoun.tag_ in ("WDT", "WP") and pronoun.lower_ in RELATIVE_PRONOUNS \
                and (content[0] <= pronoun.head.idx < content[1]
                     or _object_of_clause_verb(pronoun, verb, content)):
            return pronoun
    return None


def _object_of_clause_verb(pronoun: Token, verb: Token, content: tuple[int, int]) -> bool:
    """"which she said [was a mistake]", "what they described [as biased]": the pronoun is the
    object of a verb whose clause or "as" phrase is the content."""
    held = [c for c in verb.children if c.dep_ == "ccomp"] + \
        [c.right_edge for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"]
    return pronoun.head == verb and pronoun.dep_ == "dobj" and any(content[0] <= t.idx < content[1] for t in held)


def _speaks_as(source: Span | None, phrases: Sequence[Span | None]) -> bool:
    """Whether a frame's source is none or overlaps one of the phrases (the learned layer's
    source may be a word of the subject's phrase: "The senator from [Florida]")."""
    return source is None or any(p is not None and tree.overlap((source.start, source.end), (p.start, p.end))
                                 for p in phrases)


def _raises(r: Reading, verb: Token) -> bool:
    """A raising verb before a complement that reports nothing itself: "appears to be dead", "is
    expected to win", "seemed fixated on", "seems ready for"; not "seemed to say", "is expected to
    argue" (the subject speaks). Seem and appear take an adjective or a noun too."""
    if verb.lower_ in r.lex.words["raising_verbs"]:
        complement = next((c for c in verb.children if c.dep_ in RAISED_COMPLEMENTS), None)
    elif verb.lower_ in r.lex.words["raising_passives"] and tree.child_with(verb, "auxpass") is not None:
        complement = tree.child_with(verb, "xcomp")
    else:
        return False
    if complement is None or complement.dep_ != "xcomp":
        return complement is not None       # "seems [ready]", "seemed [a reminder]"
    return complement.pos_ in VERB_POS and r.lex.kind_of_word(complement.lower_) is None


def _stands_for_clause(r: Reading, verb: Token, subject: Token) -> bool:
    """"It seems likely [that ...]", "It appears [that ...]": an "it" before seem or appear with
    no infinitive stands for a clause."""
    return subject.lower_ == "it" and verb.lower_ in r.lex.words["raising_verbs"] \
        and tree.child_with(verb, "xcomp") is None


def frame_at(r: Reading, token: Token) -> Frame | None:
    """The frame at a candidate token: the first trigger that reads it, its first rule that finds one."""
    for trigger in rules.TRIGGERS:
        subject = trigger.read(r, token)
        if subject is None:
            continue
        for rule in trigger.rules:
            frame = _apply(rule, r, token, subject)
            if frame is not None:
                return stamped(r, frame, rule)
        return None
    return None


def _apply(rule: rules.Rule, r: Reading, token: Token, subject) -> Frame | None:
    if rule.stage == "pattern":   # its tree pattern matched at this token: the first match
        matches = r.matches.get(rule.name, {}).get(token.i)
        return rule.finder(r, matches[0]) if matches else None
    return rule.finder(r, subject)


def stamped(r: Reading, frame: Frame, rule: rules.Rule) -> Frame:
    """The frame with its rule's name, what it attributes, and whether its words are wanted
    rather than said."""
    return frame._replace(rule=rule.name, kind=rule.kind or attribution_kind(r, frame, rule),
                          wanted=wanted_speaker(r.lex, r.doc[frame.cue_i]) is not None)


# what a cue's lexicon kind attributes
KIND_OF_CUE = {SPEECH: "speech", QUOTING: "speech", BELIEF: "thought", OBJECT: "stance"}


def attribution_kind(r: Reading, frame: Frame, rule: rules.Rule) -> str:
    """speech / thought / stance / intention / action / evidence, from the cue and the source: "a
    poll shows" is evidence, "criticized" a stance, "believes" a thought, "plans to" an intention,
    "voted to" an action (the cue's list, or its lemma or form in cue_kinds.txt); an adjective the
    learned layer reads is a state of mind ("concerned that", "wary of"); other cues outside the
    lexicon are speech."""
    if rule.name == "evidence-object" or (frame.source is not None
                                          and frame.source.root.lower_ in r.lex.evidence_nouns):
        return "evidence"
    if rule.name == "speech-noun-prep":
        return "stance"          # "the mayor's attacks on the governor"
    verb = frame.cue.lemma.split()[0]   # "call for" -> call
    lemma = r.lex.verb_lemma(verb) or verb
    known = r.lex.cue_kind(lemma) or KIND_OF_CUE.get(r.lex.verb_kind(lemma))
    if known is None and rule is rules.MODEL and r.doc[frame.cue_i].pos_ == "ADJ":
        return "thought"
    return known or "speech"


def _candidates(r: Reading) -> list[Token]:
    """Tokens that are cue words of the lexicon or the cue of a frame rule's pattern match, in order;
    not a verb that reports nothing ("That said, ...", "Do you think ...?": frame_parts.silent_verbs)."""
    found = set(tree.positions_of(r.doc, r.lex.cue_hashes))
    found.update(i for rule, by_cue in r.matches.items() if rule in rules.FRAME_PATTERNS for i in by_cue)
    return [r.doc[i] for i in sorted(found - r.silent)]


def with_agency(r: Reading, frame: Frame) -> Frame:
    """A verb's frame with no agency gets the first relay rule's (rules.RELAYS), if any."""
    if frame.agency is not None or r.doc[frame.cue_i].pos_ not in VERB_POS:
        return frame
    for relay in rules.RELAYS:
        found = relay.finder(r, r.doc[frame.cue_i])
        if found is not None:
            return _before_relay(r, frame._replace(agency=found, rule=f"{frame.rule}+{relay.name}"))
    return frame


def _before_relay(r: Reading, frame: Frame) -> Frame:
    """The frame's content without the relay after its cue, when the parse made the outlet's verb
    the sentence's head ("The talks will resume, the minister said, [state television reported]")."""
    agency, content = frame.agency, frame.content
    if content is None or not frame.cue.end <= agency.start < content[1]:
        return frame
    if frame.interruption is not None and frame.interruption[1] >= agency.start:
        cut = tree.trim(r.text, content[0], frame.interruption[0])
        return frame._replace(content=cut, interruption=None) if cut is not None else frame
    cut = tree.trim(r.text, content[0], agency.start)
    return frame._replace(content=cut) if cut is not None else frame


def with_source(r: Reading, frame: Frame) -> Frame:
    """A frame whose source is a document gets the document's issuer; one whose source is missing
    or inside quotation marks gets the first source repair that finds one (or none)."""
    issuer, *positional = rules.SOURCE_REPAIRS
    source = frame.source
    if source is not None and source.root.lower_ in r.lex.kind_words("document"):
        found = issuer.finder(r, source.root)
        return frame if found is None else frame._replace(source=found, rule=f"{frame.rule}+{issuer.name}")
    if source is not None and not tree.inside(r.quoted, source.start_char, source.start_char + 1):
        return frame
    cue = r.doc[frame.cue_i]
    if hearers_participle(r.lex, cue):
        return frame._replace(source=None)   # the asker of "Asked whether ..., Johnson said" is unnamed
    for repair in positional:
        found = repair.finder(r, cue)
        if found is not None:
            return frame._replace(source=found, rule=f"{frame.rule}+{repair.name}")
    return frame._replace(source=None)


def quote_frames(r: Reading, quoted: Sequence[QuotedSpan]) -> list[dict[str, Frame]]:
    """For each quoted span, {quote rule name: its frame} for the quote rules that find one."""
    anchored = []
    for quote in quoted:
        found = {}
        for rule in rules.QUOTE_RULES:
            frame = tree.isolated(rule.finder, None, r, quote)
            if frame is not None:
                found[rule.name] = stamped(r, frame, rule)
        anchored.append(found)
    return anchored


def without_nested(doc, frames: list[Frame]) -> list[Frame]:
    """Drops frames whose cue word and content sit wholly inside another frame's words ("He
    said [she believes [that ...]]", "refused [to endorse Trump]" with its cue "refused to
    endorse"): news attribution counts the outer report, not the beliefs it reports (on PolNeAR
    train such inner frames were right 1 time in 8); a frame's extent starts at its cue word (doc
    token `cue_i`), and an attribution interrupting the words is not in them (content_pieces).
    Sorted prefix maxima keep this n log n."""
    with_content = sorted((start, end, k) for k, f in enumerate(frames) for start, end in content_pieces(f))
    if len(with_content) < 2:
        return frames
    starts = [start for start, _, _ in with_content]
    # best[i] / second[i]: the two largest (end, frame index) among the first i+1 contents
    best, second = [], []
    top, runner = (-1, -1), (-1, -1)
    for _, end, k in with_content:
        if end > top[0]:
            top, runner = (end, k), top
        elif end > runner[0]:
            runner = (end, k)
        best.append(top)
        second.append(runner)
    kept = []
    for k, frame in enumerate(frames):
        if frame.content is None:
            kept.append(frame)
            continue
        extent_start = min(doc[frame.cue_i].idx, frame.content[0])
        extent_end = max(frame.cue.end, frame.content[1])
        i = bisect_right(starts, extent_start) - 1
        if i < 0:
            kept.append(frame)
            continue
        end, owner = best[i] if best[i][1] != k else second[i]
        if owner < 0 or end < extent_end:
            kept.append(frame)
    return kept
