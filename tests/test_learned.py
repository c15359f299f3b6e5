"""The learned layer: the shipped model as it is used, and the training code on a small sample
(so that `make train` cannot rot; CI never trains the full model)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy

from service import train
from service.nlp import extract
from service.nlp.component import rule_frames
from service.nlp.learned import candidates
from service.nlp.learned_model import MODEL_DIR, AttributionModel

ROOT = Path(__file__).resolve().parent.parent
GUM = ROOT / "tests" / "data" / "gum" / "gum_news.jsonl"


def test_the_shipped_model_is_small_has_a_card_and_holds_no_text():
    files = list(MODEL_DIR.iterdir())
    assert sum(f.stat().st_size for f in files) < 25 * 2 ** 20
    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "PolNeAR" in card and "make train" in card
    for f in MODEL_DIR.glob("*.npy"):
        assert numpy.load(f).dtype.kind in "uf"        # numbers only: hashes and weights
    cfg = json.loads((MODEL_DIR / "cfg.json").read_text(encoding="utf-8"))
    strings = [v for v in cfg.values() if isinstance(v, str)]
    assert all(len(v) <= 10 for v in strings), strings    # dates, no sentences


def test_the_engine_loads_the_model_and_uses_it(nlp):
    extractor = nlp.get_pipe("quotewire")
    assert isinstance(extractor.model, AttributionModel)
    # a cue no word list of the rules holds, with a prepositional content
    quotes = next(extract(nlp, ["The senator raised questions about the cost of the new stadium."]))["quotes"]
    assert [q["rule"].split("+")[0] for q in quotes] == ["model"]
    assert quotes[0]["text"].endswith("the cost of the new stadium")
    assert quotes[0]["speaker"]["text"] == "The senator"
    assert 0 < quotes[0]["confidence"] < 0.9     # the model's probability, not a rule's base


def test_training_on_a_sample_gives_the_same_model_twice(tmp_path):
    # GUM texts stand in for PolNeAR here (CI has no PolNeAR); the shipped model never sees GUM
    for run in ("a", "b"):
        assert train.main([str(GUM), "--dev", str(GUM), "--limit", "6", "--grid", "0.3",
                           "--out", str(tmp_path / run)]) == 0
    first, second = (AttributionModel.from_disk(tmp_path / run) for run in ("a", "b"))
    assert len(first.attribution.hashes) and numpy.array_equal(first.attribution.hashes, second.attribution.hashes)
    assert numpy.array_equal(first.attribution.weights, second.attribution.weights)
    assert numpy.array_equal(first.source.weights, second.source.weights)
    assert (first.threshold, first.attribution.bias) == (second.threshold, second.attribution.bias)
    assert (tmp_path / "a" / "MODEL_CARD.md").exists()


def _read(nlp, text: str) -> tuple:
    """rule_frames of an invented text on the real parse."""
    doc = nlp.make_doc(text)
    for name, step in nlp.pipeline:
        if name != "quotewire":
            doc = step(doc)
    extractor = nlp.get_pipe("quotewire")
    return rule_frames(doc, extractor.lexicon, extractor.patterns)


def _candidates(nlp, text: str) -> dict[str, list[str]]:
    """Each relation's candidate contents in `text`."""
    found: dict[str, list[str]] = {}
    for c in candidates(_read(nlp, text)[0]):
        found.setdefault(c.relation, []).append(text[c.content[0]:c.content[1]])
    return found


def test_a_colon_after_a_short_lead_says_what_follows(nlp):
    found = _candidates(nlp, "Survey: Most farmers expect a dry summer.")
    assert found["colon"] == ["Most farmers expect a dry summer"]
    # a colon late in a long sentence introduces a list, not what a source says
    assert "colon" not in _candidates(nlp, "The town council met on Monday evening and approved three things: roads, parks and schools.")


def test_a_passive_subject_is_a_candidate_only_with_an_agent(nlp):
    assert _candidates(nlp, "The plan was criticized by the mayor.")["nsubjpass"] == ["The plan"]
    # trained as candidates, agentless ones made "No injuries were reported" a quote
    assert "nsubjpass" not in _candidates(nlp, "No injuries were reported in the attack.")


def test_the_threshold_is_chosen_for_f1_at_the_precision_and_speaker_floors():
    def trial(p, f1, speaker):
        return {"P": p, "F1": f1, "speaker": speaker}
    best_names = trial(0.885, 0.826, 0.921)
    trials = [trial(0.881, 0.829, 0.918),          # more attributions, but names below the floor
              best_names,
              trial(0.890, 0.8255, 0.923),        # within the tie of the best: the more precise wins
              trial(0.86, 0.835, 0.93)]           # precision below the floor
    assert train.chosen_trial(trials) == trials[2]
    assert train.chosen_trial(trials[:2]) == best_names
    # further below the best than the tie: no tie, however precise
    assert train.chosen_trial(trials[:2] + [trial(0.899, 0.8235, 0.93)]) == best_names
    # no trial reaches the speaker floor: the precision floor alone
    assert train.chosen_trial([trial(0.881, 0.829, 0.90), trial(0.89, 0.82, 0.91)])["F1"] == 0.829
    # none reaches the precision floor either: the most precise
    assert train.chosen_trial([trial(0.80, 0.83, 0.95), trial(0.85, 0.80, 0.95)])["P"] == 0.85
