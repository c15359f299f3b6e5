"""An article the engine fails on is reported by every door, never lost silently nor a 500.

The failure is injected into the real pipeline (one engine step raises for texts with a marker);
everything around it is real: spaCy, extract, the bulk chunk extraction and the Flask app."""
from __future__ import annotations

import pytest

import service.nlp.component as component
from service.bulk.extraction import Extracted, extract_chunk
from service.bulk.records import Article, Failure
from service.nlp import extract

MARKER = "BREAKS-THE-ENGINE"
GOOD = '"We will go," she said.'
BAD = f'"{MARKER}," he said.'


@pytest.fixture
def failing_step(monkeypatch):
    real_assemble = component.assemble

    def assemble(text, *args):
        if MARKER in text:
            raise RuntimeError("injected failure")
        return real_assemble(text, *args)

    monkeypatch.setattr(component, "assemble", assemble)


def test_extract_names_the_failure_and_keeps_the_neighbours(nlp, failing_step):
    good, bad, good_again = extract(nlp, [GOOD, BAD, GOOD])
    assert "error" not in good and good["quotes"]
    assert bad["quotes"] == [] and "RuntimeError: injected failure" in bad["error"]
    assert good_again == good


def test_bulk_extraction_reports_the_failed_article(nlp, failing_step):
    outcomes = extract_chunk(nlp, [Article("a", GOOD, {}), Article("b", BAD, {})])
    assert isinstance(outcomes[0], Extracted)
    assert isinstance(outcomes[1], Failure) and outcomes[1].id == "b"
    assert "injected failure" in outcomes[1].reason


def test_api_answers_200_with_the_reason_in_meta(client, failing_step):
    response = client.post("/v1/quotes", json={"text": BAD})
    assert response.status_code == 200
    body = response.get_json()
    assert body["quotes"] == [] and "injected failure" in body["meta"]["error"]
    assert "error" not in client.post("/v1/quotes", json={"text": GOOD}).get_json()["meta"]
