"""The learned layer's model: logistic scorers over hashed string features, read with numpy.

A Scorer is what scikit-learn's LogisticRegression learned (service/train.py), kept as sorted
feature hashes and their weights: no feature strings, no text. The AttributionModel holds two,
one deciding which candidates attribute and one choosing their source, and is component state
(to_disk / from_disk beside the lexicon)."""
from __future__ import annotations

import math
from pathlib import Path

import numpy
import srsly
from spacy.strings import hash_string

MODEL_DIR = Path(__file__).parent / "model"
MAX_REMEMBERED = 200_000     # feature strings whose weight a scorer remembers


def hash_features(feats: list[str]) -> numpy.ndarray:
    return numpy.fromiter((hash_string(f) for f in feats), dtype=numpy.uint64, count=len(feats))


class Scorer:
    """A logistic model: weights by feature hash, and a bias."""

    def __init__(self, hashes, weights, bias: float):
        self.weight_of = dict(zip(numpy.asarray(hashes, dtype=numpy.uint64).tolist(),
                                  numpy.asarray(weights, dtype=numpy.float64).tolist()))
        self.bias = float(bias)
        self._by_string: dict[str, float] = {}

    def _remember(self, feature: str) -> float:
        """A feature's weight, remembered by its string: most features recur ("pos=VERB")."""
        if len(self._by_string) >= MAX_REMEMBERED:
            self._by_string.clear()    # bounded: new words keep arriving
        found = self._by_string[feature] = self.weight_of.get(hash_string(feature), 0.0)
        return found

    def probability(self, feats: list[str]) -> float:
        known = self._by_string
        z = self.bias
        for feature in feats:
            weight = known.get(feature)
            z += self._remember(feature) if weight is None else weight
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_disk(self, path: Path, name: str) -> None:
        hashes = numpy.fromiter(self.weight_of, dtype=numpy.uint64, count=len(self.weight_of))
        order = numpy.argsort(hashes)
        weights = numpy.fromiter(self.weight_of.values(), dtype=numpy.float32, count=len(self.weight_of))
        numpy.save(path / f"{name}_hashes.npy", hashes[order])
        numpy.save(path / f"{name}_weights.npy", weights[order])

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
