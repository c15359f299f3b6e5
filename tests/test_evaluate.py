"""The evaluation's matching rule, pinned on hand-made gold/prediction pairs (no model needed)."""
import json

import pytest

from service.evaluate import format_errors, format_report, main, match_quotes, names_agree, score

TEXT = 'Bogdanov said the talks "will go on," adding that nothing was decided. He told CNN so.'


def gold_quote(start, end, type_="indirect", speaker="Bogdanov", speaker_start=0, speaker_end=8):
    return {"start": start, "end": end, "text": TEXT[start:end], "type": type_, "speaker": speaker,
            "speaker_start": speaker_start, "speaker_end": speaker_end, "cue": "said"}


def pred_quote(start, end, type_="indirect", name="Mikhail Bogdanov", text="Bogdanov", s_start=0, s_end=8):
    speaker = None if name is None else {"name": name, "text": text, "start": s_start, "end": s_end,
                                         "kind": "person", "title": None}
    return {"id": "q", "type": type_, "text": TEXT[start:end], "start": start, "end": end,
            "speaker": speaker, "cue": None, "agency": None, "addressee": None, "confidence": 0.5}


def run(gold, pred):
    return score([{"id": "a", "text": TEXT, "quotes": gold}], [{"quotes": pred}])


def test_overlap_of_half_the_shorter_span_matches():
    # gold 0..10, prediction 5..30: overlap 5 = half of the shorter (10)
    assert run([gold_quote(0, 10)], [pred_quote(5, 30)])["all"]["matched"] == 1


def test_overlap_below_half_the_shorter_span_does_not_match():
    # overlap 4 < 10 / 2
    result = run([gold_quote(0, 10)], [pred_quote(6, 30)])["all"]
    assert result["matched"] == 0
    assert result["precision"] == 0.0 and result["recall"] == 0.0 and result["f1"] == 0.0


def test_short_prediction_inside_long_gold_matches():
    # a short prediction wholly inside a long gold quote overlaps all of the shorter span
    assert run([gold_quote(0, 80)], [pred_quote(20, 26)])["all"]["matched"] == 1


def test_matching_is_one_to_one_and_greedy_by_overlap():
    # two predictions both qualify for one gold quote: only the larger overlap counts
    gold = [gold_quote(10, 40)]
    pred = [pred_quote(12, 40), pred_quote(10, 30)]
    assert match_quotes(gold, pred) == [(0, 0)]
    result = run(gold, pred)["all"]
    assert (result["gold"], result["predicted"], result["matched"]) == (1, 2, 1)
    assert result["precision"] == pytest.approx(0.5)
    assert result["recall"] == pytest.approx(1.0)
    assert result["f1"] == pytest.approx(2 / 3)


def test_greedy_choice_frees_the_other_prediction_for_the_other_gold():
    gold = [gold_quote(0, 20), gold_quote(20, 40)]
    pred = [pred_quote(0, 22), pred_quote(18, 40)]
    assert match_quotes(gold, pred) == [(0, 0), (1, 1)]


def test_quoted_subset_uses_only_direct_and_mixed_on_both_sides():
    gold = [gold_quote(24, 34, "direct"), gold_quote(44, 69, "indirect")]
    pred = [pred_quote(24, 34, "mixed"), pred_quote(44, 69, "indirect"), pred_quote(71, 84, "direct")]
    result = run(gold, pred)
    assert (result["all"]["gold"], result["all"]["predicted"], result["all"]["matched"]) == (2, 3, 2)
    assert (result["quoted"]["gold"], result["quoted"]["predicted"], result["quoted"]["matched"]) == (1, 2, 1)
    assert result["quoted"]["precision"] == pytest.approx(0.5)
    assert result["quoted"]["recall"] == pytest.approx(1.0)


def test_indirect_prediction_does_not_count_for_a_quoted_gold():
    result = run([gold_quote(24, 34, "direct")], [pred_quote(24, 34, "indirect")])
    assert result["all"]["matched"] == 1
    assert result["quoted"]["matched"] == 0 and result["quoted"]["gold"] == 1


def test_speaker_right_by_mention_overlap_even_when_name_differs():
    gold = [gold_quote(80, 86, speaker="He", speaker_start=71, speaker_end=73)]
    pred = [pred_quote(80, 86, name="Someone Else", text="He", s_start=71, s_end=73)]
    assert run(gold, pred)["all"]["speaker_accuracy"] == 1.0


def test_speaker_right_by_name_agreement_without_overlap():
    # predicted mention is elsewhere, but gold "Bogdanov" is within canonical "Mikhail Bogdanov"
    gold = [gold_quote(9, 69)]
    pred = [pred_quote(9, 69, name="Mikhail Bogdanov", text="He", s_start=71, s_end=73)]
    assert run(gold, pred)["all"]["speaker_accuracy"] == 1.0


def test_speaker_wrong_when_neither_overlap_nor_names_agree():
    gold = [gold_quote(9, 69)]
    pred = [pred_quote(9, 69, name="Sergei Lavrov", text="Lavrov", s_start=71, s_end=73)]
    result = run(gold, pred)
    assert result["all"]["speaker_judged"] == 1
    assert result["all"]["speaker_accuracy"] == 0.0
    assert [e["kind"] for e in result["errors"] if e["subset"] == "all"] == ["wrong_speaker"]


def test_missing_predicted_speaker_is_wrong():
    result = run([gold_quote(9, 69)], [pred_quote(9, 69, name=None)])
    assert result["all"]["speaker_judged"] == 1 and result["all"]["speaker_correct"] == 0


def test_gold_without_speaker_is_not_judged():
    gold = [gold_quote(9, 69, speaker=None, speaker_start=None, speaker_end=None)]
    result = run(gold, [pred_quote(9, 69)])
    assert result["all"]["matched"] == 1 and result["all"]["speaker_judged"] == 0


def test_names_agree_is_word_based_and_ignores_pronouns():
    assert names_agree("Bogdanov", "Mikhail Bogdanov")
    assert names_agree("Russian Deputy Foreign Minister Mikhail Bogdanov", "Mikhail Bogdanov")
    assert names_agree("mikhail bogdanov", "Mikhail Bogdanov") is False  # no capitalised word in gold
    assert not names_agree("he", "Stephen Harper")       # not a substring match
    assert not names_agree("he", "he")                   # pronouns agree only by span overlap
    assert not names_agree("Bog", "Mikhail Bogdanov")
    assert not names_agree(None, "Mikhail Bogdanov")


def test_errors_list_missed_and_spurious():
    result = run([gold_quote(0, 10)], [pred_quote(40, 60)])
    kinds = sorted(e["kind"] for e in result["errors"] if e["subset"] == "all")
    assert kinds == ["missed", "spurious"]
    report = format_errors({**result, "gold_articles": [{"id": "a", "text": TEXT}]})
    assert "MISSED" in report and "SPURIOUS" in report and "[[Bogdanov s]]" in report


def test_scores_add_up_over_articles():
    articles = [{"id": "a", "text": TEXT, "quotes": [gold_quote(0, 10)]},
                {"id": "b", "text": TEXT, "quotes": [gold_quote(0, 10), gold_quote(40, 60)]}]
    results = [{"quotes": [pred_quote(0, 10)]}, {"quotes": [pred_quote(40, 60)]}]
    scores = score(articles, results)
    assert scores["articles"] == 2
    assert (scores["all"]["gold"], scores["all"]["predicted"], scores["all"]["matched"]) == (3, 2, 2)
    assert scores["all"]["recall"] == pytest.approx(2 / 3)
    assert "all" in format_report(scores) and "quoted" in format_report(scores)


def test_main_runs_the_real_engine_on_a_small_gold_file(tmp_path, capsys):
    text = 'Lavrov told reporters: "We will meet again soon." Nothing else happened.'
    start = text.index("We will")
    end = text.index('."') + 1
    gold = {"id": "g1", "text": text, "quotes": [{
        "start": start, "end": end, "text": text[start:end], "type": "direct", "speaker": "Lavrov",
        "speaker_start": 0, "speaker_end": 6, "cue": "told"}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    assert main([str(path), "--limit", "1", "--errors"]) == 0
    out = capsys.readouterr().out
    assert "articles: 1" in out
    quoted_line = next(line for line in out.splitlines() if line.startswith("quoted"))
    assert quoted_line.split()[1] == "1"  # one gold quoted quote counted
