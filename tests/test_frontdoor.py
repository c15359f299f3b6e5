"""The production stack, nginx in front of gunicorn (service/frontdoor.py, nginx.conf): slow and
stalled clients never reach a worker (a stalled Content-Length body gets a JSON 408; stalled
headers or a stalled chunked body are closed without one, by nginx's design), nginx's own errors are the JSON shape with X-Request-ID, a
worker whose memory grows too much is recycled without losing a request, and the launcher stops
everything it started."""
from __future__ import annotations

import json
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
import requests

from payloads import ERROR_KEYS, seed_texts
from rawhttp import chunk, request_head, send_raw
from service import frontdoor

PROBE = json.dumps({"text": '"We have named the participants," Bogdanov said.'}).encode()
CLIENT_TIMEOUT_S = 2
ENGLISH_LEAD = seed_texts()[0][:2500]


def assert_json_error(response, status: int) -> dict:
    assert response.status == status, (response.status, response.body[:300])
    assert response.headers.get("content-type", "").startswith("application/json")
    assert response.headers.get("x-request-id")
    body = response.json()
    assert ERROR_KEYS <= set(body) and body["code"] == status
    return body


# ---- the launcher's pieces, without servers ---------------------------------------------------

def test_every_nginx_error_page_is_the_json_error_shape():
    pages = frontdoor.error_pages(max_body_bytes=1234, client_timeout="7")
    bodies = re.findall(r"return (\d+) '(.*)';", pages)
    assert len(bodies) == len(frontdoor.NGINX_ERRORS)
    for status, body in bodies:
        document = json.loads(body)
        assert set(document) == ERROR_KEYS and document["code"] == int(status)
        assert "$" not in body and "'" not in body  # nothing nginx would read as a variable or quote
    assert "1234 bytes" in pages and "nothing arrived for 7 s" in pages
    # Only the stalled-body answer closes its connection.
    assert pages.count("keepalive_timeout 0;") == 1
    assert re.search(r"/408 \{\s+internal;\s+keepalive_timeout 0;", pages)


def test_config_template_fills_every_placeholder_and_refuses_unknown_ones(tmp_path):
    template = frontdoor.config_file("nginx.conf").read_text(encoding="utf-8")
    rendered = frontdoor.render(template, frontdoor.nginx_values({}, tmp_path, 8000, "127.0.0.1"))
    assert "${" not in rendered and "client_max_body_size 5242880;" in rendered
    assert "client_body_timeout 10s;" in rendered and "$quotewire_request_id" in rendered
    assert "client:settimeout(10000)" in rendered and 'ngx.exec("/.quotewire-error/408")' in rendered
    with pytest.raises(KeyError):
        frontdoor.render("listen ${nowhere};", {})


# ---- against the real stack -------------------------------------------------------------------

@pytest.fixture(scope="module")
def service(start_service):
    return start_service(workers=2, env={"NGINX_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT_S)})


@pytest.mark.slow
@pytest.mark.parametrize("raw, statuses", [
    (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {414}),
    (request_head("GET", "/health/live", {"X-Big": "b" * 9000}), {400}),
    (request_head("GET", "/health/live", {f"X-H{i}": "1" for i in range(120)}), {200}),
    (request_head("GET", "/health/live", {"X(A)": "1"}), {200, 400}),
    (b"GET /health/live HTTP/1.1\nHost: x\nConnection: close\n\n", {200, 400}),
    (request_head("POST", "/v1/quotes", {"Content-Type": "application/json", "Content-Length": "4",
                                         "Transfer-Encoding": "chunked"}) + b"0\r\n\r\n", {400}),
    (request_head("POST", "/v1/quotes", {"Content-Type": "application/json",
                                         "Transfer-Encoding": "gzip"}) + b"abcd", {400, 501}),
], ids=["url-over-4kb", "9kb-header", "120-headers", "bad-header-name", "bare-lf",
        "content-length-with-chunked", "unknown-transfer-encoding"])
def test_malformed_http_gets_a_json_answer_with_a_request_id(service, raw, statuses):
    response = send_raw(service.url, raw)
    assert response.status in statuses, (response.status, response.body[:200])
    assert response.headers.get("x-request-id")
    if response.status >= 400:
        assert_json_error(response, response.status)


@pytest.mark.slow
def test_nginx_errors_keep_the_clients_request_id(service):
    response = send_raw(service.url, request_head("GET", "/health/live", {"X-Request-ID": "mine-42",
                                                                          "X-Big": "b" * 9000}))
    assert response.status == 400 and response.headers["x-request-id"] == "mine-42"


@pytest.mark.slow
@pytest.mark.parametrize("path, status, allow", [
    ("/v1/quotes", 405, {"POST", "OPTIONS"}), ("/health/live", 405, {"GET", "HEAD", "OPTIONS"}),
    ("/nowhere", 404, None)])
def test_trace_gets_the_apps_json_answer(service, path, status, allow):
    """nginx refuses TRACE itself (HTML, no Allow); what the client gets is the app's answer."""
    response = send_raw(service.url, request_head("TRACE", path, {"X-Request-ID": "trace-1"}))
    assert_json_error(response, status)
    assert response.headers["x-request-id"] == "trace-1"
    if allow:
        assert {method.strip() for method in response.headers["allow"].split(",")} == allow


@pytest.mark.slow
def test_over_limit_content_length_is_413_at_once_without_the_body(service):
    head = request_head("POST", "/v1/quotes", {"Content-Type": "application/json",
                                               "Content-Length": str(12 * 1024 * 1024)})
    response = send_raw(service.url, head + b'{"text": "' + b"a" * 65536)
    body = assert_json_error(response, 413)
    assert "5242880 bytes" in body["message"]
    assert response.first_byte_seconds < 1.0, response.first_byte_seconds


def stalled_post(headers: dict[str, str], body_start: bytes) -> bytes:
    """A POST that keeps its connection open (no Connection: close) and sends only `body_start`."""
    lines = ["POST /v1/quotes HTTP/1.1", "Host: quotewire.test", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body_start


@pytest.mark.slow
def test_stalled_body_gets_a_json_408_at_the_client_timeout_and_holds_no_worker(service):
    head = stalled_post({"Content-Length": "1000", "X-Request-ID": "stalled-1"}, b'{"text": "')
    with ThreadPoolExecutor(4) as pool:
        stalled = [pool.submit(send_raw, service.url, head, 30) for _ in range(2)]
        time.sleep(0.5)
        # Both workers would be stuck on these bodies if gunicorn read them: it does not.
        started = time.monotonic()
        answer = requests.post(service.url + "/v1/quotes", data=PROBE,
                               headers={"Content-Type": "application/json"}, timeout=30)
        assert answer.status_code == 200 and time.monotonic() - started < 5
        for future in stalled:
            response = future.result()
            body = assert_json_error(response, 408)
            assert f"{CLIENT_TIMEOUT_S} s" in body["message"]
            assert response.headers["x-request-id"] == "stalled-1"
            assert CLIENT_TIMEOUT_S - 0.5 < response.first_byte_seconds < CLIENT_TIMEOUT_S + 3
            # The connection is closed after it, though the client asked to keep it: the rest
            # of its body must not be read as another request.
            assert response.headers["connection"] == "close"
            assert response.seconds < CLIENT_TIMEOUT_S + 3
    time.sleep(0.3)
    access = [json.loads(line) for line in service.log_lines() if line.startswith("{")]
    assert not [e for e in access if e.get("request_id") == "stalled-1" and e["logger"] == "gunicorn.access"]
    assert [e for e in access if e.get("request_id") == "stalled-1" and e.get("status") == 408]


@pytest.mark.slow
def test_a_body_that_pauses_less_than_the_client_timeout_goes_through(service):
    body = PROBE
    pieces = [(CLIENT_TIMEOUT_S * 0.6, body[i:i + 20]) for i in range(20, len(body), 20)]
    head = request_head("POST", "/v1/quotes", {"Content-Type": "application/json",
                                               "Content-Length": str(len(body))})
    response = send_raw(service.url, head + body[:20], 30, pieces)
    assert response.status == 200, (response.status, response.body[:300])
    assert response.json()["quotes"][0]["speaker"]["name"] == "Bogdanov"


# What nginx reads itself (the request line and headers, a chunked body) it ends at the client
# timeout by closing the connection, with no answer at all (nginx.conf says why): no status line,
# no bytes, and no worker ever sees the request.
NGINX_CLOSES = {
    "request-line": b"POST /v1/quo",
    "headers": b"POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: appl",
    "chunked-body": stalled_post({"Transfer-Encoding": "chunked", "X-Request-ID": "stalled-chunked"},
                                 chunk(b'{"text": "')),
}


@pytest.mark.slow
@pytest.mark.parametrize("stalled", NGINX_CLOSES.values(), ids=NGINX_CLOSES.keys())
def test_a_stall_nginx_reads_itself_is_closed_at_the_client_timeout_without_an_answer(service, stalled):
    response = send_raw(service.url, stalled, 30)
    assert response.status is None and response.body == b""
    assert CLIENT_TIMEOUT_S - 0.5 < response.seconds < CLIENT_TIMEOUT_S + 3
    time.sleep(0.3)
    assert not [line for line in service.log_lines() if "stalled-chunked" in line and "gunicorn" in line]


@pytest.mark.slow
def test_slowloris_connections_do_not_hold_the_workers(service):
    """Twenty clients trickling headers and bodies a byte at a time, beside normal requests
    (2 workers: on gunicorn alone, two such clients stop the service)."""
    slow_head = b"POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    body = b'Content-Length: %d\r\nConnection: close\r\n\r\n' % len(PROBE) + PROBE
    trickle = [(0.3, bytes([byte])) for byte in body[:12]]  # ~4 s of dribbling, then it stops
    with ThreadPoolExecutor(24) as pool:
        slow = [pool.submit(send_raw, service.url, slow_head, 30, trickle) for _ in range(20)]
        time.sleep(0.5)
        timings = []
        for _ in range(10):
            started = time.monotonic()
            response = requests.post(service.url + "/v1/quotes", data=PROBE,
                                     headers={"Content-Type": "application/json"}, timeout=30)
            timings.append(time.monotonic() - started)
            assert response.status_code == 200
        assert max(timings) < 2.0, timings
        for future in slow:
            assert future.result().status in (None, 400, 408)  # cut off; never a 5xx


@pytest.mark.slow
def test_a_worker_that_grows_too_much_is_recycled_without_losing_a_request(start_service):
    server = start_service(workers=1, env={"GUNICORN_MAX_WORKER_GROWTH_MB": "8"})
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"

    def random_words(count: int) -> str:
        return " ".join("".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(count))

    statuses = []
    for i in range(12):
        # An English start (the language check reads the first 2,000 characters), then words
        # spaCy has never seen: every one stays in the worker's string store.
        text = ENGLISH_LEAD + f' "{random_words(12)}," she said. ' + random_words(6000)
        statuses.append(requests.post(server.url + "/v1/quotes", json={"text": text, "id": str(i)},
                                      timeout=60).status_code)
    assert statuses == [200] * 12
    lines = [json.loads(line) for line in server.log_lines() if line.startswith("{")]
    assert any("recycling" in e["message"] for e in lines)
    boots = [e for e in lines if "Booting worker" in e["message"]]
    assert len(boots) >= 2


@pytest.mark.slow
def test_stopping_the_frontdoor_stops_nginx_and_gunicorn(start_service):
    server = start_service(workers=1)
    launcher = psutil.Process(server.process.pid)
    children = launcher.children(recursive=True)
    assert {"nginx", "gunicorn"} <= {word for child in children for word in ("nginx", "gunicorn")
                                       if word in " ".join(child.cmdline())}
    server.stop()
    assert server.process.returncode is not None
    time.sleep(0.5)
    assert not [child for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE]
