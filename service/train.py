"""Trains the learned layer (service/nlp/learned.py): `make train`.

    python -m service.train ../shared/data/polnear_train.jsonl --dev ../shared/data/polnear_dev.jsonl

Reads top-down:
  1. parse the training articles; run the rules on each (the model learns only what they miss);
  2. every candidate of learned.candidates is an example: positive when its content matches a
     gold attribution the rules did not find (the evaluation's overlap rule) and its cue word lies
     in that attribution's cue;
  3. fit a logistic regression (scikit-learn, liblinear: deterministic) on the hashed features,
     for each regularisation strength of the grid;
  4. model selection on dev: for each fit and threshold, run the whole engine on the dev articles
     and score it (service.evaluate); keep the best all-attributions F1 whose precision is at
     least MIN_PRECISION and speaker accuracy at least MIN_SPEAKER (of trials within F1_TIE of
     it, the most precise);
  5. write the model (hashes and weights, no text) and its card.

scikit-learn is needed for training only; the engine reads the weights with numpy.
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

import numpy

from .evaluate import match_quotes, read_gold, score, spans_match
from .nlp import load_pipeline
from .nlp.component import quotes_of, rule_frames
from .nlp.learned import ranked_sources, rules_read, scored_candidates
from .nlp.learned_model import MODEL_DIR, AttributionModel, Scorer, hash_features
from .nlp.records import NO_COMMENT
from .nlp.serialize import quote_dict

SEED = 0
GRID = (0.05, 0.1, 0.2)
# 0.25 .. 0.60 in steps of .0125: a coarser grid wastes precision above the floor (at .025 on
# PolNeAR dev the best fit at P >= .88 was F1 .822 at P .888; a threshold between two grid
# points gave F1 .825 at P .889)
THRESHOLDS = tuple(round(0.25 + 0.0125 * k, 4) for k in range(29))
MIN_PRECISION = 0.88
# the layer's speakers are less often right than the rules': more of its quotes at a lower
# threshold lower the engine's speaker accuracy, which must not fall below issue 13's goal for
# a few more attributions (a wrong name is the mistake newsrooms do not forgive)
MIN_SPEAKER = 0.92
# trials within this much of the best dev F1 are a tie (about four attributions of dev's 2,192, far
# inside the noise of dev's F1): the most precise wins. Once the best by .0002 had P .881 where a tie
# had .887 and better speakers; once (.001) the best by .0015 had P .882, just over the floor, where
# a tie had .896 and speaker accuracy .926 against .923: a point so near the precision floor on
# dev falls under it on other articles as often as not
F1_TIE = 0.002
SOURCE_C = 0.3
SOURCE_THRESHOLD = 0.2  # below it a frame keeps no source: a wrong name is worse than none
MIN_COUNT = 2          # features seen fewer times in training are left out of the model


def parsed(nlp, articles: list[dict]) -> list:
    return list(nlp.pipe((a["text"] for a in articles), batch_size=32, disable=["quotewire"]))


def read_by_rules(extractor, docs) -> list[tuple]:
    """Each doc's rule_frames: the rules run once per article, whatever is tried after them."""
    return [rule_frames(doc, extractor.lexicon, extractor.patterns) for doc in docs]


def as_scored(doc, read, extractor, model: AttributionModel | None) -> list[dict]:
    """The engine's quotes of a doc as the evaluation reads them (no refusal records); without a
    model, the rules' alone."""
    quotes = quotes_of(doc, read, extractor.lexicon, model)
    return [quote_dict(str(k), q) for k, q in enumerate(quotes) if q.kind != NO_COMMENT]


def attributed(candidate, missed: list[dict]) -> dict | None:
    """The gold attribution the rules missed that this candidate finds, or None: its content
    matches (the evaluation's overlap rule) and its cue word lies in the gold cue."""
    content = {"start": candidate.content[0], "end": candidate.content[1]}
    for gold in missed:
        meta = gold.get("meta") or {}
        cue_start, cue_end = meta.get("cue_start"), meta.get("cue_end")
        if cue_start is None or not spans_match(gold, content):
            continue
        if cue_start <= candidate.cue.idx < cue_end or cue_start <= candidate.link.idx < cue_end:
            return gold
    return None


class Examples:
    """Features and labels for the two scorers: every candidate (does it attribute?) and, for
    those that do, every candidate source (is it the gold speaker?)."""

    def __init__(self):
        self.attribution, self.attribution_labels = [], []
        self.source, self.source_labels = [], []

    def add(self, reading, candidate, guess, feats, gold: dict | None) -> None:
        self.attribution.append(feats)
        self.attribution_labels.append(int(gold is not None))
        if gold is None or gold.get("speaker_start") is None:
            return
        for token, source_feats in ranked_sources(reading, candidate, guess):
            self.source.append(source_feats)
            self.source_labels.append(int(gold["speaker_start"] <= token.idx < gold["speaker_end"]))



def examples(extractor, docs, articles) -> Examples:
    found = Examples()
    for doc, article, read in zip(docs, articles, read_by_rules(extractor, docs)):
        gold = article["quotes"]
        matched = {i for i, _ in match_quotes(gold, as_scored(doc, read, extractor, None))}
        missed = [g for i, g in enumerate(gold) if i not in matched]
        reading, _, quoted, frames, anchored = read
        for candidate, guess, feats in scored_candidates(reading, rules_read(frames, quoted, anchored)):
            found.add(reading, candidate, guess, feats, attributed(candidate, missed))
    return found


def _matrix(features: list[list[str]], columns: dict[int, int]):
    from scipy.sparse import csr_matrix
    rows, cols = [], []
    for k, feats in enumerate(features):
        for key in hash_features(feats).tolist():
            col = columns.get(key)
            if col is not None:
                rows.append(k)
                cols.append(col)
    return csr_matrix((numpy.ones(len(rows), dtype=numpy.float32), (rows, cols)),
                      shape=(len(features), len(columns)))


def feature_columns(features: list[list[str]]) -> dict[int, int]:
    """Column of each feature hash seen at least MIN_COUNT times, in a fixed order."""
    counts: dict[int, int] = {}
    for feats in features:
        for key in hash_features(feats).tolist():
            counts[key] = counts.get(key, 0) + 1
    kept = sorted(key for key, n in counts.items() if n >= MIN_COUNT)
    return {key: col for col, key in enumerate(kept)}


def fit(features: list[list[str]], labels: list[int], c: float) -> Scorer:
    """A logistic regression (liblinear: deterministic for a seed) as a Scorer."""
    from sklearn.linear_model import LogisticRegression
    columns = feature_columns(features)
    learner = LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=1000)
    learner.fit(_matrix(features, columns), numpy.asarray(labels))
    hashes = numpy.fromiter(columns, dtype=numpy.uint64, count=len(columns))
    weights = learner.coef_[0].astype(numpy.float32)
    keep = numpy.abs(weights) >= 1e-4
    return Scorer(hashes[keep], weights[keep], float(learner.intercept_[0]))


def dev_scores(extractor, model: AttributionModel, docs, articles, reads: list[tuple]) -> dict:
    """The engine's scores on the dev articles with this model (`reads`: read_by_rules of docs)."""
    predicted = [{"quotes": as_scored(doc, read, extractor, model)} for doc, read in zip(docs, reads)]
    return score(articles, predicted)


def chosen_trial(trials: list[dict]) -> dict:
    """The best F1 at the precision and speaker floors (of trials within F1_TIE of it, the most
    precise); when no trial reaches both (a tiny sample), at the precision floor alone; when none
    reaches that, the most precise."""
    eligible = ([t for t in trials if t["P"] >= MIN_PRECISION and t["speaker"] >= MIN_SPEAKER]
                or [t for t in trials if t["P"] >= MIN_PRECISION]
                or [max(trials, key=lambda t: (t["P"], t["F1"]))])
    best = max(t["F1"] for t in eligible)
    return max((t for t in eligible if t["F1"] >= best - F1_TIE), key=lambda t: (t["P"], t["F1"]))


def select(extractor, found: Examples, dev_docs, dev_articles, dev_reads, grid=GRID, thresholds=THRESHOLDS):
    """The model with the best dev F1 over the grid and thresholds, and every trial's figures."""
    source = fit(found.source, found.source_labels, SOURCE_C)
    trials, fitted = [], {}
    for c in grid:
        fitted[c] = fit(found.attribution, found.attribution_labels, c)
        model = AttributionModel(fitted[c], source, source_threshold=SOURCE_THRESHOLD)
        for threshold in thresholds:
            model.threshold = threshold
            scores = dev_scores(extractor, model, dev_docs, dev_articles, dev_reads)["all"]
            trials.append({"C": c, "threshold": threshold, "P": scores["precision"],
                           "R": scores["recall"], "F1": scores["f1"], "speaker": scores["speaker_accuracy"]})
            print(json.dumps(trials[-1]), file=sys.stderr, flush=True)
    chosen = chosen_trial(trials)
    model = AttributionModel(fitted[chosen["C"]], source, chosen["threshold"], SOURCE_THRESHOLD,
                             {"C": chosen["C"], "source_C": SOURCE_C})
    return model, trials


CARD = """# The learned layer's model

Trained {trained} by `make train` (service/train.py) in {seconds} s: {train_articles} articles of
PolNeAR 1.0 train (Newell, Margolin & Ruths 2018; the texts are not in this repository and the
model holds none of them: feature hashes and weights only). Model selection on PolNeAR dev.

## What it decides

Two logistic regressions (scikit-learn {sklearn}, liblinear, seed {seed}), read with numpy by
service/nlp/learned.py:
- attribution: does a predicate the rules did not read (a verb, noun or adjective with a clause,
  object, prepositional object or passive subject; a colon after a short lead, "Poll: ...";
  or a speech verb the rules found no content for) attribute its complement? {candidates} training candidates,
  {positives} positive (the content matches a PolNeAR attribution the rules missed, by the
  evaluation's overlap rule, and the cue word is in its cue). {features} hashed features (the
  cue's word, prefix, tag, dependency and word class; the complement's dependency, preposition,
  head, the head's word class and first word; the source's kind; whether a rule's content holds
  it); C = {C}, accepted at
  p >= {threshold}. (Adding the parser's own vectors of the cue and the content's head, doc.tensor,
  gained 0.001-0.003 F1 on dev for a much slower fit; they are left out. Gradient-boosted trees,
  LightGBM with 31 leaves and 400 rounds on the same features, reached dev F1 0.822 against this
  model's 0.823-0.824: no gain for a new dependency. A contextual token tagger of attribution
  roles (spaCy tagger on its own CNN tok2vec, trained on PolNeAR train's cue/source/content
  spans), its scores added as features, gained .007 dev F1 but nothing at matched precision in
  2-fold cross-validation on train, for 24 more minutes of training: left out. Two
  article-level features, whether the source's word names a rule's speaker elsewhere in the
  article and how many rule cues share the cue's sentence, left the 2-fold curve where it was.
  The word classes, Brown clusters of spaCy's English lookup data (service/nlp/data/
  word_classes.npz, spacy-lookups-data 1.0.5, MIT) at 4 to 14 bits and whole, raised held-out
  F1 at precision .885 by .001-.003 in each fold and C of 2-fold cross-validation on train.
  On 2026-12-04, against these features' best dev F1 .828 at precision >= .88 (C 0.1): weighting the
  positive class 2 or 3 times .829 (at P .880 and .884), leaving out features seen fewer than
  3 times .827, features for a content head with a complement of its own ("a supporter [of
  NATO]") .832 at P .881 but .824 at P .895 (against .828): the curve moves, it does not rise.
  Left out.)
- source: which noun phrase near the cue is its source: {source_features} hashed features (the
  dependency path to the cue, the word, side, distance, rank); C = {source_C}, accepted at
  p >= {source_threshold}, else no source.
Features seen fewer than {min_count} times in training are left out.

## Figures (PolNeAR dev, the whole engine with this model)

| | P | R | F1 | speaker |
|---|---|---|---|---|
| all attributions | {all_P:.3f} | {all_R:.3f} | {all_F1:.3f} | {all_speaker:.3f} |
| quoted (direct + mixed) | {quoted_P:.3f} | {quoted_R:.3f} | {quoted_F1:.3f} | {quoted_speaker:.3f} |

The threshold is the one with the best all-attributions F1 whose precision is at least
{min_precision} and speaker accuracy at least {min_speaker} (of the trials within {f1_tie} F1 of
it, the most precise); every trial is in cfg.json ("trials").
"""


def model_card(meta: dict, scores: dict) -> str:
    import sklearn
    figures = {f"{subset}_{key}": scores[subset][name] for subset in ("all", "quoted")
               for key, name in (("P", "precision"), ("R", "recall"), ("F1", "f1"), ("speaker", "speaker_accuracy"))}
    return CARD.format(sklearn=sklearn.__version__, f1_tie=F1_TIE, **meta, **figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train")
    parser.add_argument("--dev", required=True)
    parser.add_argument("--out", default=str(MODEL_DIR))
    parser.add_argument("--limit", type=int, help="train on the first N articles only (tests)")
    parser.add_argument("--grid", type=float, nargs="+", default=list(GRID))
    args = parser.parse_args(argv)
    started = time.time()
    nlp = load_pipeline()
    extractor = nlp.get_pipe("quotewire")
    train = read_gold(args.train, args.limit)
    dev = read_gold(args.dev, args.limit)
    found = examples(extractor, parsed(nlp, train), train)
    print(f"{len(found.attribution)} candidates, {sum(found.attribution_labels)} positive", file=sys.stderr, flush=True)
    dev_docs = parsed(nlp, dev)
    dev_reads = read_by_rules(extractor, dev_docs)
    model, trials = select(extractor, found, dev_docs, dev, dev_reads, tuple(args.grid))
    model.meta.update({"trained": datetime.date.today().isoformat(), "train_articles": len(train),
                       "candidates": len(found.attribution), "positives": sum(found.attribution_labels),
                       "features": len(model.attribution.hashes), "source_features": len(model.source.hashes),
                       "seed": SEED, "min_count": MIN_COUNT, "min_precision": MIN_PRECISION, "min_speaker": MIN_SPEAKER,
                       "trials": trials, "seconds": round(time.time() - started)})
    model.meta.update({"threshold": model.threshold, "source_threshold": model.source_threshold})
    model.to_disk(args.out)
    card = model_card(model.meta, dev_scores(extractor, model, dev_docs, dev, dev_reads))
    (Path(args.out) / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    print(json.dumps({k: v for k, v in model.meta.items() if k != "trials"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
