"""The rule registry, tested as a table: tests/data/rule_cases.jsonl holds, for every registered
rule, invented sentences of the shape it reads and what the engine must return for them.

A case names its rule and may give any of: cue, source (the speaker mention as written), name
(the canonical speaker), type, content (the quote's exact text), fragments (the texts of an
interrupted quote's words, [] for words in one piece), agency, addressee, count (how many quotes
the sentence gives), speaker (null: no speaker), kind, absent_cues (cues no quote may have),
max_confidence (no quote of the sentence is surer). The rule must be one of the rules
that made the quote (its `rule` split on "+"; "in-content" and "indirect" are the default
pairings, named when no other pairing rule is)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.nlp import extract, rules
from service.nlp.patterns import read_patterns
from service.nlp.lexicon import DATA_DIR

CASES_FILE = Path(__file__).parent / "data" / "rule_cases.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
ATTACHING = {rule.name for rule in rules.PAIR_RULES + rules.LOOSE_RULES}


def rules_of(quote: dict) -> list[str]:
    names = quote["rule"].split("+")
    if quote["kind"] == "no_comment":
        names.append(rules.REFUSED.name)
    elif not ATTACHING & set(names):
        names.append("indirect" if quote["type"] == "indirect" else "in-content")
    return names


def case_id(case: dict) -> str:
    return f"{case['rule']}: {case['text'][:40]}"


def _get(part: dict | None, key: str):
    return None if part is None else part[key]


FIELDS = {
    "cue": lambda q: _get(q["cue"], "text"),
    "source": lambda q: _get(q["speaker"], "text"),
    "name": lambda q: _get(q["speaker"], "name"),
    "type": lambda q: q["type"],
    "content": lambda q: q["text"],
    "fragments": lambda q: [f["text"] for f in q["fragments"]],
    "agency": lambda q: _get(q["agency"], "name"),
    "addressee": lambda q: _get(q["addressee"], "text"),
    "speaker": lambda q: q["speaker"],
    "kind": lambda q: q["kind"],
}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule_case(nlp, case):
    result = next(extract(nlp, [case["text"]]))
    quotes = result["quotes"]
    assert "error" not in result
    if "count" in case:
        assert len(quotes) == case["count"], [q["text"] for q in quotes]
    cues = [FIELDS["cue"](q) for q in quotes]
    assert not set(case.get("absent_cues", ())) & set(cues), cues
    assert all(q["confidence"] <= case.get("max_confidence", 1.0) for q in quotes), quotes
    if case["rule"] is None or case.get("count") == 0:
        return
    made = [q for q in quotes if case["rule"] in rules_of(q)
            and ("cue" not in case or FIELDS["cue"](q) == case["cue"])]
    assert made, f"no quote by {case['rule']}: {[(q['rule'], FIELDS['cue'](q)) for q in quotes]}"
    quote = made[0]
    for field, read in FIELDS.items():
        if field in case:
            assert read(quote) == case[field], f"{field} of {quote}"


def test_every_registered_rule_has_a_case():
    covered = {case["rule"] for case in CASES}
    missing = [rule.name for rule in rules.all_rules() if rule.name not in covered]
    assert not missing, f"rules without a case in {CASES_FILE.name}: {missing}"


def test_every_case_names_a_registered_rule():
    names = {rule.name for rule in rules.all_rules()}
    assert {case["rule"] for case in CASES} - {None} <= names


def test_rule_names_are_unique_and_tables_are_in_priority_order():
    names = [rule.name for rule in rules.all_rules()]
    assert len(names) == len(set(names))
    for table in [t.rules for t in rules.TRIGGERS] + [rules.SOURCE_REPAIRS, rules.RELAYS, rules.PAIR_RULES, rules.LOOSE_RULES]:
        assert [rule.priority for rule in table] == list(range(len(table)))


def test_every_pattern_belongs_to_a_pattern_rule_and_back():
    pattern_rules = {rule.name for rule in rules.all_rules() if rule.patterned}
    assert {entry["rule"] for entry in read_patterns(DATA_DIR)} == pattern_rules


def test_every_attaching_rule_has_a_base_confidence():
    for rule in rules.PAIR_RULES + (rules.INDIRECT, rules.REFUSED) + rules.LOOSE_RULES:
        if rule.effect in ("attach", "continue", "stand-alone"):
            assert 0 < rules.confidence_of(rule.name) <= 1, rule.name
