"""The "kinds" filter of POST /v1/quotes and /v1/quotes/batch (JSON and NDJSON), on the real engine."""
import json

import pytest

from service.nlp import extract
from service.nlp.kinds import keep_kinds, parse_kinds, parse_kinds_option, UnknownKinds
from service.nlp.records import QUOTE_KINDS

# one attribution of each of four kinds (invented sentences)
ARTICLE = ('"We will not give in," the mayor said. Researchers found that the river had risen. '
           'The governor criticized the plan. The council plans to build a new bridge.')
KINDS = {"said": "speech", "found": "evidence", "criticized": "stance", "plans": "intention"}


def _by_cue(result: dict) -> dict[str, str]:
    return {q["cue"]["text"]: q["kind"] for q in result["quotes"]}


def test_every_kind_is_returned_and_labelled_by_default(client):
    result = client.post("/v1/quotes", json={"text": ARTICLE}).get_json()
    assert _by_cue(result) == KINDS
    assert "kinds" not in result["meta"]


def test_kinds_keeps_only_those_and_meta_says_what_was_left_out(client):
    everything = client.post("/v1/quotes", json={"text": ARTICLE}).get_json()
    result = client.post("/v1/quotes", json={"text": ARTICLE, "kinds": ["stance", "speech"]}).get_json()
    assert _by_cue(result) == {"said": "speech", "criticized": "stance"}
    assert result["meta"]["kinds"] == {"kept": ["speech", "stance"], "left_out": 2,
                                       "found": {"speech": 1, "stance": 1, "intention": 1, "evidence": 1}}
    ids = {q["cue"]["text"]: q["id"] for q in everything["quotes"]}
    assert [q["id"] for q in result["quotes"]] == [ids["said"], ids["criticized"]]  # ids as without the filter
    speakers = {s["name"] for s in result["speakers"]}
    assert any("governor" in name for name in speakers) and not any("council" in name for name in speakers)


@pytest.mark.parametrize("kinds, message", [
    (["speech", "stanse"], "Unknown kind 'stanse': the kinds are " + ", ".join(QUOTE_KINDS)),
    ([], "Name at least one kind"),
    ("speech", "Not a valid list."),
    ([7], "Not a valid string."),
])
def test_bad_kinds_are_a_422_naming_the_field(client, kinds, message):
    response = client.post("/v1/quotes", json={"text": ARTICLE, "kinds": kinds})
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and message in json.dumps(body["errors"]), body


def test_batch_kinds_apply_to_every_article_unless_it_names_its_own(client):
    body = {"kinds": ["intention"], "articles": [{"text": ARTICLE, "id": 1},
                                                 {"text": ARTICLE, "id": 2, "kinds": ["evidence"]},
                                                 {"text": "The mayor said it would rain.", "id": 3}]}
    results = client.post("/v1/quotes/batch", json=body).get_json()["results"]
    assert [_by_cue(r) for r in results] == [{"plans": "intention"}, {"found": "evidence"}, {}]
    assert results[2]["meta"]["kinds"] == {"kept": ["intention"], "found": {"speech": 1}, "left_out": 1}
    assert results[2]["speakers"] == []


def test_ndjson_stream_filters_the_same(client):
    body = {"kinds": ["speech"], "articles": [{"text": ARTICLE}, {"text": ARTICLE, "kinds": ["stance"]}]}
    response = client.post("/v1/quotes/batch", json=body, headers={"Accept": "application/x-ndjson"})
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [_by_cue(r) for r in lines] == [{"said": "speech"}, {"criticized": "stance"}]
    assert [r["meta"]["kinds"]["left_out"] for r in lines] == [3, 3]


def test_bad_batch_kinds_name_where(client):
    response = client.post("/v1/quotes/batch", json={"articles": [{"text": ARTICLE, "kinds": ["rumour"]}]})
    assert response.status_code == 422
    assert "Unknown kind 'rumour'" in json.dumps(response.get_json()["errors"]["json"]["articles"]["0"])


def test_openapi_shows_the_kinds_enum(client):
    spec = client.get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for name in ("TextArticle", "HtmlArticle", "Batch"):
        assert schemas[name]["properties"]["kinds"]["items"]["enum"] == list(QUOTE_KINDS), name
    assert schemas["Quote"]["properties"]["kind"]["enum"] == list(QUOTE_KINDS)
    assert "kinds" in schemas["Meta"]["properties"]


def test_the_doors_share_one_parser():
    assert parse_kinds(["thought", "speech", "speech"]) == ("speech", "thought")
    assert parse_kinds_option(" thought , speech") == ("speech", "thought")
    with pytest.raises(UnknownKinds, match="'quote'"):
        parse_kinds_option("speech,quote")
    with pytest.raises(UnknownKinds, match="at least one"):
        parse_kinds_option(" , ")
    result = {"quotes": [{"id": "q1", "kind": "speech", "speaker": None}], "speakers": []}
    assert keep_kinds(result, None) == (result, None)


@pytest.mark.slow
def test_the_python_client_sends_kinds_for_one_article_and_a_batch(live_server):
    from service.client import Quotewire, QuotewireError

    with Quotewire(live_server, batch_size=2) as quotewire:
        one = quotewire.extract(ARTICLE, kinds=["evidence"])
        assert [q.kind for q in one.quotes] == ["evidence"] and one.meta["kinds"]["left_out"] == 3
        results = list(quotewire.batch([ARTICLE, {"text": ARTICLE, "kinds": ["stance"]}, ARTICLE],
                                       kinds=["intention"]))
        assert [[q.kind for q in r.quotes] for r in results] == [["intention"], ["stance"], ["intention"]]
        with pytest.raises(QuotewireError) as error:
            quotewire.extract(ARTICLE, kinds=["gossip"])
        assert error.value.code == 422 and "gossip" in str(error.value.errors)


@pytest.mark.parametrize("text, cue, kind", [
    ("The council voted last week to ban plastic bags from city shops.", "voted", "action"),
    ("Ms. Okafor supported the plan to widen the bridge.", "supported", "stance"),
    ("Critics see the deal as a betrayal of the workers.", "see", "thought"),
])
def test_the_learned_layers_cues_have_their_kind_not_speech(nlp, text, cue, kind):
    [result] = extract(nlp, [text])
    assert [(q["cue"]["text"], q["kind"], q["rule"]) for q in result["quotes"]] == [(cue, kind, "model")]
