"""Word classes: Brown clusters of English words, read by the learned layer.

The learned layer knows a cue by its word; a cue it never met in training ("decried") would get
nothing from the words it did meet ("criticized", "denounced"). Brown clusters put words used
alike in one class, and a class is a bit string whose prefixes are ever wider classes: a word's
class read at several depths lets the model weigh a new word like its neighbours.

The classes are those of spaCy's English lexeme data (spacy-lookups-data 1.0.5, MIT licence,
table `en_lexeme_cluster`): 190,000-odd words with a class, stored in data/word_classes.npz as
sorted 64-bit string hashes (spaCy's hash_string) and their classes, no words. Build it again with

    pip install spacy-lookups-data==1.0.5 && python -m service.nlp.word_classes

A class is stored as spaCy stores it: the cluster's bit string reversed and read as a number, so
its first bit is the lowest. Trailing zeros of the path are lost that way: a class is known to
at least its number's bit length.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy
from spacy.strings import hash_string

FILE_NAME = "word_classes.npz"
DEPTHS = (4, 6, 8, 10, 12, 14)     # bits of the class path; the whole class is a feature too


class WordClasses:
    """Each word's class, looked up by string hash (sorted arrays: read, never written)."""

    def __init__(self, hashes, classes):
        hashes = numpy.asarray(hashes, dtype=numpy.uint64)
        order = numpy.argsort(hashes)
        self.hashes = hashes[order]
        self.classes = numpy.asarray(classes, dtype=numpy.uint32)[order]

    @classmethod
    def from_file(cls, path: Path) -> "WordClasses":
        """The table of a data folder's file; with no file, no word has a class."""
        if not Path(path).exists():
            return cls([], [])
        with numpy.load(path) as table:
            return cls(table["hashes"], table["classes"])

    def save(self, path: Path) -> None:
        numpy.savez_compressed(path, hashes=self.hashes, classes=self.classes)

    def _lookup(self, word: str) -> int:
        if not len(self.hashes):
            return 0
        key = numpy.uint64(hash_string(word))
        at = int(numpy.searchsorted(self.hashes, key))
        return int(self.classes[at]) if at < len(self.hashes) and self.hashes[at] == key else 0

    def of(self, word: str) -> int:
        """The word's class as written, else in lower case; 0 for a word with none."""
        return self._lookup(word) or self._lookup(word.lower())

    def prefix(self, word: str, depth: int) -> int:
        """The class path's first `depth` bits (-1 when the word's class is shallower or none)."""
        return _bits(self.of(word), depth)

    def features(self, name: str, word: str) -> list[str]:
        """`name`'s class at each depth the word's class reaches, and its whole class."""
        found = self.of(word)
        if not found:
            return [name + "=none"]
        prefixes = ((depth, _bits(found, depth)) for depth in DEPTHS)
        return [f"{name}{depth}={bits}" for depth, bits in prefixes if bits >= 0] + [f"{name}={found}"]


def _bits(found: int, depth: int) -> int:
    return found & ((1 << depth) - 1) if found and found.bit_length() >= depth else -1


def from_spacy_lookups() -> WordClasses:
    """The classes of spacy-lookups-data's English table (its keys are string hashes already)."""
    from spacy.lookups import load_lookups
    table = load_lookups("en", ["lexeme_cluster"]).get_table("lexeme_cluster")
    known = [(key, value) for key, value in table.items() if value]
    return WordClasses([key for key, _ in known], [value for _, value in known])


def main() -> int:
    from .lexicon import DATA_DIR
    classes = from_spacy_lookups()
    classes.save(DATA_DIR / FILE_NAME)
    print(f"{len(classes.hashes)} word classes -> {DATA_DIR / FILE_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
