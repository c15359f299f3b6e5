"""Every kind of bad request gets its JSON error, with the right status and the field named."""
from __future__ import annotations

import json

import pytest

ERROR_KEYS = {"code", "status", "message", "errors"}
PROBE = '"It works," she said.'


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == status and isinstance(body["status"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    assert response.headers.get("X-Request-ID")
    return body


def post_raw(client, data, content_type="application/json", path="/v1/quotes"):
    return client.post(path, data=data, content_type=content_type)


@pytest.mark.parametrize("data", [b"{", b'{"text": "a",}', b"{'text': 'single quotes'}", b'{"text": "x"} trailing',
                                  b"nul\x00l", b'\xef\xbb\xbf{"text": "bom"}'])
def test_malformed_json_is_400(client, data):
    body = assert_error(post_raw(client, data), 400)
    assert "JSON" in body["message"]


@pytest.mark.parametrize("data", [b'{"text": "caf\xe9"}', b'{"text": "\xff\xfe"}', b'{"text": "\xed\xa0\x80"}'])
def test_invalid_utf8_is_400(client, data):
    body = assert_error(post_raw(client, data), 400)
    assert "UTF-8" in body["message"]


def test_deeply_nested_json_is_400(client):
    assert_error(post_raw(client, b"[" * 200_000 + b"]" * 200_000), 400)
    assert_error(post_raw(client, b'{"text": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001), 400)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/xml", ""])
@pytest.mark.parametrize("path", ["/v1/quotes", "/v1/quotes/batch"])
def test_body_that_is_not_json_is_415(client, content_type, path):
    response = client.post(path, data=b'{"text": "x"}', headers={"Content-Type": content_type} if content_type else {})
    body = assert_error(response, 415)
    assert "application/json" in body["message"]


def test_json_with_charset_and_vendor_json_types_are_accepted(client):
    ok = post_raw(client, json.dumps({"text": PROBE}).encode(), "application/json; charset=utf-8")
    assert ok.status_code == 200
    assert post_raw(client, json.dumps({"text": PROBE}).encode(), "application/vnd.api+json").status_code == 200


@pytest.mark.parametrize("payload, field", [
    ({}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   \n\t "}, "text"),
    ({"text": None}, "text"),
    ({"text": 42}, "text"),
    ({"text": ["a"]}, "text"),
    ({"text": {"a": 1}}, "text"),
    ({"text": PROBE, "id": 7.5}, "id"),  # integers are ids (returned as given), floats are not
    ({"text": PROBE, "id": "x" * 300}, "id"),
    ({"text": PROBE, "lang": "en"}, "lang"),
    ({"txt": PROBE}, "txt"),
    ([{"text": PROBE}], "_schema"),
    ("a string", "_schema"),
    (12, "_schema"),
    (None, "_schema"),
])
def test_invalid_fields_are_422_naming_the_field(client, payload, field):
    body = assert_error(post_raw(client, json.dumps(payload).encode()), 422)
    assert field in body["errors"]["json"], body
    if field == "_schema":  # marshmallow's internal name for the whole body never reaches the message
        assert "_schema" not in body["message"] and "Must be a JSON object" in body["message"]
    else:
        assert field in body["message"]


def test_empty_body_is_422_missing_text(client):
    body = assert_error(post_raw(client, b""), 422)
    assert "text" in body["errors"]["json"]


@pytest.mark.parametrize("payload, path", [
    ({}, ("articles",)),
    ({"articles": "not a list"}, ("articles",)),
    ({"articles": {"text": PROBE}}, ("articles",)),
    ({"articles": []}, ("articles",)),
    ({"articles": [{"text": PROBE}, {"text": ""}]}, ("articles", "1", "text")),
    ({"articles": [{"text": PROBE}, "bare string"]}, ("articles", "1", "_schema")),
    ({"articles": [{"text": PROBE, "extra": 1}]}, ("articles", "0", "extra")),
    ({"articles": [{"text": PROBE}], "more": True}, ("more",)),
    ([{"text": PROBE}], ("_schema",)),
])
def test_invalid_batches_are_422_naming_the_field(client, payload, path):
    body = assert_error(post_raw(client, json.dumps(payload).encode(), path="/v1/quotes/batch"), 422)
    node = body["errors"]["json"]
    for key in path:
        assert key in node, (key, body)
        node = node[key]


def test_batch_over_the_limit_is_422(make_app):
    client = make_app(max_batch=2).test_client()
    articles = [{"text": PROBE}] * 3
    body = assert_error(client.post("/v1/quotes/batch", json={"articles": articles}), 422)
    assert "articles" in body["errors"]["json"] and "limit is 2" in body["message"]
    assert client.post("/v1/quotes/batch", json={"articles": articles[:2]}).status_code == 200


def test_text_over_the_limit_is_422_without_echoing_it(make_app):
    client = make_app(max_text_chars=100).test_client()
    text = "Q" * 101
    body = assert_error(client.post("/v1/quotes", json={"text": text}), 422)
    assert "limit is 100" in body["message"]
    assert "QQQQQQQQQQ" not in json.dumps(body)
    assert client.post("/v1/quotes", json={"text": "Q" * 100}).status_code == 200


def test_body_over_the_limit_is_413(make_app):
    client = make_app(max_body_bytes=1000).test_client()
    body = assert_error(client.post("/v1/quotes", json={"text": "x" * 2000}), 413)
    assert "1000 bytes" in body["message"]
    assert client.post("/v1/quotes", json={"text": "x" * 900}).status_code == 200


def test_default_body_limit_is_5_mb(client):
    text = "a" * (5 * 1024 * 1024)
    assert_error(client.post("/v1/quotes", json={"text": text}), 413)


def test_unknown_route_is_404(client):
    assert_error(client.get("/v2/quotes"), 404)
    assert_error(client.post("/v1/quote", json={"text": PROBE}), 404)


@pytest.mark.parametrize("method, path", [("get", "/v1/quotes"), ("put", "/v1/quotes"),
                                          ("delete", "/v1/quotes/batch"), ("post", "/health/ready"),
                                          ("post", "/v1/info")])
def test_wrong_method_is_405_with_allow(client, method, path):
    response = getattr(client, method)(path)
    assert_error(response, 405)
    assert response.headers["Allow"]


def test_errors_never_echo_long_input(client):
    huge_name = "F" * 10_000
    body = assert_error(post_raw(client, json.dumps({"text": PROBE, huge_name: 1}).encode()), 422)
    assert len(json.dumps(body)) < 1000
    many = {f"field{i}": i for i in range(5000)}
    body = assert_error(post_raw(client, json.dumps({"text": PROBE, **many}).encode()), 422)
    assert len(json.dumps(body)) < 3000
    garbage = ("<script>" * 5000).encode()
    body = assert_error(post_raw(client, garbage), 400)
    assert "<script>" not in json.dumps(body)


@pytest.mark.parametrize("raw", [b'{"text": "\\ud800 lone"}', b'{"text": "end \\udfff"}',
                                 b'{"articles": [{"text": "ok"}, {"text": "\\udc00"}]}'])
def test_lone_surrogates_are_422(client, raw):
    path = "/v1/quotes/batch" if b"articles" in raw else "/v1/quotes"
    body = assert_error(post_raw(client, raw, path=path), 422)
    assert "surrogate" in body["message"]


def test_escaped_surrogate_pair_is_one_character(client):
    raw = b'{"text": "\\ud83d\\ude00 \\"Hi there,\\" she said."}'
    body = client.post("/v1/quotes", data=raw, content_type="application/json").get_json()
    assert body["quotes"][0]["start"] == 3  # the emoji counts as one character


def test_hostile_text_is_answered_not_crashed(make_app):
    # A short time limit: runs of punctuation are slow to tokenize (quadratic in spaCy 3.8).
    client = make_app(article_timeout=2).test_client()
    for text in ["\x00" * 1000, "\u202e" + "تست" * 200, "'" * 100_000, '"' * 50_000,
                 "😀" * 5000, "\x1b[31m" * 500, "\ufeff\u200b" * 1000]:
        response = client.post("/v1/quotes", json={"text": text})
        assert response.status_code in (200, 422, 504), response.status_code
        if response.status_code == 200:
            for quote in response.get_json()["quotes"]:
                assert text[quote["start"]:quote["end"]] == quote["text"]


@pytest.mark.parametrize("raw", [
    b'{"text": ' + b"7" * 5000 + b"}",
    b'{"text": "\\"Hi,\\" he said.", "id": -' + b"9" * 4400 + b"}",
    b'{"text": "\\"Hi,\\" he said.", "extra": [' + b"1" * 10_000 + b"]}",
])
def test_integer_past_pythons_digit_limit_is_400(client, raw):
    body = assert_error(post_raw(client, raw), 400)
    assert "number too long" in body["message"]


@pytest.mark.parametrize("encoding", ["gzip", "br", "deflate", "x-made-up"])
def test_compressed_body_is_415_naming_the_encoding(client, encoding):
    import gzip
    response = client.post("/v1/quotes", data=gzip.compress(json.dumps({"text": PROBE}).encode()),
                           headers={"Content-Type": "application/json", "Content-Encoding": encoding})
    body = assert_error(response, 415)
    assert encoding in body["message"] and "uncompressed" in body["message"]
    identity = client.post("/v1/quotes", json={"text": PROBE}, headers={"Content-Encoding": "identity"})
    assert identity.status_code == 200


def test_404_points_to_the_api_and_its_docs(client):
    body = assert_error(client.get("/nowhere"), 404)
    assert "/v1/quotes" in body["message"] and "/docs" in body["message"]


def test_stock_swagger_pages_are_not_served(client):
    for stock in ("index.html", "oauth2-redirect.html"):
        assert_error(client.get(f"/docs/assets/{stock}"), 404)
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_504_names_the_limit_that_fired(make_app, seeds):
    long_article = "\n\n".join([seeds["000"]] * 25)
    by_request = make_app(article_timeout=30, request_timeout=0.5).test_client()
    body = assert_error(by_request.post("/v1/quotes", json={"text": long_article}), 504)
    assert "request" in body["message"] and "0.5s" in body["message"] and "QUOTEWIRE_REQUEST_TIMEOUT" in body["message"]
    by_article = make_app(article_timeout=0.5, request_timeout=30).test_client()
    body = assert_error(by_article.post("/v1/quotes", json={"text": long_article}), 504)
    assert "per-article" in body["message"] and "QUOTEWIRE_ARTICLE_TIMEOUT" in body["message"]
