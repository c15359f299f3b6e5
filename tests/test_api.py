"""The API contract through the Flask test client, on the real engine."""
from __future__ import annotations

import json
import re
import time

import pytest

from service import __version__
from service.nlp.serialize import article_result, doc_result

PROBE = '"We have named the participants," Bogdanov said.'


def without_elapsed(result: dict) -> dict:
    return {**result, "meta": {k: v for k, v in result["meta"].items() if k != "elapsed_ms"}}


def check_offsets(text: str, result: dict) -> None:
    """Every span in a result is exactly the text at its offsets."""
    for quote in result["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]
        for part in ("speaker", "cue", "agency", "addressee"):
            span = quote[part]
            if span is not None:
                assert text[span["start"]:span["end"]] == span["text"], (part, span)


def test_one_article_is_the_engine_result_serialized_once(client, nlp, seeds):
    text = seeds["000"]
    response = client.post("/v1/quotes", json={"text": text, "id": "000"})
    assert response.status_code == 200
    body = response.get_json()
    expected = article_result("000", doc_result(nlp(text)), {})
    assert {k: body[k] for k in ("id", "quotes", "speakers")} == \
        {k: expected[k] for k in ("id", "quotes", "speakers")}
    assert body["quotes"], "the seed article has quotes"
    check_offsets(text, body)
    assert [q["id"] for q in body["quotes"]] == [f"q{i}" for i in range(1, len(body["quotes"]) + 1)]
    quote_ids = {q["id"] for q in body["quotes"]}
    assert all(set(s["quotes"]) <= quote_ids for s in body["speakers"])


def test_meta_names_model_service_and_time(client):
    meta = client.post("/v1/quotes", json={"text": PROBE}).get_json()["meta"]
    assert meta["model"].startswith("en_core_web_sm")
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["model_version"])
    assert meta["version"] == __version__
    assert meta["elapsed_ms"] > 0


def test_text_not_in_english_gets_no_quotes_and_a_warning_in_meta(client):
    german = "„Wir schaffen das“, sagte Merkel."
    result = client.post("/v1/quotes", json={"text": german}).get_json()
    assert result["quotes"] == [] and "German, not English" in result["meta"]["warning"]
    english = '"It was a team effort," Kane said.'
    batch = client.post("/v1/quotes/batch", json={"articles": [
        {"id": "de", "text": german}, {"id": "en", "text": english}]}).get_json()["results"]
    assert ["warning" in r["meta"] for r in batch] == [True, False]
    assert len(batch[1]["quotes"]) == 1


def test_id_is_optional_and_echoed(client):
    assert client.post("/v1/quotes", json={"text": PROBE}).get_json()["id"] is None
    assert client.post("/v1/quotes", json={"text": PROBE, "id": "a-7"}).get_json()["id"] == "a-7"


def test_unicode_offsets_are_characters(client):
    text = '🙂 Über-Chef: «x» — "Wir schaffen das," sagte Merkel. "Ça va," she said. 😀'
    body = client.post("/v1/quotes", json={"text": text}).get_json()
    check_offsets(text, body)


def test_batch_keeps_order_and_matches_single_results(client, seeds):
    articles = [{"id": "a", "text": seeds["000"]}, {"id": "b", "text": PROBE},
                {"id": "c", "text": "No quotes at all here."}, {"id": "d", "text": seeds["003"]}]
    response = client.post("/v1/quotes/batch", json={"articles": articles})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == ["a", "b", "c", "d"]
    for article, result in zip(articles, results):
        single = client.post("/v1/quotes", json=article).get_json()
        assert without_elapsed(result) == without_elapsed(single)
        check_offsets(article["text"], result)
    assert results[2]["quotes"] == []


class PipeRecorder:
    """Wraps the real nlp.pipe to record each call and how many texts it has pulled so far."""

    def __init__(self, nlp):
        self.real_pipe = nlp.pipe
        self.calls: list[dict] = []

    def __call__(self, texts, **kwargs):
        call = {"pulled": 0, "kwargs": kwargs}
        self.calls.append(call)

        def counted():
            for text in texts:
                call["pulled"] += 1
                yield text

        return self.real_pipe(counted(), **kwargs)


@pytest.fixture
def recorded_pipe(nlp, monkeypatch):
    recorder = PipeRecorder(nlp)
    monkeypatch.setattr(nlp, "pipe", recorder)
    return recorder


def test_batch_goes_through_one_nlp_pipe(client, recorded_pipe, seeds):
    articles = [{"text": seeds["000"]}, {"text": PROBE}, {"text": seeds["003"]}]
    assert client.post("/v1/quotes/batch", json={"articles": articles}).status_code == 200
    assert len(recorded_pipe.calls) == 1
    assert recorded_pipe.calls[0]["pulled"] == 3


def test_ndjson_stream_yields_results_before_the_last_is_parsed(make_app, recorded_pipe, seeds):
    client = make_app(batch_size=2).test_client()
    articles = [{"id": str(i), "text": seeds["000"] if i % 2 else seeds["003"]} for i in range(8)]
    response = client.post("/v1/quotes/batch", json={"articles": articles},
                           headers={"Accept": "application/x-ndjson"}, buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    chunks = iter(response.response)
    first = json.loads(next(chunks))
    assert first["id"] == "0"
    # Only the first minibatch (2 articles) has been read by the pipeline so far.
    assert recorded_pipe.calls[0]["pulled"] < len(articles)
    rest = [json.loads(line) for chunk in chunks for line in chunk.decode().splitlines() if line]
    response.close()
    assert [r["id"] for r in [first, *rest]] == [a["id"] for a in articles]
    for article, result in zip(articles, [first, *rest]):
        check_offsets(article["text"], result)


def test_ndjson_lines_equal_json_results(client, seeds):
    articles = [{"id": "x", "text": seeds["003"]}, {"id": "y", "text": PROBE}]
    as_json = client.post("/v1/quotes/batch", json={"articles": articles}).get_json()["results"]
    streamed = client.post("/v1/quotes/batch", json={"articles": articles},
                           headers={"Accept": "application/x-ndjson"})
    lines = [json.loads(line) for line in streamed.get_data(as_text=True).splitlines()]
    assert [without_elapsed(r) for r in lines] == [without_elapsed(r) for r in as_json]


def test_request_id_is_honoured_or_generated(client):
    given = client.post("/v1/quotes", json={"text": PROBE}, headers={"X-Request-ID": "newsroom-42"})
    assert given.headers["X-Request-ID"] == "newsroom-42"
    fresh = client.get("/health/live")
    assert re.fullmatch(r"[0-9a-f]{32}", fresh.headers["X-Request-ID"])
    hostile = client.get("/health/live", headers={"X-Request-ID": "x" * 500})
    assert hostile.headers["X-Request-ID"] != "x" * 500
    error = client.post("/v1/quotes", data="{", content_type="application/json",
                        headers={"X-Request-ID": "err-1"})
    assert error.status_code == 400 and error.headers["X-Request-ID"] == "err-1"


def test_app_logs_are_json_with_request_id(client):
    import io
    import logging
    from service.api.logs import LOGGER_NAME
    handler = next(h for h in logging.getLogger(LOGGER_NAME).handlers if getattr(h, "_quotewire", False))
    captured = io.StringIO()
    previous = handler.setStream(captured)
    try:
        client.post("/v1/quotes/batch", json={"articles": [{"text": PROBE}, {"text": "Nothing."}]},
                    headers={"X-Request-ID": "log-1"})
    finally:
        handler.setStream(previous)
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    done = [line for line in lines if line["message"] == "articles processed"]
    assert done and done[-1]["request_id"] == "log-1"
    assert done[-1]["articles"] == 2 and done[-1]["characters"] == len(PROBE) + 8
    assert {"asctime", "level", "logger", "pid"} <= set(done[-1])


def test_info_reports_versions_and_limits(make_app):
    body = make_app(max_batch=7, max_text_chars=1234).test_client().get("/v1/info").get_json()
    assert body["version"] == __version__
    assert body["spacy"].startswith("3.")
    assert body["model"]["loaded"] is True
    assert body["limits"]["max_batch"] == 7 and body["limits"]["max_text_chars"] == 1234


def test_health_live_and_ready(client):
    assert client.get("/health/live").get_json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ready"


def test_missing_model_starts_but_is_not_ready(make_app):
    app = make_app(pipeline=None, model="no_such_model_installed")
    client = app.test_client()
    assert client.get("/health/live").status_code == 200
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert "no_such_model_installed" in ready.get_json()["message"]
    quotes = client.post("/v1/quotes", json={"text": PROBE})
    assert quotes.status_code == 503 and "not ready" in quotes.get_json()["message"]
    assert client.get("/v1/info").get_json()["model"]["loaded"] is False


def metric(client, name: str) -> float:
    text = client.get("/metrics").get_data(as_text=True)
    match = re.search(rf"^{name} ([0-9.e+]+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_metrics_count_articles_characters_quotes_and_requests(client, seeds):
    body = client.post("/v1/quotes", json={"text": seeds["000"]}).get_json()
    client.post("/v1/quotes/batch", json={"articles": [{"text": PROBE}, {"text": "Nothing."}]})
    assert metric(client, "quotewire_articles_processed_total") == 3
    assert metric(client, "quotewire_characters_processed_total") == len(seeds["000"]) + len(PROBE) + 8
    assert metric(client, "quotewire_quotes_found_total") >= len(body["quotes"]) + 1
    text = client.get("/metrics").get_data(as_text=True)
    assert re.search(r'flask_http_request_duration_seconds_count\{endpoint="quotes.Quotes",'
                     r'method="POST",status="200"\} 1.0', text)


def test_openapi_documents_the_contract(client):
    spec = client.get("/openapi.json").get_json()
    assert {"/v1/quotes", "/v1/quotes/batch", "/v1/info", "/health/live", "/health/ready"} <= set(spec["paths"])
    quote = spec["components"]["schemas"]["Quote"]["properties"]
    assert {"id", "type", "text", "start", "end", "speaker", "cue", "agency", "addressee",
            "confidence"} <= set(quote)
    assert set(spec["components"]["schemas"]["Error"]["properties"]) == {"code", "status", "message", "errors"}
    batch_200 = spec["paths"]["/v1/quotes/batch"]["post"]["responses"]["200"]["content"]
    assert "application/x-ndjson" in batch_200


def test_docs_load_with_no_outside_requests(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "swagger" in html.lower()
    assert not re.search(r"(src|href)\s*=\s*[\"'](https?:)?//", html), "no external assets"
    assets = re.findall(r"(?:src|href)=\"([^\"]+)\"", html)
    assert len(assets) >= 3
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.data) > 1000, asset


def test_home_page_is_served(client):
    page = client.get("/")
    assert page.status_code == 200 and b"<html" in page.data.lower()


def test_cors_allows_only_configured_origins(make_app):
    client = make_app(cors_origins="https://desk.example, https://wire.example").test_client()
    preflight = client.options("/v1/quotes", headers={
        "Origin": "https://wire.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type, X-API-Key"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://wire.example"
    other = client.post("/v1/quotes", json={"text": PROBE}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Access-Control-Allow-Origin" not in make_app().test_client().post(
        "/v1/quotes", json={"text": PROBE}, headers={"Origin": "https://desk.example"}).headers


@pytest.mark.parametrize("given", [None, "", "wrong", "s3cret-kez", "s3cret-key ", "S3CRET-KEY"])
def test_api_key_is_required_and_exact(make_app, given):
    client = make_app(api_key="s3cret-key").test_client()
    headers = {} if given is None else {"X-API-Key": given}
    response = client.post("/v1/quotes", json={"text": PROBE}, headers=headers)
    assert response.status_code == 401
    assert set(response.get_json()) == {"code", "status", "message", "errors"}
    assert "s3cret" not in response.get_data(as_text=True)
    assert client.get("/v1/info", headers=headers).status_code == 401


def test_api_key_lets_the_right_caller_in_and_leaves_health_and_docs_open(make_app):
    client = make_app(api_key="s3cret-key").test_client()
    ok = client.post("/v1/quotes", json={"text": PROBE}, headers={"X-API-Key": "s3cret-key"})
    assert ok.status_code == 200
    for path in ("/health/live", "/health/ready", "/openapi.json", "/docs", "/metrics", "/"):
        assert client.get(path).status_code == 200, path


def test_api_key_uses_constant_time_compare(monkeypatch, make_app):
    import hmac
    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    client = make_app(api_key="s3cret-key").test_client()
    client.post("/v1/quotes", json={"text": PROBE}, headers={"X-API-Key": "guess"})
    assert compared == [(b"guess", b"s3cret-key")]


def test_slow_article_is_stopped_at_the_time_limit(make_app, seeds):
    client = make_app(article_timeout=0.3).test_client()
    long_text = "\n\n".join([seeds["000"]] * 25)  # ~97k characters: seconds to parse
    started = time.monotonic()
    response = client.post("/v1/quotes", json={"text": long_text, "id": "long"})
    took = time.monotonic() - started
    assert response.status_code == 504
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"} and "time limit" in body["message"]
    assert took < 15, f"the limit did not stop the work ({took:.1f}s)"
    assert metric(client, "quotewire_article_timeouts_total") == 1


def test_engine_still_works_after_a_timeout(make_app, nlp, seeds):
    make_app(article_timeout=0.2).test_client().post(
        "/v1/quotes", json={"text": "\n\n".join([seeds["003"]] * 60)})
    body = make_app().test_client().post("/v1/quotes", json={"text": seeds["003"]}).get_json()
    assert body["quotes"] == doc_result(nlp(seeds["003"]))["quotes"]


def test_stream_ends_with_an_error_line_on_timeout(make_app, seeds):
    client = make_app(article_timeout=0.3, batch_size=1).test_client()
    articles = [{"id": "short", "text": PROBE}, {"id": "long", "text": "\n\n".join([seeds["000"]] * 25)},
                {"id": "after", "text": PROBE}]
    response = client.post("/v1/quotes/batch", json={"articles": articles},
                           headers={"Accept": "application/x-ndjson"})
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert lines[0]["id"] == "short" and "quotes" in lines[0]
    assert lines[-1]["id"] == "long" and lines[-1]["index"] == 1
    assert lines[-1]["error"]["code"] == 504
    json_batch = client.post("/v1/quotes/batch", json={"articles": articles})
    assert json_batch.status_code == 504
    assert "1" in json_batch.get_json()["errors"]["articles"]


def test_settings_come_from_environment_then_config():
    from service.api.config import load_settings
    settings = load_settings({"QUOTEWIRE_MAX_BATCH": 5},
                             environ={"QUOTEWIRE_MAX_BATCH": "9", "QUOTEWIRE_ARTICLE_TIMEOUT": "2.5",
                                      "QUOTEWIRE_CORS_ORIGINS": "https://a.example, https://b.example",
                                      "QUOTEWIRE_API_KEY": ""})
    assert settings.max_batch == 5 and settings.article_timeout == 2.5
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.api_key is None  # an empty key does not switch the check on with "" as the key


@pytest.mark.parametrize("name, value", [("QUOTEWIRE_MAX_BATCH", "many"), ("QUOTEWIRE_MAX_BODY_BYTES", "0"),
                                         ("QUOTEWIRE_ARTICLE_TIMEOUT", "-1")])
def test_bad_settings_fail_naming_the_variable(name, value):
    from service.api.config import load_settings
    with pytest.raises(ValueError, match=name):
        load_settings(environ={name: value})


def test_favicon_is_an_icon_and_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO header
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'status="404"' not in metrics


def test_metrics_labels_stay_bounded_under_made_up_methods_and_paths(client):
    for i in range(30):
        client.open("/v1/quotes", method=f"MADEUP{i}")
        client.get(f"/no/such/path/{i}")
    text = client.get("/metrics").get_data(as_text=True)
    assert "MADEUP" not in text and "/no/such/path" not in text
    assert re.search(r'flask_http_request_total\{endpoint="unmatched",method="OTHER",status="405"\} 30\.0', text), text
    assert re.search(r'flask_http_request_total\{endpoint="unmatched",method="GET",status="404"\} 30\.0', text)


def test_request_total_is_labelled_by_endpoint(client):
    client.post("/v1/quotes", json={"text": '"Hi," he said.'})
    text = client.get("/metrics").get_data(as_text=True)
    assert re.search(r'flask_http_request_total\{endpoint="quotes.Quotes",method="POST",status="200"\} 1\.0', text)


def test_readiness_probe_is_cached_for_a_few_seconds(client, app, monkeypatch):
    from service.api import engine as engine_module
    engine = app.extensions["quotewire"].engine
    probes = []
    real_probe = engine.probe
    monkeypatch.setattr(engine, "probe", lambda: probes.append(1) or real_probe())
    for _ in range(5):
        assert client.get("/health/ready").status_code == 200
    assert len(probes) == 1
    monkeypatch.setattr(engine_module, "READY_CACHE_SECONDS", 0.0)
    assert client.get("/health/ready").status_code == 200
    assert len(probes) == 2
