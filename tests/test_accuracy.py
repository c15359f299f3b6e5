"""Accuracy floors of the whole engine, measured with service.evaluate's matching rule.

- GUM news (Wikinews, CC BY; tests/data/gum, credit in its README): always runs. The floors sit
  just below what the engine reached when they were set, so a drop fails the suite.
- PolNeAR dev: its texts may not be copied into the project, so the test reads ../shared/data at
  run time (or $QUOTEWIRE_GOLD_DIR) and skips, saying why, when the file is absent.
"""
import os
from pathlib import Path

import pytest

from service.evaluate import evaluate_file, format_report
from service.evaluate_exact import exact_scores
from service.nlp import load_pipeline

# gum_news_names.jsonl is gum_news.jsonl (same texts and quotes) with each quote's canonical
# speaker_name and speaker_mention_kind, so one run gives both the quote and the name figures.
GUM = Path(__file__).parent / "data" / "gum" / "gum_news_names.jsonl"
GOLD_DIR = Path(os.environ.get("QUOTEWIRE_GOLD_DIR", Path(__file__).resolve().parents[2] / "shared" / "data"))
POLNEAR_DEV = GOLD_DIR / "polnear_dev.jsonl"

# Measured on GUM news (24 articles, 221 quotes) on 2026-11-23, after quotes broken by a blank
# line were joined: all P .758 R .751 F1 .755, speaker .916; quoted P .791 R .750 F1 .770, speaker
# .889. Floors slightly below. (The join found 3 more quotes and 2 more right speakers, but one of
# them is named "Nabil Maaloul" where the gold span is "Tunisia's coach", hence .899 -> .889.)
# With the learned layer (issue 13, 2026-12-01): all P .611 R .774 F1 .683, speaker .918; quoted
# F1 .764, speaker .918. GUM annotates attributions with a clause only: the layer's object and prepositional
# contents, which PolNeAR counts, are all false positives here (see the README). After the second
# session of issue 13 (signed quotes, relays, the retrained layer): all P .604 R .787 F1 .684,
# speaker .920; quoted P .779 R .771 F1 .775, speaker .905. After the third (headlines, datelines,
# quoted-speech rules, colon candidates, retrained): all P .597 R .796 F1 .682, speaker .926;
# quoted P .779 R .771 F1 .775, speaker .919. After the fourth (the mention as the written source,
# speakers through misparses, cue and content extents, retrained): all P .615 R .796 F1 .694,
# speaker .938; quoted P .779 R .771 F1 .775, speaker .919. After the fifth (interrupted contents
# in pieces, a reporter's participle, retrained with the precision tie-break): all P .610 R .792
# F1 .689, speaker .954; quoted F1 .775, speaker .932. After the seventh (word classes; the
# threshold chosen for speaker >= .92 on PolNeAR dev too, so fewer of the layer's quotes): all
# P .654 R .805 F1 .722, speaker .938; quoted F1 .779, speaker .919 (one quote the layer had
# given "The Home Office letter" is unattributed at the higher threshold). On 2026-12-04 (stray
# conjuncts in contents): all P .657 R .805 F1 .724. That evening (passive judged subjects in
# contents, retrained): all P .656 R .801 F1 .721, quoted F1 .775. That night (what seems so of a
# subject, retrained): all P .662 R .805 F1 .727, quoted F1 .779; names .950 (strict .943).
GUM_FLOORS = {
    ("all", "f1"): 0.72,
    ("all", "recall"): 0.80,
    ("all", "speaker_accuracy"): 0.93,
    ("quoted", "f1"): 0.77,
    ("quoted", "speaker_accuracy"): 0.915,
}
# Canonical-name accuracy on GUM news (service.evaluate_names), by the gold mention's kind, over the
# 134 matched quotes with a gold name. Measured on 2026-12-01: before issue 10's name work all .724
# (strict .701), names .817, pronouns .389, nominals .417; after it all .821 (strict .784), names
# .885, pronouns .667, nominals .500; after its second round and with the learned layer (135
# judged) all .941 (strict .896), names .952, pronouns .947, nominals .833; after its third round
# (136 judged) all .956 (strict .949), names .971, pronouns .947, nominals .833; after issue 13's
# third session, with headline quotes (139 judged) all .957 (strict .950), names .972, pronouns
# .947, nominals .846; after issue 13's seventh (word classes, the threshold for speaker >= .92)
# all .950 (strict .943), names .963: one name quote fewer right. Floors just below.
GUM_NAME_FLOORS = {
    ("all", "accuracy"): 0.95,
    ("all", "strict_accuracy"): 0.94,
    ("name", "accuracy"): 0.96,
    ("pronoun", "accuracy"): 0.94,
    ("nominal", "accuracy"): 0.84,
}
# On PolNeAR dev, measured on 2026-11-23 (commit cc9575f, the rules): all P .939 R .631 F1 .755,
# speaker .915; quoted P .923 R .919 F1 .921, speaker .927. With the learned layer (issue 13,
# 2026-12-01): all P .887 R .746 F1 .811, speaker .904; quoted P .919 R .932 F1 .925, speaker .927.
# After the second session (signed quotes, the layer reading passive subjects and bare speech
# verbs, retrained): all P .880 R .760 F1 .816, speaker .907; quoted P .918 R .937 F1 .927,
# speaker .932. After the third (headlines, datelines, quoted-speech rules, colon candidates,
# retrained): all P .883 R .777 F1 .827, speaker .911; quoted P .919 R .950 F1 .934, speaker .936.
# After the fourth (the written source, speakers through misparses, cue and content extents, the
# threshold grid at .0125, retrained): all P .885 R .772 F1 .825, speaker .920; quoted P .917
# R .950 F1 .933, speaker .937. After the fifth (interrupted contents in pieces, a reporter's
# participle, retrained with the precision tie-break): all P .889 R .771 F1 .826, speaker .918;
# quoted P .917 R .950 F1 .933, speaker .939. After the sixth (speakers around quote marks and
# through a verb's object, content spans, retrained): all P .888 R .773 F1 .827, speaker .921;
# quoted P .917 R .950 F1 .933, speaker .940. After the seventh (word classes, the threshold
# chosen for speaker >= .92 as well, rules leftovers): all P .898 R .764 F1 .826, speaker .922;
# quoted P .919 R .950 F1 .934, speaker .937. After the ninth (speakers through possessives,
# passive participles and addressed objects, raised subjects, polls): all P .897 R .766 F1 .826,
# speaker .929; quoted P .911 R .953 F1 .932, speaker .939. On 2026-12-04 (contrasting reports
# no part of a content, outlets as agencies, hearers and anonymity clauses): all P .897 R .767
# F1 .827, speaker .929; quoted unchanged. That evening (passive judged subjects in contents,
# shows as hearers, more fixed phrases, questions; retrained): all P .902 R .764 F1 .827, speaker .929;
# quoted P .912 R .951 F1 .931, speaker .940. That night (what seems so of a subject, an object
# with its "as" phrase, fixed phrases after a bracket; retrained): all P .904 R .764 F1 .828,
# speaker .929; quoted unchanged.
# Floors just below; recall and precision of all attributions have floors too, so that neither is
# traded away (the layer's threshold is chosen for precision >= 0.88 and speaker >= 0.92).
POLNEAR_FLOORS = {
    ("all", "f1"): 0.82,
    ("all", "recall"): 0.76,
    ("all", "precision"): 0.89,
    ("all", "speaker_accuracy"): 0.928,
    ("quoted", "f1"): 0.93,
    ("quoted", "speaker_accuracy"): 0.935,
}

# Exact-span F1 per role (service.evaluate_exact, the protocol of published PolNeAR results),
# measured on 2026-12-01 after cues became verb groups ("has also said", as PolNeAR marks them;
# GUM marks the bare verb, hence its lower cue figure): PolNeAR dev content .603, source .656,
# cue .677; GUM content .497, source .621, cue .559. At the end of that session: PolNeAR dev
# .606 / .663 / .682; GUM .502 / .624 / .562. After the third (noun cues from their verb, the
# learned layer's mentions as the rules', attitude nouns): PolNeAR dev .614 / .683 / .698; GUM .503 / .631 / .562.
# The fourth made the mention the source as written, PolNeAR's whole noun phrase (source .683 ->
# .743 on PolNeAR dev); GUM's gold mentions are bare names, so its source floor went down with it
# (.631 -> .591), on purpose. At the end of the fourth (cue and content extents, retrained):
# PolNeAR dev .618 / .753 / .710; GUM .512 / .596 / .565. At the end of the sixth: PolNeAR dev
# .625 / .754 / .710; GUM .511 / .595 / .571. At the end of the seventh (word classes, fewer of
# the layer's quotes): PolNeAR dev .627 / .757 / .707; GUM .529 / .612 / .582. At the end of the
# ninth (raised subjects and named objects in the content, speakers): PolNeAR dev .633 / .764 / .709.
# At the end of the tenth (a quotation a colon introduces): .634 / .764 / .709. On 2026-12-04
# (contrasting reports cut from contents): .635 / .764 / .710; that afternoon (relative pronouns
# and stray conjuncts in contents): .638 / .764 / .710, GUM .530 / .611 / .583; that evening (a
# passive's judged subject in the content, retrained): .641 / .765 / .711, GUM .528 / .620 / .584;
# that night (what seems so of a subject, an object with its "as" phrase, retrained; who was told
# is no speaker): .642 / .768 / .711, GUM .529 / .618 / .585.
POLNEAR_EXACT_FLOORS = {"content": 0.64, "source": 0.765, "cue": 0.705}
GUM_EXACT_FLOORS = {"content": 0.525, "source": 0.61, "cue": 0.575}


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def shortfalls(scores: dict, floors: dict) -> list[str]:
    return [f"{subset} {measure} {scores[subset][measure]:.3f} < floor {floor}"
            for (subset, measure), floor in floors.items() if scores[subset][measure] < floor]


def exact_shortfalls(scores: dict, floors: dict) -> list[str]:
    exact = exact_scores(scores["gold_articles"], scores["predictions"])
    return [f"exact {role} F1 {exact[role]['f1']:.3f} < floor {floor}"
            for role, floor in floors.items() if exact[role]["f1"] < floor]


def test_gum_news_floors(nlp):
    scores = evaluate_file(str(GUM), nlp=nlp)
    assert scores["articles"] == 24 and scores["all"]["gold"] == 221
    print(format_report(scores))
    assert not shortfalls(scores, GUM_FLOORS), "\n" + format_report(scores)
    assert not shortfalls(scores["names"], GUM_NAME_FLOORS), "\n" + format_report(scores)
    assert not exact_shortfalls(scores, GUM_EXACT_FLOORS)


def test_polnear_dev_floors(nlp):
    if not POLNEAR_DEV.exists():
        pytest.skip(f"PolNeAR dev gold not found at {POLNEAR_DEV} (its texts may not be committed; "
                    "set QUOTEWIRE_GOLD_DIR to the folder holding polnear_dev.jsonl)")
    scores = evaluate_file(str(POLNEAR_DEV), nlp=nlp)
    assert scores["articles"] == 84
    print(format_report(scores))
    assert not shortfalls(scores, POLNEAR_FLOORS), "\n" + format_report(scores)
    assert not exact_shortfalls(scores, POLNEAR_EXACT_FLOORS)
