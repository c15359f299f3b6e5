"""Language detection (service/nlp/language.py): text that is not English gets no quotes and a
warning saying why; English text, however short, is never flagged."""
import json
import os
from pathlib import Path

import pytest

from service.nlp import extract
from service.nlp.language import SAMPLE_CHARS, foreign_language, language_warning, plainly_english

DATA = Path(__file__).parent / "data"
GOLD_DIR = Path(os.environ.get("QUOTEWIRE_GOLD_DIR", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.mark.parametrize("text, language", [
    ("„Wir schaffen das“, sagte Merkel.", "German"),          # the two rows
    ("« Nous allons gagner », a déclaré Macron.", "French"),
    ("El presidente dijo que la reunión fue muy productiva.", "Spanish"),
])
def test_text_not_in_english_gets_no_quotes_and_a_warning(nlp, text, language):
    (result,) = extract(nlp, [text])
    assert result["quotes"] == [] and result["speakers"] == []
    assert f"looks like {language}, not English" in result["warning"]


@pytest.mark.parametrize("text", [
    '"Yes," Smith said.',
    "Merkel said.",
    "The White House declined to comment.",
    "Police did not say whether anyone had been arrested.",
    'She said mobile services would be "kept under review".',
    '"Wir schaffen das," Merkel told reporters in Berlin, meaning "we can do it".',  # a quote in German
    "Thank you.",
    "",
    "12:30",
])
def test_short_english_text_is_never_flagged(nlp, text):
    assert language_warning(text) is None
    (result,) = extract(nlp, [text])
    assert "warning" not in result


def test_english_and_foreign_texts_in_one_batch_keep_their_order(nlp):
    texts = ['"It was a team effort," Kane said.', "„Wir schaffen das“, sagte Merkel.",
             '"I have no regrets," Dubois said.']
    results = list(extract(nlp, texts, batch_size=2))
    assert ["warning" in r for r in results] == [False, True, False]
    assert [q["text"] for r in results for q in r["quotes"]] == ["It was a team effort,", "I have no regrets,"]


def gold_texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]


def test_no_false_alarm_on_the_english_gold_texts_in_the_repository():
    texts = gold_texts(DATA / "gum" / "gum_news.jsonl") + \
        [p.read_text(encoding="utf-8") for p in sorted((DATA / "seeds").glob("*.txt"))]
    assert len(texts) == 26
    assert [foreign_language(t) for t in texts] == [None] * len(texts)


@pytest.mark.parametrize("name", ["polnear_dev.jsonl", "polnear_train.jsonl"])
def test_no_false_alarm_on_polnear_texts(name):
    path = GOLD_DIR / name
    if not path.exists():
        pytest.skip(f"{path} not found (PolNeAR texts may not be committed; set QUOTEWIRE_GOLD_DIR)")
    flagged = [(i, code) for i, code in enumerate(map(foreign_language, gold_texts(path))) if code]
    assert flagged == []


def test_lone_surrogates_neither_stop_the_detector_nor_change_its_answer():
    assert language_warning('\udc80\ud800 "We will appeal," the lawyer said after the hearing.') is None
    assert "German" in language_warning("\udc80\ud800 sagte er, und dann sagte sie noch etwas dazu.")


FOREIGN_SAMPLES = json.loads((DATA / "foreign_samples.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", sorted(FOREIGN_SAMPLES))
def test_a_news_paragraph_in_another_language_is_not_taken_for_plain_english(code):
    sample = FOREIGN_SAMPLES[code]   # invented paragraphs: ten languages written in Latin letters
    assert not plainly_english(sample)
    assert foreign_language(sample) == code


def test_most_english_articles_skip_the_detector():
    texts = gold_texts(DATA / "gum" / "gum_news.jsonl") + \
        [p.read_text(encoding="utf-8") for p in sorted((DATA / "seeds").glob("*.txt"))]
    assert sum(plainly_english(t[:SAMPLE_CHARS]) for t in texts) >= 0.9 * len(texts)
