"""Per-rule evaluation: which rule made each predicted quote, and how often it was right.

A quote's `rule` names the rule that made its attribution, and after a "+" any rule that attached
or repaired it ("speech-verb-ccomp+continuation"). Two tables:
- by rule: each name split on "+", so a rule's line counts every quote it took part in (lines then
  add up to more than the quotes). This answers "how good is this rule", whatever it is combined
  with, and is the table to read first.
- by combination: the names as produced, each quote counted once (only printed when some name is
  a combination).
For each: quotes produced, precision (matched a gold quote, the overlap rule of service.evaluate),
precision with the speaker right too (where the gold quote has a speaker), and the share of all
true positives. For the gold quotes no
prediction matched: their cue words, most often missed first.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator, NamedTuple

from .evaluate import has_gold_speaker, match_quotes, speaker_correct

NO_RULE = "(none)"
NO_CUE = "(no cue)"
MISSED_CUES_SHOWN = 15


class Judged(NamedTuple):
    rule: str
    matched: bool
    speaker_right: bool


def judged_quotes(gold_articles: Iterable[dict], predictions: Iterable[dict]
                  ) -> tuple[list[Judged], Counter]:
    """Every predicted quote with whether it matched gold (and its speaker was right), and the
    cue words of the gold quotes that nothing matched."""
    judged: list[Judged] = []
    missed_cues: Counter = Counter()
    for article, result in zip(gold_articles, predictions):
        gold, pred = article.get("quotes") or [], (result or {}).get("quotes") or []
        gold_of = {j: i for i, j in match_quotes(gold, pred)}
        for j, quote in enumerate(pred):
            i = gold_of.get(j)
            right = i is not None and (not has_gold_speaker(gold[i]) or speaker_correct(gold[i], quote))
            judged.append(Judged(quote.get("rule") or NO_RULE, i is not None, right))
        unmatched = set(range(len(gold))) - set(gold_of.values())
        missed_cues.update(" ".join((gold[i].get("cue") or NO_CUE).lower().split()) for i in unmatched)
    return judged, missed_cues


def rule_table(judged: list[Judged], split: bool) -> list[dict]:
    """One line per rule name (split on "+" or as produced), most quotes first."""
    lines: dict[str, dict] = {}
    total_matched = sum(q.matched for q in judged)
    for quote in judged:
        names = dict.fromkeys(quote.rule.split("+")) if split else [quote.rule]
        for name in names:
            line = lines.setdefault(name, {"rule": name, "quotes": 0, "matched": 0, "speaker_right": 0})
            line["quotes"] += 1
            line["matched"] += quote.matched
            line["speaker_right"] += quote.speaker_right
    for line in lines.values():
        line["precision"] = line["matched"] / line["quotes"]
        line["precision_speaker"] = line["speaker_right"] / line["quotes"]
        line["share"] = line["matched"] / total_matched if total_matched else 0.0
    return sorted(lines.values(), key=lambda line: (-line["quotes"], line["rule"]))


def by_rule_scores(gold_articles: Iterable[dict], predictions: Iterable[dict]) -> dict:
    judged, missed_cues = judged_quotes(gold_articles, predictions)
    return {"rules": rule_table(judged, split=True),
            "combinations": rule_table(judged, split=False) if any("+" in q.rule for q in judged) else [],
            "missed": sum(missed_cues.values()), "missed_cues": missed_cues.most_common()}


def _table(title: str, lines: list[dict]) -> Iterator[str]:
    width = max([len(title)] + [len(line["rule"]) for line in lines])
    yield f"{title:<{width}} {'quotes':>6} {'P':>6} {'P+spk':>6} {'share':>6}"
    for line in lines:
        yield (f"{line['rule']:<{width}} {line['quotes']:>6} {line['precision']:>6.3f} "
               f"{line['precision_speaker']:>6.3f} {line['share']:>6.3f}")


def format_by_rule(scores: dict) -> Iterator[str]:
    yield from _table("rule", scores["rules"])
    if scores["combinations"]:
        yield ""
        yield from _table("combination", scores["combinations"])
    yield ("P = share of the rule's quotes that match a gold quote; P+spk = matched with the right "
           "speaker; share = of all true positives")
    shown = scores["missed_cues"][:MISSED_CUES_SHOWN]
    yield ""
    yield f"missed gold quotes: {scores['missed']}; their cues, most often missed first:"
    yield "  " + ", ".join(f"{cue} {count}" for cue, count in shown)
