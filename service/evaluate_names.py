"""Canonical-name accuracy: is the *name* a reader sees the gold speaker's, whatever the mention?

Gold quotes may carry `speaker_name` (the entity's canonical name), `speaker_mention_kind` (name /
pronoun / nominal) and `speaker_entity.type` (person, organization, ...), as
tests/data/gum/gum_news_names.jsonl does. Over the matched quotes (the matching rule of
service.evaluate) whose gold has a `speaker_name`:

- right: the gold name's last word, or its acronym ("KCNA" for Korean Central News Agency), is a
  word of the returned name, and no other word of the returned name contradicts the gold one: for
  a person, another capitalised word between the last title word and the surname ("John Kerry"
  is not "Mary Kerry"; "Afghan Ambassador Hamdullah Mohib" is Hamdullah Mohib); for anything else, any capitalised word the gold name lacks ("Harvard Medical
  School" is not "Harvard University"), unless it is the acronym of gold words ("U.S." for United
  States);
- strict: the same full name, word for word (case and a leading "the" aside).

Gold names come from Wikipedia identities ("Creswell Eastman", "Hernán Darío Gómez"); the text may
spell them otherwise ("Cres Eastman", "Hernan Dario Gomez"), so the name the text itself gives
(`speaker_entity.text_name`) counts as gold too, accents never matter, and a shortened given name
("Chris" for Christine) does not contradict the full one.

A matched quote with no speaker counts as wrong on both.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from .evaluate import _ratio, match_quotes

MENTION_KINDS = ("name", "pronoun", "nominal")
_NAME_WORD = re.compile(r"\w+(?:[.'’]\w+)*")
_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "de", "du", "la", "al", "von", "van", "&"})


def _unaccented(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def name_words(name: str | None) -> list[str]:
    """The words of a name without accents, hyphenated parts apart ("Agence France-Presse" -> 3
    words), without a possessive "'s"."""
    words = _NAME_WORD.findall(_unaccented(name or "").replace("-", " "))
    return [re.sub(r"['’]s$", "", w) for w in words]


def _bare(word: str) -> str:
    return word.replace(".", "").lower()


def acronyms(words: list[str]) -> set[str]:
    """The acronyms of every run of two or more content words ("US" and "USDA" from United
    States Department of Agriculture), lower case."""
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    return {"".join(w[0] for w in content[i:j]).lower()
            for i in range(len(content)) for j in range(i + 2, len(content) + 1)}


def full_acronym(words: list[str]) -> str:
    """"kcna" for Korean Central News Agency; "" for a one-word name."""
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    return "".join(w[0] for w in content).lower() if len(content) > 1 else ""


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _titles() -> frozenset[str]:
    from .nlp.lexicon import default_lexicon  # the engine's title words, read once
    return default_lexicon().titles


def name_right(gold_name: str, returned: str | None, gold_type: str = "person") -> bool:
    """The issue's rule (see the module docstring)."""
    gold, got = name_words(gold_name), name_words(returned)
    if not gold or not got:
        return False
    gold_lower = {w.lower() for w in gold}
    got_bare = [_bare(w) for w in got]
    keys = {_bare(gold[-1]), full_acronym(gold)} - {""}   # "Secunia.com" is "secuniacom" both sides
    hits = [k for k, w in enumerate(got_bare) if w in keys]
    if not hits:
        return False
    if gold_type == "person":
        before = got[:hits[-1]]
        after_title = max((k + 1 for k, w in enumerate(before) if w.lower() in _titles()), default=0)
        others = [w for w in before[after_title:] if _is_capitalised(w)]
    else:
        others = [w for w in got if _is_capitalised(w) and w.lower() != "the"]
    known = gold_lower | acronyms(gold)
    return all(_bare(w) in known or w.lower() in known or _short_for(w, gold) for w in others)


def _short_for(word: str, gold: list[str]) -> bool:
    """"Chris" for Christine, "Cres" for Creswell: a given name shortened."""
    return len(word) >= 3 and any(g.lower().startswith(word.lower()) for g in gold[:-1])


def gold_names(quote: dict) -> list[str]:
    """The gold canonical name and the name the text itself gives, when they differ."""
    text_name = (quote.get("speaker_entity") or {}).get("text_name")
    return [n for n in dict.fromkeys([quote.get("speaker_name"), text_name]) if n]


def same_name(gold_name: str, returned: str | None) -> bool:
    """The same full name, word for word, case and a leading "the" aside."""
    def words(name):
        found = [_bare(w) for w in name_words(name)]
        return found[1:] if found[:1] == ["the"] else found
    return bool(words(returned)) and words(gold_name) == words(returned)


def _new() -> dict:
    return {"judged": 0, "right": 0, "strict": 0}


def name_scores(gold_articles: Iterable[dict], predictions: Iterable[dict]) -> dict:
    """{"all": counts, "name"|"pronoun"|"nominal": counts, "errors": [...]}, counts holding judged,
    right, strict and their accuracies; None when no gold quote has a `speaker_name` field."""
    totals = {kind: _new() for kind in ("all",) + MENTION_KINDS}
    errors, seen_field = [], False
    for article, result in zip(gold_articles, predictions):
        gold, pred = article.get("quotes") or [], (result or {}).get("quotes") or []
        seen_field = seen_field or any("speaker_name" in q for q in gold)
        for i, j in match_quotes(gold, pred):
            gold_name = gold[i].get("speaker_name")
            if not gold_name:
                continue
            speaker = pred[j].get("speaker") or {}
            kind = (gold[i].get("speaker_entity") or {}).get("type") or "person"
            names = gold_names(gold[i])
            right = any(name_right(name, speaker.get("name"), kind) for name in names)
            strict = any(same_name(name, speaker.get("name")) for name in names)
            for key in ("all", gold[i].get("speaker_mention_kind")):
                if key in totals:
                    counts = totals[key]
                    counts["judged"] += 1
                    counts["right"] += right
                    counts["strict"] += strict
            if not right:
                errors.append({"article": article.get("id"), "gold": gold[i], "predicted": pred[j]})
    if not seen_field:
        return None
    for counts in totals.values():
        counts["accuracy"] = _ratio(counts["right"], counts["judged"])
        counts["strict_accuracy"] = _ratio(counts["strict"], counts["judged"])
    return {**totals, "errors": errors}


def format_names(scores: dict) -> list[str]:
    lines = [f"{'names':8} {'judged':>6} {'right':>6} {'acc':>6} {'strict':>7}"]
    for key in ("all",) + MENTION_KINDS:
        s = scores[key]
        lines.append(f"{key:8} {s['judged']:>6} {s['right']:>6} {s['accuracy']:>6.3f} "
                     f"{s['strict_accuracy']:>7.3f}")
    lines.append("names = canonical-name accuracy over matched quotes whose gold has a speaker_name "
                 "(by the gold mention's kind); strict = the same full name")
    return lines


def format_name_errors(scores: dict) -> list[str]:
    out = []
    for err in scores["errors"]:
        g, p = err["gold"], err["predicted"].get("speaker") or {}
        out.append(f"NAME     {err['article']} {g.get('speaker_mention_kind')} gold={g['speaker_name']!r} "
                   f"mention={g.get('speaker')!r} returned={p.get('name')!r} (as {p.get('text')!r})")
    return out
