"""The learned layer's model: logistic scorers over hashed string features, read with numpy.

A Scorer is what scikit-learn's LogisticRegression learned (service/train.py), kept as sorted
feature hashes and their weights: no feature strings, no text. The AttributionModel holds two,
one deciding which candidates attribute and one choosing their source, and is component state
(to_disk / from_disk beside the lexicon)."""
from __future__ import annotations

from pathlib import Path

import numpy
import srsly
from spacy.strings import hash_string

MODEL_DIR = Path(__file__).parent / "model"


def hash_features(feats: list[str]) -> numpy.ndarray:
    return numpy.fromiter((hash_string(f) for f in feats), dtype=numpy.uint64, count=len(feats))


class Scorer:
    """A logistic model: weights by feature hash (sorted arrays: read, never written, so forked
    workers share them), and a bias."""

    def __init__(self, hashes, weights, bias: float):
        hashes = numpy.asarray(hashes, dtype=numpy.uint64)
        order = numpy.argsort(hashes)
        self.hashes = hashes[order]
        self.weights = numpy.asarray(weights, dtype=numpy.float32)[order]
        self.bias = float(bias)

    def probabilities(self, rows: list[list[str]]) -> numpy.ndarray:
        """The probability of each row of features, in one vectorised lookup."""
        if not rows:
            return numpy.zeros(0)
        lengths = [len(row) for row in rows]
        keys = numpy.fromiter((hash_string(f) for row in rows for f in row), dtype=numpy.uint64,
                              count=sum(lengths))
        weights = numpy.zeros(len(keys), dtype=numpy.float64)
        if len(self.hashes):
            at = numpy.minimum(numpy.searchsorted(self.hashes, keys), len(self.hashes) - 1)
            known = self.hashes[at] == keys
            weights[known] = self.weights[at[known]]
        starts = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
        z = self.bias + numpy.add.reduceat(weights, starts)
        return 1.0 / (1.0 + numpy.exp(-numpy.clip(z, -30.0, 30.0)))

    def to_disk(self, path: Path, name: str) -> None:
        numpy.save(path / f"{name}_hashes.npy", self.hashes)
        numpy.save(path / f"{name}_weights.npy", self.weights)

    @classmethod
    def from_disk(cls, path: Path, name: str, bias: float) -> "Scorer":
        return cls(numpy.load(path / f"{name}_hashes.npy"), numpy.load(path / f"{name}_weights.npy"), bias)


class AttributionModel:
    """Which candidates attribute (`attribution`, accepted at `threshold`) and which mention is
    each one's source (`source`, accepted at `source_threshold`, else no source)."""

    def __init__(self, attribution: Scorer, source: Scorer | None, threshold: float = 0.5,
                 source_threshold: float = 0.5, meta: dict | None = None):
        self.attribution = attribution
        self.source = source
        self.threshold = threshold
        self.source_threshold = source_threshold
        self.meta = meta or {}

    def to_disk(self, path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.attribution.to_disk(path, "attribution")
        cfg = {"threshold": self.threshold, "attribution_bias": self.attribution.bias}
        if self.source is not None:
            self.source.to_disk(path, "source")
            cfg.update(source_threshold=self.source_threshold, source_bias=self.source.bias)
        srsly.write_json(path / "cfg.json", {**cfg, **self.meta})

    @classmethod
    def from_disk(cls, path) -> "AttributionModel | None":
        path = Path(path)
        if not (path / "cfg.json").exists():
            return None
        cfg = srsly.read_json(path / "cfg.json")
        attribution = Scorer.from_disk(path, "attribution", cfg.pop("attribution_bias"))
        source = Scorer.from_disk(path, "source", cfg.pop("source_bias")) if "source_bias" in cfg else None
        return cls(attribution, source, cfg.pop("threshold"), cfg.pop("source_threshold", 0.5), cfg)
