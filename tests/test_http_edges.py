"""What reaches the service as raw bytes on a socket (tests/rawhttp.py), against the stack that
runs in production: malformed chunked bodies, oversized chunked bodies, compressed bodies,
made-up methods. Every answer is the JSON error shape with an X-Request-ID."""
from __future__ import annotations

import json

import pytest

from payloads import ERROR_KEYS
from rawhttp import chunk, chunked_post, request_head, send_raw

pytestmark = pytest.mark.slow

BODY = json.dumps({"text": '"We have named the participants," Bogdanov said.'}).encode()
LIMIT = 5 * 1024 * 1024


def assert_json_error(response, status: int) -> dict:
    assert response.status == status, (response.status, response.body[:300])
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    assert response.headers.get("x-request-id")
    body = response.json()
    assert ERROR_KEYS <= set(body) and body["code"] == status
    return body


def test_well_formed_chunked_body_is_read(live_server):
    response = send_raw(live_server, chunked_post("/v1/quotes", chunk(BODY[:20]) + chunk(BODY[20:]) + b"0\r\n\r\n"))
    assert response.status == 200 and response.json()["quotes"]


@pytest.mark.parametrize("chunks", [
    b"ZZ\r\n" + BODY + b"\r\n0\r\n\r\n",                    # chunk size is not hex
    b"-1\r\n" + BODY + b"\r\n0\r\n\r\n",                    # negative chunk size
    b"%x\r\n" % len(BODY) + BODY + b"XX0\r\n\r\n",          # chunk data not followed by CRLF
], ids=["size-ZZ", "size-minus-1", "missing-crlf"])
def test_malformed_chunked_body_is_400(live_server, chunks):
    assert_json_error(send_raw(live_server, chunked_post("/v1/quotes", chunks)), 400)


def test_chunked_body_over_the_limit_is_413(live_server):
    piece = chunk(b" " * (1024 * 1024))
    response = send_raw(live_server, chunked_post("/v1/quotes", chunk(b'{"text": "') + piece * 6 + b"0\r\n\r\n"))
    body = assert_json_error(response, 413)
    assert str(LIMIT) in body["message"]


def test_made_up_methods_do_not_grow_metrics(live_server):
    before = send_raw(live_server, request_head("GET", "/metrics")).body
    for i in range(40):
        send_raw(live_server, request_head(f"INVENT{i}", "/v1/quotes"))
    after = send_raw(live_server, request_head("GET", "/metrics")).body
    assert b"INVENT" not in after
    assert len(after) < len(before) + 2000, (len(before), len(after))
