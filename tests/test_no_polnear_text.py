"""PolNeAR's texts are for measuring and training only: no tracked file of the project may hold a
sentence of them (tests and docstrings use invented sentences of the same shape)."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = Path(os.environ.get("QUOTEWIRE_GOLD_DIR", ROOT.parent / "shared" / "data"))
FILES = ("polnear_train.jsonl", "polnear_dev.jsonl")
WINDOW = 60


@pytest.fixture(scope="module")
def polnear_texts() -> list[str]:
    if not all((GOLD_DIR / name).exists() for name in FILES):
        pytest.skip(f"PolNeAR data not found in {GOLD_DIR} (set QUOTEWIRE_GOLD_DIR): nothing to compare with")
    return [json.loads(line)["text"] for name in FILES for line in (GOLD_DIR / name).open(encoding="utf-8")]


@pytest.fixture(scope="module")
def tracked() -> list[tuple[str, str]]:
    """(name, text with its whitespace runs made single spaces) of every tracked text file."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    found = []
    for name in filter(None, names.decode().split("\0")):
        path = ROOT / name
        if path.is_file() and not path.is_symlink():
            try:
                found.append((name, " ".join(path.read_text(encoding="utf-8").split())))
            except UnicodeDecodeError:
                continue   # binary (the screenshot): no text to hold
    return found


def snippets(texts: list[str]) -> set[str]:
    """Two 60-character pieces of every sentence of at least five words in the PolNeAR texts."""
    found: set[str] = set()
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            sentence = " ".join(sentence.split())
            if len(sentence) >= WINDOW + 15 and len(sentence.split()) >= 5:
                found.update((sentence[10:10 + WINDOW], sentence[-WINDOW - 5:-5]))
    return found


def test_no_tracked_file_holds_a_polnear_sentence(polnear_texts, tracked):
    pieces = snippets(polnear_texts)
    leaks = [(name, text[i:i + WINDOW]) for name, text in tracked
             for i in range(len(text) - WINDOW + 1) if text[i:i + WINDOW] in pieces]
    assert not leaks, f"PolNeAR text in tracked files: {leaks[:5]}"


RUN = 8   # words: long enough that plain English ("at the end of the year") does not count
# stock news phrases that are the engine's own language data, or common to every news corpus
STOCK = ("did not respond to a request for comment", "in the u s and around the world")


def word_runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def test_no_tracked_file_holds_a_run_of_polnear_words(polnear_texts, tracked):
    """A phrase lifted from an article and cut short ("a lawyer for the union who has been
    challenging the ...") is caught too: no run of eight words of a PolNeAR text in any file."""
    polnear = set().union(*map(word_runs, polnear_texts)) - set().union(*map(word_runs, STOCK))
    leaks = [(name, " ".join(run)) for name, text in tracked for run in word_runs(text) & polnear]
    assert not leaks, f"PolNeAR words in tracked files: {leaks[:5]}"
