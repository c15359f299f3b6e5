"""The engine as a spaCy pipeline: its language data and patterns are component state, saved and
loaded with the pipeline, and the factory says what it assigns."""
from __future__ import annotations

import json
from pathlib import Path

import spacy

from service.nlp import extract
from service.nlp.component import QuoteExtractor

ROOT = Path(__file__).resolve().parent.parent


def texts() -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))]
    gum = [json.loads(line)["text"] for line in (ROOT / "tests" / "data" / "gum" / "gum_news.jsonl").open()]
    return seeds + gum


def test_a_saved_pipeline_loads_with_the_same_quotes(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == nlp.pipe_names
    assert type(loaded.tokenizer).__name__ == "LinearTokenizer"
    assert "ner" in loaded.disabled and "lemmatizer" in loaded.disabled
    articles = texts()
    assert list(extract(loaded, articles)) == list(extract(nlp, articles))


def test_the_language_data_travels_with_the_pipeline(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    data = tmp_path / "pipeline" / "quotewire" / "data"
    assert (data / "reporting_verbs.txt").exists() and (data / "patterns.json").exists()
    # a verb added to the saved data is read by the loaded pipeline, not by the installed one
    with (data / "reporting_verbs.txt").open("a", encoding="utf-8") as f:
        f.write("zorble zorbles zorbled zorbling\n")
    loaded = spacy.load(tmp_path / "pipeline")
    text = "The minister zorbled that the talks had failed."
    assert [(q["cue"]["text"], q["rule"]) for q in next(extract(loaded, [text]))["quotes"]] \
        == [("zorbled", "speech-verb-clause")]
    # the installed rules do not know the verb (the learned layer may still read it)
    assert all(q["rule"] == "model" for q in next(extract(nlp, [text]))["quotes"])


def test_the_factory_declares_what_it_assigns(nlp):
    meta = nlp.get_pipe_meta("quotewire")
    assert set(meta.assigns) == {"doc._.quotes", "doc._.quotewire_error"}
    assert isinstance(nlp.get_pipe("quotewire"), QuoteExtractor)
