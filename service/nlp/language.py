"""Is the text English? The engine's rules read English only: a text in another language gets no
quotes and a warning saying why, instead of an empty result with no word of explanation.

The detector is py3langid (langid.py's naive Bayes over byte n-grams, its model shipped inside the
package: offline, ~1 ms for a short text). A text is called foreign only when the detector is
sure: a language other than English with a normalised probability of at least FOREIGN_CONFIDENCE,
over at least MIN_LETTERS letters. Below that (a one-line "Merkel said.", a name, a number) the
text is read as English: a false alarm would lose a user's quotes, a missed one only costs an
empty result.

Most texts are plainly English, and those skip the detector (its ~1 ms is a good share of the
engine's own time): a sample of at least MIN_WORDS words of which ENGLISH_SHARE or more are
English marker words (data/english_markers.txt: "the", "and", "said" ...; none of them common in
other languages) is English. In GUM, the seeds and PolNeAR dev + train that share is 0.06-0.3,
above 0.1 in 99% of the texts; in the foreign samples of tests/test_language.py it is 0.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import DATA_DIR, data_lines

ENGLISH = "en"
FOREIGN_CONFIDENCE = 0.9
MIN_LETTERS = 15          # fewer letters than this say too little about the language
SAMPLE_CHARS = 2_000      # the detector reads the text's start: enough to be sure, and cheap
MIN_WORDS = 30            # a shorter sample goes to the detector whatever its words
ENGLISH_SHARE = 0.1       # this share of English marker words in the sample: English
WORD = re.compile(r"[^\W\d_]+")
# The languages a warning names in words; other codes are shown as they are (ISO 639-1).
LANGUAGE_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
                  "nl": "Dutch", "ru": "Russian", "pl": "Polish", "tr": "Turkish", "ar": "Arabic",
                  "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "sv": "Swedish", "da": "Danish",
                  "no": "Norwegian", "fi": "Finnish", "uk": "Ukrainian", "el": "Greek", "hi": "Hindi"}


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def load_detector() -> None:
    """Load the detector now: the API's master does, before it forks, so that its ~70 MB are
    shared by the workers rather than loaded by each on the first text that needs it (which
    counted as worker growth and got fresh workers recycled)."""
    _identifier()


@lru_cache(maxsize=1)
def _english_markers() -> frozenset[str]:
    return frozenset(data_lines(DATA_DIR / "english_markers.txt"))


def plainly_english(sample: str) -> bool:
    """Whether enough of the sample's words are English marker words to call it English."""
    words = WORD.findall(sample.lower())
    markers = _english_markers()
    return len(words) >= MIN_WORDS and sum(w in markers for w in words) >= ENGLISH_SHARE * len(words)


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the text's language, by its first SAMPLE_CHARS chars."""
    code, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return code, float(probability)


def foreign_language(text: str) -> str | None:
    """The language code when the text is surely not English, else None."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS or plainly_english(sample):
        return None
    code, probability = detect(text)
    return code if code != ENGLISH and probability >= FOREIGN_CONFIDENCE else None


def language_warning(text: str) -> str | None:
    """The warning for a text the engine cannot read, or None for English (or unsure) text."""
    code = foreign_language(text)
    if code is None:
        return None
    name = LANGUAGE_NAMES.get(code, f"language '{code}'")
    return (f"The text looks like {name}, not English: Quotewire reads English only, so no quotes "
            f"were looked for.")
