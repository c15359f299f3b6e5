"""A quote's words are exactly its words: no quote's text or fragment holds its own cue or
speaker mention, and inner quote marks are balanced. Checked on the seeds and GUM news (and on
PolNeAR dev where the data is present, read at run time)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from service.nlp import extract

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = Path(os.environ.get("QUOTEWIRE_GOLD_DIR", ROOT.parent / "shared" / "data"))
DOUBLE = ('"', "“", "”", "«", "»")


def texts(name: str) -> list[str]:
    if name == "seeds":
        return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/seeds").glob("*.txt"))]
    path = ROOT / "tests/data/gum/gum_news.jsonl" if name == "gum" else GOLD_DIR / "polnear_dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found (PolNeAR texts are read at run time only)")
    return [json.loads(line)["text"] for line in path.open(encoding="utf-8")]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@pytest.mark.parametrize("corpus", ["seeds", "gum", "polnear dev"])
def test_no_quote_holds_its_own_cue_or_speaker(nlp, corpus):
    found = []
    for result in extract(nlp, texts(corpus)):
        for q in result["quotes"]:
            words = [(f["start"], f["end"]) for f in q["fragments"]] or [(q["start"], q["end"])]
            own = [(part["start"], part["end"]) for part in (q["cue"], q["speaker"]) if part]
            found += [q["text"] for w in words for o in own if overlaps(w, o)]
    assert not found, f"{len(found)} quotes hold their own attribution, e.g. {found[:3]}"


def test_fragments_are_exact_and_inside_the_extent(nlp):
    for text, result in zip(texts("gum"), extract(nlp, texts("gum"))):
        for q in result["quotes"]:
            for f in q["fragments"]:
                assert text[f["start"]:f["end"]] == f["text"]
                assert q["start"] <= f["start"] < f["end"] <= q["end"]


def test_interrupted_quote_has_its_words_as_fragments(nlp):
    text = '"I have given this city twelve years of my life," Dubois said. "I have no regrets."'
    (quote,) = next(extract(nlp, [text]))["quotes"]
    assert [f["text"] for f in quote["fragments"]] == ["I have given this city twelve years of my life,",
                                                       "I have no regrets."]
    assert quote["start"] == 1 and quote["end"] == len(text) - 1


def test_mixed_quotes_keep_their_inner_marks_balanced(nlp):
    (quote,) = next(extract(nlp, ['She said mobile services would be "kept under review".']))["quotes"]
    assert quote["text"] == 'mobile services would be "kept under review"'
    for result in extract(nlp, texts("gum")):
        for q in result["quotes"]:
            # (a quotation continued over paragraphs opens each one and closes only the last)
            if q["type"] == "mixed" and not q["fragments"] and "\n" not in q["text"]:
                assert sum(q["text"].count(m) for m in DOUBLE) % 2 == 0, q["text"]
