"""Quote text as the bank compares it: normalised words, word shingles, and the two exact checks
run on every candidate pair (near-duplicate, fragment).

Normalisation folds what syndication changes without changing the words: case, accents, quote
marks, apostrophes, dashes, whitespace and punctuation. Two quotes with the same normalised words
are the same quote. `text_key` is that word sequence joined by spaces.
"""
from __future__ import annotations

import json
import re
import unicodedata
import zlib

# Near-duplicates (an edited or typo'd copy): at least this share of their word shingles (words
# and word pairs) in common, Jaccard |A & B| / |A | B|. One typo in a 15-word quote leaves 0.81,
# a dropped word 0.87; two different quotes of the same speaker rarely pass 0.4.
NEAR_DUPLICATE_JACCARD = 0.6
# Shorter texts are only the same quote when their words are the same: in a few words one
# changed word is another statement ("Islamic terrorism" / "Islamic terrorism manufactured").
NEAR_DUPLICATE_MIN_WORDS = 4
# A fragment (a partial quote in another outlet's paragraph): at least this many words, found as
# one run of words inside a longer quote of the same speaker.
MIN_FRAGMENT_WORDS = 3

# English closed-class words, folded as `words` folds them (apostrophes dropped: "dont", "its").
FUNCTION_WORDS = frozenset("""
a an the this that these those some any each every no all both either neither
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
myself ourselves yourself himself herself itself themselves one ones
who whom whose which what whatever whoever when where why how whether
of to in on at by for from with without into onto upon about above below over under after
before between through during against among around across along off out up down near than
and or but nor so yet if because as while although though unless until since then there here
be am is are was were been being have has had having do does did doing done
will would shall should can could may might must
not no nt dont doesnt didnt cant couldnt wont wouldnt shouldnt isnt arent wasnt werent
hasnt havent hadnt im ive id youre youve youd hes shes theyre theyve weve thats theres lets
very too also just only even more most much many such own same other s t
""".split())

_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018\u02bc`\u00b4")
_WORD = re.compile(r"[^\W_]+")
_IN_MARKS = re.compile(r'["\u201c\u201e\u00ab]([^"\u201c\u201d\u00ab\u00bb]*)(?:["\u201d\u00bb]|$)')
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """Lower case without accents or apostrophes ("Don’t" and "dont" alike)."""
    bare = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return bare.casefold().translate(_APOSTROPHES)


def words(text: str) -> list[str]:
    """The quote's words: letters and digits; marks, dashes and punctuation are separators."""
    return _WORD.findall(fold(text or ""))


def text_key(text: str) -> str:
    """The normalised form: the same key means the same quote."""
    return " ".join(words(text))


def fragment_text(fragments: str | None) -> str | None:
    """The words of an interrupted quote without its attribution: its `fragments` cell (JSON,
    as quote rows carry it) joined; None when the row has none (or the cell is not readable)."""
    if not fragments or fragments == "[]":
        return None
    try:
        parts = [part["text"] for part in json.loads(fragments)]
    except (ValueError, TypeError, KeyError):
        return None
    return " ".join(part for part in parts if isinstance(part, str)) or None


def quoted_words(text: str, quote_type: str | None, fragments: str | None = None) -> str:
    """The words a row quotes. An interrupted quote (""…," she said, "…"") is its fragments, not
    its whole extent with the attribution in it. A mixed quote's text is the reporter's clause
    with the speaker's words in marks (`the talks would "give us an opportunity`): only those
    are compared."""
    text = fragment_text(fragments) or text
    if quote_type == "mixed":
        parts = [part for part in _IN_MARKS.findall(text or "") if part.strip()]
        if parts:
            return " ".join(parts)
    return text or ""


def shingles(key: str) -> set[str]:
    """The word shingles of a text key: each word and each pair of neighbouring words."""
    tokens = key.split()
    return set(tokens) | {f"{a} {b}" for a, b in zip(tokens, tokens[1:])}


def telling_shingles(every: set[str]) -> set[str]:
    """A text's shingles that hold a word other than a function word; all of them for a text of
    function words only. The others ("of the", "we will") are in a large share of all quotes:
    two texts sharing them share nothing of note (see `local.telling_bands`)."""
    return {s for s in every if not FUNCTION_WORDS.issuperset(s.split())} or every


def jaccard(a: set, b: set) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if a or b else 1.0



def is_near_duplicate(key_a: str, key_b: str) -> bool:
    """The exact check of a MinHash candidate pair."""
    return key_a != key_b and near_duplicate_shingles(shingles(key_a), shingles(key_b),
                                                      fewest_words(key_a, key_b))


def fewest_words(key_a: str, key_b: str) -> int:
    return min(key_a.count(" "), key_b.count(" ")) + 1


def near_duplicate_shingles(a: set, b: set, fewest: int) -> bool:
    """The same check on two distinct texts' shingles (and the word count of the shorter)."""
    return fewest >= NEAR_DUPLICATE_MIN_WORDS and jaccard(a, b) >= NEAR_DUPLICATE_JACCARD


class ShingledKeys:
    """Distinct text keys whose shingles are made once each, when first needed, for checking
    many pairs among them."""

    def __init__(self, keys: list[str]):
        self.keys = keys
        self._shingles: dict[int, set[str]] = {}

    def shingles(self, i: int) -> set[str]:
        if i not in self._shingles:
            self._shingles[i] = shingles(self.keys[i])
        return self._shingles[i]

    def near_duplicates(self, i: int, j: int) -> bool:
        """is_near_duplicate of keys i and j (i != j)."""
        return near_duplicate_shingles(self.shingles(i), self.shingles(j),
                                       fewest_words(self.keys[i], self.keys[j]))


def is_fragment(short_key: str, long_key: str) -> bool:
    """`short_key`'s words appear as one run of whole words inside the longer `long_key`."""
    short_len, long_len = short_key.count(" ") + 1, long_key.count(" ") + 1
    if not short_key or short_len < MIN_FRAGMENT_WORDS or short_len >= long_len:
        return False
    return f" {short_key} " in f" {long_key} "


def word_pairs(key: str) -> list[str]:
    tokens = key.split()
    return [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def stable_hash(value: str) -> int:
    """A hash that is the same in every process (Python's own hash() is salted per process)."""
    return zlib.crc32(value.encode("utf-8"))


def fragment_anchor(key: str) -> str | None:
    """The word pair of a possible fragment with the smallest stable hash. A quote containing the
    fragment contains all its word pairs, so this one too: joining possible fragments to longer
    quotes on it finds every containing quote (a one-hash MinHash, exact in recall)."""
    if key.count(" ") + 1 < MIN_FRAGMENT_WORDS:
        return None
    return min(word_pairs(key), key=lambda pair: (stable_hash(pair), pair))
