"""`--by-rule` and `--exact` on hand-made gold (invented sentences) and hand-made predictions."""
from __future__ import annotations

import json

import pytest

from service.evaluate import main
from service.evaluate_exact import exact_scores, format_exact, gold_cue_spans, trimmed
from service.evaluate_rules import by_rule_scores, format_by_rule

TEXT = ('Ms Avery said the bridge "will open in May." Mr Brook said it would not. '
        'The mayor claimed costs were rising, and Ms Avery said so too.')


def span(words: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(words, after)
    return start, start + len(words)


def gold(words, speaker, cue, type_="indirect"):
    start, end = span(words)
    s_start, s_end = span(speaker)
    return {"start": start, "end": end, "text": TEXT[start:end], "type": type_, "speaker": speaker,
            "speaker_start": s_start, "speaker_end": s_end, "cue": cue}


def pred(words, speaker=None, rule="", cue=None, type_="indirect"):
    start, end = span(words)
    speaker_part = None
    if speaker:
        s_start, s_end = span(speaker)
        speaker_part = {"name": speaker, "text": speaker, "start": s_start, "end": s_end,
                        "kind": "person", "title": None}
    cue_part = None
    if cue:
        c_start, c_end = span(cue, after=speaker_part["end"] if speaker_part else 0)
        cue_part = {"text": cue, "lemma": cue, "start": c_start, "end": c_end}
    return {"id": "q", "type": type_, "text": TEXT[start:end], "start": start, "end": end,
            "speaker": speaker_part, "cue": cue_part, "agency": None, "addressee": None,
            "rule": rule, "confidence": 0.5}


GOLD = [{"id": "a", "text": TEXT, "quotes": [
    gold("will open in May.", "Ms Avery", "said", "direct"),
    gold("it would not", "Mr Brook", "said"),
    gold("costs were rising", "The mayor", "claimed")]}]


# ---- by rule -----------------------------------------------------------------------------------

def by_rule(predictions):
    return by_rule_scores(GOLD, [{"quotes": predictions}])


def test_each_rule_gets_its_quotes_precision_and_share_of_true_positives():
    scores = by_rule([pred("will open in May", "Ms Avery", "verb"),       # right
                      pred("it would not", "Ms Avery", "verb+repair"),    # matched, wrong speaker
                      pred("the bridge", "Ms Avery", "verb")])            # no gold quote there
    rules = {line["rule"]: line for line in scores["rules"]}
    assert (rules["verb"]["quotes"], rules["verb"]["matched"], rules["verb"]["speaker_right"]) == (3, 2, 1)
    assert rules["verb"]["precision"] == pytest.approx(2 / 3)
    assert rules["verb"]["precision_speaker"] == pytest.approx(1 / 3)
    assert rules["verb"]["share"] == pytest.approx(1.0)     # in both true positives
    assert (rules["repair"]["quotes"], rules["repair"]["share"]) == (1, pytest.approx(0.5))
    combinations = {line["rule"]: line["quotes"] for line in scores["combinations"]}
    assert combinations == {"verb": 2, "verb+repair": 1}


def test_missed_gold_quotes_list_their_cues_most_missed_first():
    scores = by_rule([pred("will open in May", "Ms Avery", "verb")])
    assert scores["missed"] == 2
    assert sorted(scores["missed_cues"]) == [("claimed", 1), ("said", 1)]
    # all three missed in one article, two in the other (said 2 + 1, claimed 1 + 1)
    doubled = by_rule_scores(GOLD * 2, [{"quotes": []}, {"quotes": [pred("it would not", rule="x")]}])
    assert doubled["missed_cues"] == [("said", 3), ("claimed", 2)]


def test_quotes_without_a_rule_and_no_combinations_print_plainly():
    scores = by_rule([pred("it would not", "Mr Brook")])
    assert [line["rule"] for line in scores["rules"]] == ["(none)"] and scores["combinations"] == []
    report = "\n".join(format_by_rule(scores))
    assert "(none)" in report and "combination" not in report and "claimed 1" in report


# ---- exact spans -------------------------------------------------------------------------------

def test_trimming_drops_edge_space_quote_marks_and_punctuation_only():
    text = ' “Hello, world.” ' + ": x"
    assert text[slice(*trimmed(text, 0, 17))] == "Hello, world"
    colon = text.index(":")
    assert trimmed(text, colon, colon + 1) == (colon, colon + 1)   # all punctuation: kept


def test_gold_cue_is_located_by_its_offsets_or_nearest_its_speaker():
    said_by_avery_again = TEXT.rindex("said")
    quote = gold("so too", "Ms Avery", "said")
    quote["speaker_start"] = TEXT.rindex("Ms Avery")
    quote["speaker_end"] = quote["speaker_start"] + len("Ms Avery")
    assert gold_cue_spans(TEXT, quote) == [(said_by_avery_again, said_by_avery_again + 4)]
    with_offsets = dict(quote, meta={"cue_start": TEXT.index("said"), "cue_end": TEXT.index("said") + 4})
    assert gold_cue_spans(TEXT, with_offsets) == [(TEXT.index("said"), TEXT.index("said") + 4)]
    gapped = dict(quote, cue="mayor rising", meta={"cue_start": TEXT.index("mayor"),
                                                   "cue_end": TEXT.index("rising") + 6})
    assert gold_cue_spans(TEXT, gapped) == [span("mayor"), span("rising")]
    assert gold_cue_spans(TEXT, dict(quote, cue="whispered")) == []


def test_exact_spans_need_the_same_trimmed_offsets_for_each_role():
    predictions = [{"quotes": [
        pred('"will open in May."', "Ms Avery", cue="said", type_="direct"),  # marks: trimmed away
        pred("it would", "Mr Brook", cue="said"),                              # one word short
        pred("costs were rising", "mayor", cue="claimed")]}]                   # source short
    scores = exact_scores(GOLD, predictions)
    assert (scores["content"]["matched"], scores["content"]["gold"], scores["content"]["predicted"]) == (2, 3, 3)
    assert (scores["source"]["matched"], scores["source"]["predicted"]) == (2, 3)
    assert scores["cue"]["matched"] == 3 and scores["cue"]["f1"] == pytest.approx(1.0)
    assert "content" in "\n".join(format_exact(scores))


def test_a_speaker_mention_shared_by_two_quotes_is_one_source_span():
    two = [{"id": "a", "text": TEXT, "quotes": [gold("will open in May.", "Ms Avery", "said"),
                                                gold("the bridge", "Ms Avery", "said")]}]
    assert exact_scores(two, [{"quotes": []}])["source"]["gold"] == 1


def test_interrupted_quotes_count_their_fragments():
    article = {"id": "a", "text": TEXT, "quotes": [dict(gold("will open in May.", "Ms Avery", "said"),
                                                        meta={"fragments": [span("will open"), span("May")]})]}
    whole = exact_scores([article], [{"quotes": [pred("will open in May")]}])["content"]
    assert (whole["gold"], whole["matched"]) == (2, 0)
    pieces = pred("will open in May")
    pieces["fragments"] = [{"start": s, "end": e, "text": TEXT[s:e]} for s, e in (span("will open"), span("May"))]
    assert exact_scores([article], [{"quotes": [pieces]}])["content"]["matched"] == 2


# ---- both through the command, on the real engine ----------------------------------------------

def test_by_rule_and_exact_through_the_command(tmp_path, capsys):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOLD[0]) + "\n", encoding="utf-8")
    assert main([str(path), "--by-rule", "--exact"]) == 0
    out = capsys.readouterr().out
    assert "exact-span (trimmed) per role:" in out and "missed gold quotes:" in out
    assert out.rstrip().endswith("speaker = accuracy over matched quotes whose gold quote has a speaker")
    from service.nlp import extract, load_pipeline
    (result,) = extract(load_pipeline(), [TEXT])
    for quote in result["quotes"]:   # whatever the engine names its rules, each gets a line
        for name in (quote["rule"] or "(none)").split("+"):
            assert any(line.split()[0] == name for line in out.splitlines() if line.strip())
