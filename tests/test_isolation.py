"""An error or a strange paragraph costs its own part of an article, never the whole: junk
appended to a real story leaves every quote of the story as it was."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from service.nlp import extract

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
# words that send the rules down their rarer paths: relative pronouns, cues, agencies with letters
# that change length when lower-cased, quote marks, brackets
JUNK_WORDS = ("who which that whom said told quoted by according to as saying the of a İRNA İnterfax "
              "Reuterſ ſaid minister Smith , . ; : ( ) - — ' \" “ ” « » who who , who said").split()


def junk_paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(JUNK_WORDS) for _ in range(rng.randint(8, 45)))


def essentials(quotes: list[dict]) -> list[tuple]:
    return [(q["start"], q["end"], q["type"], (q["speaker"] or {}).get("name"), q["rule"]) for q in quotes]


@pytest.mark.parametrize("seed_file", SEEDS, ids=lambda p: p.name[:3])
def test_junk_paragraphs_after_a_story_leave_its_quotes_alone(nlp, seed_file):
    story = seed_file.read_text(encoding="utf-8")
    alone = essentials(next(extract(nlp, [story]))["quotes"])
    assert len(alone) >= 8
    rng = random.Random(seed_file.name)
    texts = [story + "\n\n" + "\n\n".join(junk_paragraph(rng) for _ in range(rng.randint(1, 3)))
             for _ in range(25)]
    for text, result in zip(texts, extract(nlp, texts)):
        assert "error" not in result, (text[len(story):], result["error"])
        kept = [q for q in result["quotes"] if q["end"] <= len(story)]
        assert essentials(kept) == alone, text[len(story):]


def test_letters_that_change_length_when_lower_cased_are_read(nlp):
    for text in ("İRNA said the talks would go ahead.", "The minister said, quoted by İnterfax, that talks would go ahead.",
                 "Reuterſ reported that the talks would go ahead."):
        result = next(extract(nlp, [text]))
        assert "error" not in result and len(result["quotes"]) == 1, result
