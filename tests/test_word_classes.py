"""Word classes (service/nlp/word_classes.py): the committed table, its lookups, its place in
the lexicon and in the learned layer's features, and its rebuild from spacy-lookups-data."""
from __future__ import annotations

import numpy
import pytest

from service.nlp.learned import candidates, scored_candidates, rules_read
from service.nlp.lexicon import DATA_DIR, Lexicon
from service.nlp.word_classes import FILE_NAME, WordClasses, from_spacy_lookups

CLASSES = WordClasses.from_file(DATA_DIR / FILE_NAME)


def test_the_committed_table_holds_hashes_and_classes_only():
    with numpy.load(DATA_DIR / FILE_NAME) as table:
        assert sorted(table.files) == ["classes", "hashes"]
        assert table["hashes"].dtype == numpy.uint64 and table["classes"].dtype == numpy.uint32
        assert len(numpy.unique(table["hashes"])) == len(table["hashes"]) > 150_000
        assert numpy.all(table["classes"] > 0)                                # words with a class only


def test_words_used_alike_share_a_class_and_prefixes_widen_it():
    # three ways of reporting an argument: one Brown cluster
    assert CLASSES.of("argued") == CLASSES.of("insisted") == CLASSES.of("claimed") > 0
    # a rarer word of criticism shares a deep prefix with a common one, not the whole class
    assert CLASSES.of("decried") != CLASSES.of("criticized")
    assert CLASSES.prefix("decried", 12) == CLASSES.prefix("criticized", 12) != -1
    assert CLASSES.prefix("said", 10) == -1          # a class known to fewer bits has no deeper prefix
    # and a noun is of another class from the first bits on
    assert CLASSES.prefix("stadium", 4) != CLASSES.prefix("argued", 4)


def test_lookups_fall_back_to_lower_case_and_unknown_words_have_none():
    assert CLASSES.of("ARGUED") == CLASSES.of("argued")
    assert CLASSES.of("Zqxwvplorb") == 0
    assert CLASSES.features("c", "Zqxwvplorb") == ["c=none"]
    assert CLASSES.prefix("Zqxwvplorb", 4) == -1


def test_features_name_each_depth_the_class_reaches():
    value = CLASSES.of("decried")
    depth = value.bit_length()
    features = CLASSES.features("c", "decried")
    assert features[-1] == f"c={value}"
    assert [f.split("=")[0] for f in features[:-1]] == [f"c{d}" for d in (4, 6, 8, 10, 12, 14) if d <= depth]
    assert features[0] == f"c4={value & 0b1111}"


def test_a_lexicon_without_the_file_has_no_classes_and_to_dir_copies_it(tmp_path):
    assert len(WordClasses.from_file(tmp_path / FILE_NAME).hashes) == 0
    Lexicon.from_dir().to_dir(tmp_path)
    copied = Lexicon.from_dir(tmp_path).word_classes
    assert numpy.array_equal(copied.hashes, CLASSES.hashes) and numpy.array_equal(copied.classes, CLASSES.classes)


def test_the_learned_layer_reads_the_classes_of_cue_and_content(nlp):
    from service.nlp.component import rule_frames
    # "deplored": a verb of no word list (a learned-layer cue), of the class of "decried"
    doc = nlp("The senator deplored the cost of the new stadium.", disable=["quotewire"])
    reading, _, quoted, frames, anchored = rule_frames(doc, nlp.get_pipe("quotewire").lexicon,
                                                        nlp.get_pipe("quotewire").patterns)
    feats = {f for c, _, fs in scored_candidates(reading, rules_read(frames, quoted, anchored))
             if c.cue.lower_ == "deplored" for f in fs}
    assert f"class={CLASSES.of('decried')}" in feats and f"class12={CLASSES.prefix('decried', 12)}" in feats
    assert any(f.startswith("hclass") for f in feats)


@pytest.mark.slow
def test_the_table_is_rebuilt_from_spacy_lookups_data_as_committed():
    rebuilt = from_spacy_lookups()
    assert numpy.array_equal(rebuilt.hashes, CLASSES.hashes)
    assert numpy.array_equal(rebuilt.classes, CLASSES.classes)
