"""The X-API-Key check cannot be bypassed, and error bodies never echo more than a short excerpt
of what was sent."""
from __future__ import annotations

import hmac
import inspect
import json

import pytest
import requests

from payloads import ERROR_BODY_MAX_BYTES, ERROR_KEYS

KEY = "Qw-7f3a9c2e-SECRET-key"
PUBLIC_PATHS = ("/health/live", "/health/ready", "/openapi.json", "/docs", "/metrics", "/")
ARTICLE = {"text": '"We have named the participants," Bogdanov said.'}
WRONG_KEYS = {
    "empty": "",
    "wrong": "not-the-key",
    "lower-case": KEY.lower(),
    "upper-case": KEY.upper(),
    "leading-space": " " + KEY,
    "trailing-space": KEY + " ",
    "trailing-tab": KEY + "\t",
    "prefix-only": KEY[:-1],
    "longer": KEY + "x",
    "doubled": KEY + KEY,
    "comma-list": f"{KEY}, other",
    "non-ascii-lookalike": KEY.replace("e", "\u0435"),  # Cyrillic e
    "huge": "k" * 8000,
}


@pytest.fixture
def keyed_client(make_app):
    return make_app(API_KEY=KEY).test_client()


def assert_unauthorized(response) -> None:
    assert response.status_code == 401
    body = response.get_json()
    assert ERROR_KEYS <= body.keys() and body["code"] == 401
    assert "X-API-Key" in response.headers.get("WWW-Authenticate", "")
    assert KEY not in response.get_data(as_text=True)


def test_missing_key_is_rejected(keyed_client):
    for path, method in (("/v1/quotes", "POST"), ("/v1/quotes/batch", "POST"), ("/v1/info", "GET")):
        assert_unauthorized(keyed_client.open(path, method=method, json=ARTICLE))


@pytest.mark.parametrize("given", list(WRONG_KEYS.values()), ids=list(WRONG_KEYS))
def test_wrong_key_is_rejected(keyed_client, given):
    response = keyed_client.post("/v1/quotes", json=ARTICLE, headers={"X-API-Key": given})
    assert_unauthorized(response)
    assert len(response.get_data()) < 1000  # the wrong key is not echoed back


def test_key_in_another_header_or_the_query_is_rejected(keyed_client):
    for headers, query in (({"Authorization": f"Bearer {KEY}"}, ""), ({"X-Api-Token": KEY}, ""),
                           ({}, f"?api_key={KEY}"), ({}, f"?X-API-Key={KEY}")):
        assert_unauthorized(keyed_client.post("/v1/quotes" + query, json=ARTICLE, headers=headers))


def test_key_is_checked_before_the_body_is_looked_at(keyed_client):
    """No key: 401 even for a body that would otherwise be a 400/415/422 (no probing without it)."""
    assert_unauthorized(keyed_client.post("/v1/quotes", data=b"{not json", content_type="application/json"))
    assert_unauthorized(keyed_client.post("/v1/quotes", data=b"x", content_type="text/plain"))
    assert_unauthorized(keyed_client.post("/v1/quotes", json={"text": 3}))


def test_right_key_is_accepted(keyed_client):
    headers = {"X-API-Key": KEY}
    response = keyed_client.post("/v1/quotes", json=ARTICLE, headers=headers)
    assert response.status_code == 200 and response.get_json()["quotes"]
    assert keyed_client.post("/v1/quotes/batch", json={"articles": [ARTICLE]}, headers=headers).status_code == 200
    assert keyed_client.get("/v1/info", headers=headers).status_code == 200
    # Header names are case-insensitive in HTTP; the value is what must match.
    assert keyed_client.post("/v1/quotes", json=ARTICLE, headers={"x-api-key": KEY}).status_code == 200


def test_docs_and_health_stay_open(keyed_client):
    for path in PUBLIC_PATHS:
        assert keyed_client.get(path).status_code == 200, path


def test_no_key_configured_means_no_check(client):
    assert client.post("/v1/quotes", json=ARTICLE).status_code == 200


def test_compare_is_timing_safe(keyed_client, monkeypatch):
    """The check goes through hmac.compare_digest, and nothing compares the key with ==."""
    from service.api import app as app_module
    source = inspect.getsource(app_module.check_api_key)
    assert "hmac.compare_digest(" in source
    assert "== expected" not in source and "expected ==" not in source

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    keyed_client.post("/v1/quotes", json=ARTICLE, headers={"X-API-Key": "wrong"})
    keyed_client.post("/v1/quotes", json=ARTICLE, headers={"X-API-Key": KEY})
    assert len(calls) == 2


# ---- error bodies stay small -----------------------------------------------------------------

HUGE = 1_000_000
HUGE_BAD_BODIES = {
    "invalid-json": (b'{"text": "' + b"A" * HUGE, "application/json"),
    "text-wrong-type": (json.dumps({"text": ["B" * 1000] * 1000}).encode(), "application/json"),
    "huge-unknown-field": (json.dumps({"text": "ok", "C" * HUGE: 1}).encode(), "application/json"),
    "huge-id": (json.dumps({"text": "ok", "id": "D" * HUGE}).encode(), "application/json"),
    "invalid-utf8": (b'{"text": "' + b"\xff" * HUGE + b'"}', "application/json"),
    "not-json-type": (b"E" * HUGE, "text/plain"),
    "batch-of-bad-items": (json.dumps({"articles": [{"text": "F" * 1000, "x": 1}] * 100}).encode(),
                           "application/json"),
    "batch-too-long": (json.dumps({"articles": [{"text": "G" * 100}] * 5000}).encode(), "application/json"),
}


def assert_small_error(status: int, content: bytes) -> None:
    assert 400 <= status < 500
    body = json.loads(content)
    assert ERROR_KEYS <= body.keys()
    assert len(content) <= ERROR_BODY_MAX_BYTES, f"{len(content)} bytes"
    for letter in b"ABCDEFG\xff":  # no long run of the input comes back
        assert bytes([letter]) * 100 not in content


@pytest.mark.parametrize("name", list(HUGE_BAD_BODIES))
def test_error_body_for_a_huge_bad_request_is_small(client, name):
    body, content_type = HUGE_BAD_BODIES[name]
    path = "/v1/quotes/batch" if name.startswith("batch") else "/v1/quotes"
    response = client.post(path, data=body, content_type=content_type)
    assert_small_error(response.status_code, response.get_data())


@pytest.mark.slow
def test_api_key_over_real_http(start_service):
    """Through the production stack (nginx, then gunicorn's header parsing); also a huge wrong key
    and a huge bad body."""
    server = start_service(env={"QUOTEWIRE_API_KEY": KEY}, workers=1)
    url = server.url + "/v1/quotes"
    for given in (None, "", "wrong", KEY.lower(), KEY[:-1], "k" * 3000):
        headers = {} if given is None else {"X-API-Key": given}
        response = requests.post(url, json=ARTICLE, headers=headers, timeout=30)
        assert response.status_code == 401 and ERROR_KEYS <= response.json().keys()
        assert len(response.content) < 1000
    # A header line over nginx's 4 KB never reaches the app: nginx answers its JSON 400.
    response = requests.post(url, json=ARTICLE, headers={"X-API-Key": "k" * 7000}, timeout=30)
    assert response.status_code == 400 and ERROR_KEYS <= response.json().keys()
    assert len(response.content) < 1000
    assert requests.post(url, json=ARTICLE, headers={"X-API-Key": KEY}, timeout=60).status_code == 200
    for path in ("/health/ready", "/openapi.json", "/docs"):
        assert requests.get(server.url + path, timeout=30).status_code == 200
    response = requests.post(url, data=b'{"text": "' + b"A" * HUGE, timeout=60,
                             headers={"X-API-Key": KEY, "Content-Type": "application/json"})
    assert_small_error(response.status_code, response.content)
