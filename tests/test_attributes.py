"""The engine's QuickAttributeRuler sets the same token attributes as the model's attribute_ruler."""
from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest
from spacy.attrs import LEMMA, MORPH, POS
from spacy.tokens import Doc

from service.nlp import load_model
from service.nlp.attributes import QuickAttributeRuler, quicken_attribute_ruler

ROOT = Path(__file__).resolve().parent.parent
SET_BY_THE_RULER = [POS, MORPH, LEMMA]


def articles() -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))]
    gum = [json.loads(line)["text"] for line in (ROOT / "tests" / "data" / "gum" / "gum_news.jsonl").open()]
    return seeds + gum


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def quick(model):
    ruler = QuickAttributeRuler(model.vocab)
    ruler.add_patterns(model.get_pipe("attribute_ruler").patterns)
    return ruler


def parsed_without_ruler(model, texts: list[str]) -> list[Doc]:
    with model.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        return list(model.pipe(texts))


def copy(doc: Doc) -> Doc:
    return Doc(doc.vocab).from_bytes(doc.to_bytes())


def test_the_tokens_come_out_as_the_attribute_ruler_sets_them(model, quick):
    ruler = model.get_pipe("attribute_ruler")
    for doc in parsed_without_ruler(model, articles()):
        expected, got = ruler(copy(doc)), quick(copy(doc))
        assert numpy.array_equal(got.to_array(SET_BY_THE_RULER), expected.to_array(SET_BY_THE_RULER)), doc.text[:80]


def test_the_word_patterns_and_the_matched_ones_apply_in_pattern_order(model, quick):
    # "ai n't" takes a two-token (matched) pattern; "that" (IN) a word-list pattern that
    # overrides the tag map's ADP, "her" (PRP$) a word pattern that gives it a lemma
    doc = parsed_without_ruler(model, ["I ai n't sure that her plan works, she said."])[0]
    expected, got = model.get_pipe("attribute_ruler")(copy(doc)), quick(copy(doc))
    assert [(t.pos_, str(t.morph), t.lemma_) for t in got] == [(t.pos_, str(t.morph), t.lemma_) for t in expected]
    assert (got[1].lemma_, got[4].pos_, got[5].lemma_) == ("be", "SCONJ", "her")


def test_the_engine_runs_the_quick_ruler_in_place_of_the_model_s(model):
    nlp = load_model()
    quicken_attribute_ruler(nlp)
    quicken_attribute_ruler(nlp)   # twice is once
    assert nlp.pipe_names.count("quotewire_attributes") == 1
    assert "attribute_ruler" in nlp.disabled
    assert nlp.pipe_names.index("quotewire_attributes") == nlp.pipe_names.index("parser") + 1
    assert len(nlp.get_pipe("quotewire_attributes").patterns) == len(nlp.get_pipe("attribute_ruler").patterns)


def test_a_pattern_with_an_operator_goes_through_the_matcher_with_the_same_result(model):
    patterns = [{"patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], "attrs": {"LEMMA": "VERY"}, "index": -1},
                {"patterns": [[{"TAG": "JJ"}]], "attrs": {"LEMMA": "ADJ"}}]
    spacy_ruler, quick = model.get_pipe("attribute_ruler").__class__(model.vocab), QuickAttributeRuler(model.vocab)
    spacy_ruler.add_patterns(patterns)
    quick.add_patterns(patterns)
    assert len(quick._rest) == 1
    doc = parsed_without_ruler(model, ["It was a very very big and old house."])[0]
    expected, got = spacy_ruler(copy(doc)), quick(copy(doc))
    assert [t.lemma_ for t in got] == [t.lemma_ for t in expected]
    assert [t.lemma_ for t in got if t.tag_ == "JJ"] == ["ADJ", "ADJ"]   # the later pattern wins
