"""The rule registry: every way the engine finds a reporting frame or attaches a quote, by name,
in the order the rules are tried. Read it top-down; the first rule that applies wins.

Stages (data flows one way):
  frame   a cue in the parse: token -> Frame (frames.py runs them, per trigger);
  pattern the same, with the tokens it needs matched by a tree pattern of data/patterns.json;
  learned the trained model's frames (learned.py), for predicates the frame rules did not read;
  source  speaker repair: a frame whose source is missing or inside a quotation (frames.py);
  relay   the news agency that relayed a verb frame's words (frames.py, relays.py);
  quote   a quoted span no frame holds: the words around it -> Frame (frames.py, used by assembly);
  pair    which frame reports a quoted span (assemble.py);
  loose   what becomes of a quoted span no frame reports (assemble.py);
  transcript  a labelled line of an interview transcript, a pull quote's credited paragraph or a
          headline led by its speaker's name, no quote marks (transcripts.py).

A quote's `rule` is the name of the rule that found its frame, then (after "+") the rules that
repaired its speaker, found its agency or attached it, e.g. "speech-verb+same-sentence". Its
confidence starts at the `confidence` of the rule that attached it (frame rules have none of
their own: their quotes take the pair rule's, or `indirect`'s).

To add a rule: write its finder (a small function returning a Frame or None), add a Rule line
here where its priority belongs, and a case to tests/data/rule_cases.jsonl.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from . import attach, learned, noun_frames, quote_frames, relays, sources, verb_frames
from .records import NO_COMMENT


@dataclass(frozen=True)
class Rule:
    name: str
    stage: str                       # frame | pattern | learned | source | relay | quote | pair | loose | transcript
    trigger: str                     # what it fires on
    finder: Callable | None          # pattern rules: the builder of a frame from the matched tokens
    confidence: float | None = None  # base confidence of quotes it attaches
    effect: str = "attach"           # loose rules: attach | merge | continue | drop | stand-alone
    quote_type: str | None = None    # quote rules: "direct" when the rule introduces the quote
    min_words: int = 1               # quote rules: shorter quoted spans are scare quotes
    kind: str | None = None          # what its frames attribute, when the rule says (else the cue's)
    priority: int = 0                # position in its table, set below
    patterned: bool = False          # its tokens come from a tree pattern of data/patterns.json


@dataclass(frozen=True)
class Trigger:
    """What makes a token a candidate, and the frame rules tried on it in order."""
    name: str
    read: Callable                   # (Reading, token) -> the thing the rules take, or None
    rules: tuple[Rule, ...]


def _frame(name: str, trigger: str, finder: Callable, kind: str | None = None) -> Rule:
    return Rule(name, "frame", trigger, finder, kind=kind)


def _pattern(name: str, trigger: str, builder: Callable) -> Rule:
    """A frame rule whose shape is a tree pattern of data/patterns.json; builder(Reading, roles)."""
    return Rule(name, "pattern", trigger, builder, patterned=True)


SOURCE_PHRASES = ("according-to", "in-the-words-of", "in-a-poll")
SOURCE_PHRASE = Trigger("source phrase", lambda r, t: t if any(t.i in r.matches.get(name, ())
                                                             for name in SOURCE_PHRASES) else None, (
    _pattern("according-to", "according to X", noun_frames.according_to),
    _pattern("in-the-words-of", "in the words of X", noun_frames.in_the_words_of),
    _pattern("in-a-poll", "in a poll / survey X, <clause>", noun_frames.in_a_poll),
))
SPEECH_NOUN = Trigger("speech noun", lambda r, t: t if noun_frames.is_speech_noun(r, t) else None, (
    _pattern("speech-noun-clause", "a speech noun with a that-clause", noun_frames.speech_noun_clause),
    _frame("speech-noun-prep", "a speech noun with its owner and a preposition", noun_frames.speech_noun_preposition),
))
ATTITUDE_NOUN = Trigger("attitude noun", lambda r, t: t if t.i in r.matches.get("attitude-noun", ()) else None, (
    _pattern("attitude-noun", "made mention of X, took aim at X", noun_frames.attitude_noun),
))
REPORTING_VERB = Trigger("reporting verb", verb_frames.read_verb, (
    _frame("negated-speech", "a negated speech verb", verb_frames.negated_speech, NO_COMMENT),
    _frame("refusal", "declined / refused to comment", verb_frames.refusal, NO_COMMENT),
    _frame("no-response", "did not respond, could not be reached", verb_frames.no_response, NO_COMMENT),
    _pattern("quoted-as-saying", "a passive quoting verb", verb_frames.quoted_as_saying),
    _pattern("quoted-saying", "an active quoting verb with a saying", verb_frames.quoted_saying),
    _frame("speech-verb-clause", "a speech or belief verb with a clause", verb_frames.speech_verb_clause),
    _frame("speech-verb-inverted", "<clause>, said X: the clause's subject parsed as the cue's",
           verb_frames.speech_verb_inverted),
    _frame("speech-verb-parataxis", "a speech verb inside the sentence it reports", verb_frames.speech_verb_parataxis),
    _frame("speech-verb-adverbial", "a speech verb with an if/that adverbial clause", verb_frames.speech_verb_adverbial),
    _frame("as-clause", "as X said, ...", verb_frames.as_clause),
    _frame("attitude-object", "expressed concern that / about X", verb_frames.attitude_object),
    _frame("object-verb", "a stance verb with a direct object", verb_frames.object_verb),
    _frame("object-verb-passive", "a passive stance verb with a by-agent", verb_frames.object_verb_passive),
    _frame("evidence-object", "a poll or study shows X", verb_frames.evidence_object),
    _frame("quoted-object", "called X \"...\"", verb_frames.quoted_object),
    _pattern("verb-preposition", "a verb + preposition cue", verb_frames.verb_preposition),
    _frame("speech-verb", "a speech verb with no content of its own", verb_frames.speech_verb),
))
# The learned layer (learned.py): a trained model's frames, for predicates no trigger above read.
MODEL = Rule(learned.RULE, "learned", "a predicate the trained model accepts", None)

# The order of triggers matters: a token is read by the first trigger that takes it.
TRIGGERS = (SOURCE_PHRASE, SPEECH_NOUN, ATTITUDE_NOUN, REPORTING_VERB)
FRAME_PATTERNS = frozenset(rule.name for trigger in TRIGGERS for rule in trigger.rules if rule.patterned)

SOURCE_REPAIRS = (
    Rule("document-issuer", "source", "a source that is a document (statement, report)", sources.document_issuer),
    Rule("inherited-subject", "source", "a participle cue", sources.inherited_subject),
    Rule("name-after-quotation", "source", "a name between a quotation and its cue the parse hung inside "
         "the quotation", sources.speaker_after_quotation),
    Rule("words-before-cue", "source", "a short noun phrase right before the cue", sources.words_before_cue),
    Rule("words-after-cue", "source", "a noun phrase right after the cue", sources.words_after_cue),
)

# The news agency that relayed a verb frame's words, when the frame rule gave none; first wins.
RELAYS = (
    Rule("relaying-verb", "relay", "X said, Itar-Tass reported", relays.relaying_verb, patterned=True),
    Rule("quoted-by", "relay", "X said, quoted by RIA Novosti", relays.quoted_by, patterned=True),
    Rule("according-to-agency", "relay", "X said, according to Interfax (the according-to pattern)",
         relays.according_to_agency),
)

IN_CONTENT = "in-content"   # the default pairing: its name does not join a quote's rule
PAIR_RULES = (
    Rule(IN_CONTENT, "pair", "a frame's content holds the quoted span", attach.in_content, 0.95),
    Rule("same-sentence", "pair", "a cue in the quote's sentence", attach.same_sentence, 0.9),
    Rule("cue-before-colon", "pair", "a cue before a colon introducing the quote", attach.cue_before_colon, 0.85),
    Rule("cue-sentence-before", "pair", "a content-less cue in the sentence right before the quote: "
         "\"Okafor agreed. \"…\"\"", attach.cue_sentence_before, 0.8),
)
INDIRECT = Rule("indirect", "pair", "a frame's content with no quote marks", None, 0.8)
REFUSED = Rule("no-comment", "pair", "a refusal frame: a record with no words", None, 0.8)
TRANSCRIPT = Rule("transcript-label", "transcript", "a speaker label and a colon leading a transcript line "
                  "(Q:, A:, Name:; transcripts.py)", None, 0.85)
CREDIT = Rule("credit-line", "transcript", "a paragraph of first-person words ending in the full name of its "
              "speaker, no quote marks: a pull quote (transcripts.py)", None, 0.8)
HEADLINE = Rule("headline-label", "transcript", "a headline led by its speaker's name or an evidence noun and a "
                "colon (\"Sanders: Clinton must ...\", \"Poll: ...\"; transcripts.py)", None, 0.75)
TEXT_RULES = (TRANSCRIPT, CREDIT, HEADLINE)    # read off the text and the roster, after assembly

LOOSE_RULES = (
    Rule("cue-after-quote", "quote", "words after the quote name a speaker", quote_frames.cue_after_quote, 0.8),
    Rule("sign-off", "quote", "a signature line after the quote", quote_frames.sign_off, 0.8),
    Rule("interrupted", "loose", "the previous quote's cue interrupts it", attach.interrupted, effect="merge"),
    Rule("intro-verb", "quote", "an introduction with a verb ending in , or :", quote_frames.intro_verb, 0.85,
         quote_type="direct"),
    Rule("colon-label", "quote", "a verbless phrase and a colon", quote_frames.colon_label, 0.85, quote_type="direct"),
    Rule("named-as", "quote", "a verb naming its object as the quote: admires X as \"...\"", quote_frames.named_as,
         0.7),
    Rule("continuation", "loose", "a quoted sentence after the speaker's quote", attach.continues, 0.65,
         effect="continue"),
    Rule("scare-title", "loose", "a title in quote marks", lambda previous, q, text: (
        attach.named_title(q, text) or attach.title_like(text[q.start:q.end])), effect="drop"),
    Rule("governing-verb", "quote", "a reporting verb the quote hangs on", quote_frames.governing_verb, 0.55,
         min_words=2),
    Rule("naming-verb", "quote", "any verb with a named subject the quote hangs on", quote_frames.naming_verb, 0.55,
         min_words=2),
    Rule("unattributed", "loose", "a long quotation with no speaker",
         lambda previous, q, text: attach.sentence_like(q, text), 0.3, effect="stand-alone"),
)


def _prioritised(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return tuple(replace(rule, priority=k) for k, rule in enumerate(rules))


TRIGGERS = tuple(replace(t, rules=_prioritised(t.rules)) for t in TRIGGERS)
SOURCE_REPAIRS = _prioritised(SOURCE_REPAIRS)
RELAYS = _prioritised(RELAYS)
PAIR_RULES = _prioritised(PAIR_RULES)
LOOSE_RULES = _prioritised(LOOSE_RULES)
QUOTE_RULES = tuple(rule for rule in LOOSE_RULES if rule.stage == "quote")


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, stage by stage, each table in priority order."""
    frame_rules = tuple(rule for trigger in TRIGGERS for rule in trigger.rules)
    return frame_rules + (MODEL,) + SOURCE_REPAIRS + RELAYS + PAIR_RULES + (INDIRECT, REFUSED) + LOOSE_RULES + TEXT_RULES


def confidence_of(name: str) -> float:
    """The base confidence of the rule that attached a quote."""
    return _CONFIDENCE[name]


_CONFIDENCE = {rule.name: rule.confidence for rule in PAIR_RULES + (INDIRECT, REFUSED) + LOOSE_RULES + TEXT_RULES
               if rule.confidence is not None}
