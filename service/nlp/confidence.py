"""The last stage: each draft's confidence, and the draft as a records.Quote.

Confidence = the base confidence of the rule that attached the quote (rules.py), or the learned
layer's probability for its frames, x how its speaker
was named, lowered for cues that are not plain speech verbs and for words asked for but not yet
said ("pushing leaders to admit ...")."""
from __future__ import annotations

from .attach import Draft
from .lexicon import Lexicon
from .records import Fragment, Quote, Speaker
from .name_runs import PERSON
from .rules import confidence_of
from .vocab import DEFINITE, GROUP_PRONOUNS, ORG_PRONOUNS, PERSON_PRONOUNS

SPEAKER_FACTOR = {"named": 1.0, "nominal": 0.95, "pronoun": 0.9, "unresolved": 0.8, "none": 0.6}
OTHER_CUE_FACTOR = 0.9
WANTED_FACTOR = 0.6
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | ORG_PRONOUNS


def speaker_quality(speaker: Speaker | None) -> str:
    if speaker is None:
        return "none"
    mention = speaker.text.lower()
    if mention in PRONOUNS:
        return "pronoun" if speaker.name.lower() != mention else "unresolved"
    if _unresolved_nominal(speaker):
        return "unresolved"
    if speaker.name != speaker.text and speaker.kind == PERSON:
        return "named"
    return "named" if speaker.text[:1].isupper() else "nominal"


def _unresolved_nominal(speaker: Speaker) -> bool:
    """"the minister", "the Russian diplomat" left as written: a definite description of a person
    the article should have named, and names.py did not resolve (a name it could not trust is
    worse than none). "the government", "the campaign" name their body well enough."""
    words = speaker.text.split()
    return speaker.kind == PERSON and speaker.name.lower() == speaker.text.lower() \
        and len(words) > 1 and words[0].lower() in DEFINITE and words[-1].islower()


def confidence(draft: Draft, lex: Lexicon) -> float:
    frame = draft.source_frame
    base = frame.score if frame is not None and frame.score is not None else confidence_of(draft.route)
    score = base * SPEAKER_FACTOR[speaker_quality(draft.speaker)]
    if frame is not None and not lex.listed("plain_speech", frame.cue.lemma):
        score *= OTHER_CUE_FACTOR
    if frame is not None and frame.wanted:
        score *= WANTED_FACTOR
    return round(min(1.0, max(0.0, score)), 3)


def rule_of(draft: Draft) -> str:
    """"speech-verb-clause", "speech-verb+same-sentence", "cue-after-quote+interrupted"."""
    names = (draft.continues.rules if draft.continues is not None else []) + draft.rules
    return "+".join(dict.fromkeys(names))


def to_quote(draft: Draft, text: str, lex: Lexicon) -> Quote:
    frame = draft.source_frame
    return Quote(type=draft.type, text=text[draft.start:draft.end], start=draft.start, end=draft.end,
                 speaker=draft.speaker,
                 cue=frame.cue if frame is not None else None,
                 agency=frame.agency if frame is not None else None,
                 addressee=frame.addressee if frame is not None else None,
                 fragments=tuple(Fragment(text[s:e], s, e) for s, e in draft.fragments),
                 kind=frame.kind if frame is not None else "speech",
                 confidence=confidence(draft, lex), rule=rule_of(draft))
