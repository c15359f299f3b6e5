"""Smoke suite against real servers on loopback: what a client sees, through the production stack
(nginx in front of gunicorn, `start_service`, `live_server`); and gunicorn's own behaviour on
gunicorn alone (`start_gunicorn`: its workers' metrics, its timeouts when nginx is not in front),
each test saying why."""
from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from rawhttp import request_head, send_raw
from service.api.worker import client_timeout_s, read_timeout_s

pytestmark = pytest.mark.slow

PROBE = '"We have named the participants," Bogdanov said.'


def metric(url: str, name: str, labels: str = "") -> float:
    text = requests.get(f"{url}/metrics", timeout=10).text
    pattern = rf"^{re.escape(name)}{re.escape(labels)} ([0-9.e+]+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def json_log(server) -> list[dict]:
    return [json.loads(line) for line in server.log_lines() if line.startswith("{")]


@pytest.fixture(scope="module")
def tight_server(start_service):
    """One worker, small limits: for streaming, time-limit and body-limit checks."""
    return start_service(workers=1, env={
        "QUOTEWIRE_BATCH_SIZE": "2", "QUOTEWIRE_ARTICLE_TIMEOUT": "1",
        "QUOTEWIRE_MAX_BODY_BYTES": "200000"})


def test_seed_article_over_http(live_server, seeds):
    text = seeds["000"]
    response = requests.post(f"{live_server}/v1/quotes", json={"text": text, "id": "000"},
                             headers={"X-Request-ID": "smoke-000"}, timeout=60)
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "smoke-000"
    body = response.json()
    assert body["id"] == "000" and body["quotes"]
    for quote in body["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]


def test_every_log_line_is_json_and_access_lines_carry_the_request_id(start_service):
    """nginx's lines as well as gunicorn's and the app's: what the service writes in production."""
    server = start_service(workers=1)
    requests.post(f"{server.url}/v1/quotes", json={"text": PROBE}, headers={"X-Request-ID": "trace-7"}, timeout=60)
    requests.get(f"{server.url}/nowhere", timeout=10)
    time.sleep(0.5)
    lines = server.log_lines()
    assert lines and all(json.loads(line) for line in lines), "every line must be JSON"
    access = [entry for entry in json_log(server) if entry["logger"] == "gunicorn.access"]
    traced = [entry for entry in access if entry["request_id"] == "trace-7"]
    assert traced and traced[0]["status"] == 200 and traced[0]["path"] == "/v1/quotes"
    assert any(entry["status"] == 404 for entry in access)
    app_lines = [entry for entry in json_log(server) if entry["logger"] == "quotewire"]
    assert any(entry.get("request_id") == "trace-7" for entry in app_lines)
    server.stop()


def test_metrics_add_up_across_workers(start_gunicorn, seeds):
    """gunicorn's own: its two workers' counters add up in /metrics (multiprocess files), so it
    runs on gunicorn alone; tests/test_metrics.py counts the same through nginx."""
    server = start_gunicorn(workers=2)
    url = server.url
    count = 16

    def post(i):
        return requests.post(f"{url}/v1/quotes", json={"text": seeds["003"] if i % 2 else PROBE},
                             timeout=60).status_code

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(post, range(count))) == [200] * count
    time.sleep(0.5)
    pids = {entry["pid"] for entry in json_log(server)
            if entry["logger"] == "gunicorn.access" and entry["path"] == "/v1/quotes"}
    assert len(pids) == 2, "both workers served requests"
    assert metric(url, "quotewire_articles_processed_total") == count
    assert metric(url, "quotewire_characters_processed_total") == \
        count // 2 * (len(seeds["003"]) + len(PROBE))
    assert metric(url, "flask_http_request_duration_seconds_count",
                  '{endpoint="quotes.Quotes",method="POST",status="200"}') == count
    server.stop()


def test_ndjson_streams_first_result_well_before_the_last(tight_server, seeds):
    articles = [{"id": str(i), "text": seeds["000"]} for i in range(8)]
    started = time.monotonic()
    arrivals = []
    with requests.post(f"{tight_server.url}/v1/quotes/batch", json={"articles": articles},
                       headers={"Accept": "application/x-ndjson"}, stream=True, timeout=120) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/x-ndjson")
        lines = []
        for line in response.iter_lines():
            if line:
                arrivals.append(time.monotonic() - started)
                lines.append(json.loads(line))
    assert [line["id"] for line in lines] == [a["id"] for a in articles]
    # Minibatches of 2: the first line comes after about a quarter of the work.
    assert arrivals[0] < 0.6 * arrivals[-1], arrivals


def test_time_limit_answers_504_and_keeps_the_worker(tight_server, seeds):
    # ~97k characters of real news (under the text limit) take seconds: over the 1 s article limit.
    long_article = "\n\n".join([seeds["000"]] * 25)
    started = time.monotonic()
    response = requests.post(f"{tight_server.url}/v1/quotes", json={"text": long_article}, timeout=60)
    assert response.status_code == 504
    assert time.monotonic() - started < 10
    assert response.json()["code"] == 504
    assert requests.post(f"{tight_server.url}/v1/quotes", json={"text": PROBE}, timeout=60).status_code == 200
    boots = [e for e in json_log(tight_server) if "Booting worker" in e["message"]]
    assert len(boots) == 1, "the worker was not killed and replaced"


def test_oversized_body_gets_a_readable_413(tight_server, live_server):
    small = requests.post(f"{tight_server.url}/v1/quotes", json={"text": "x" * 300_000}, timeout=60)
    assert small.status_code == 413 and "200000 bytes" in small.json()["message"]
    big = requests.post(f"{live_server}/v1/quotes", json={"text": "x" * (6 * 1024 * 1024)}, timeout=60)
    assert big.status_code == 413 and "5242880 bytes" in big.json()["message"]


def test_missing_model_serves_not_ready_without_crash_looping(start_service):
    server = start_service(workers=1, wait_for="/health/live",
                            env={"QUOTEWIRE_MODEL": "no_such_model_installed"})
    ready = requests.get(f"{server.url}/health/ready", timeout=10)
    assert ready.status_code == 503
    assert "no_such_model_installed" in ready.json()["message"]
    assert requests.post(f"{server.url}/v1/quotes", json={"text": PROBE}, timeout=10).status_code == 503
    time.sleep(2)
    assert server.process.poll() is None
    boots = [e for e in json_log(server) if "Booting worker" in e["message"]]
    assert len(boots) == 1
    assert any(e["logger"] == "quotewire" and e["level"] == "ERROR" for e in json_log(server))
    server.stop()


def test_docs_openapi_and_page_are_served(live_server):
    assert requests.get(f"{live_server}/openapi.json", timeout=10).json()["openapi"].startswith("3.")
    docs = requests.get(f"{live_server}/docs", timeout=10)
    assert docs.status_code == 200 and "/docs/assets/swagger-ui-bundle.js" in docs.text
    bundle = requests.get(f"{live_server}/docs/assets/swagger-ui-bundle.js", timeout=10)
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    assert requests.get(f"{live_server}/", timeout=10).status_code == 200
    assert requests.get(f"{live_server}/health/live", timeout=10).json() == {"status": "ok"}


def test_graceful_shutdown_finishes_the_request_in_flight(start_service, seeds):
    """SIGTERM to the front door: nginx and gunicorn both finish the request first."""
    server = start_service(workers=1)
    text = "\n\n".join([seeds["000"]] * 6)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(requests.post, f"{server.url}/v1/quotes", json={"text": text}, timeout=60)
        time.sleep(0.3)
        server.process.terminate()
        assert pending.result().status_code == 200
    assert server.process.wait(timeout=40) == 0


def test_docs_render_in_a_browser_with_no_outside_requests(live_server):
    """Swagger UI at /docs draws every operation from the service's own files and nothing else."""
    import shutil
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not shutil.os.path.exists(chromium):
        pytest.skip("Chromium is not installed (make test installs it via .ci/system-deps)")
    from playwright.sync_api import sync_playwright
    outside, page_errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: None if r.url.startswith(live_server) else outside.append(r.url))
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.goto(f"{live_server}/docs")
            page.wait_for_selector(".opblock", timeout=60_000)
            paths = set(page.locator(".opblock-summary-path").all_inner_texts())
        finally:
            browser.close()
    assert {"/v1/quotes", "/v1/quotes/batch", "/v1/info", "/health/live", "/health/ready"} <= \
        {p.replace("\u200b", "") for p in paths}
    assert outside == [] and page_errors == []


# ---- gunicorn alone: a client that stalls while sending its request -------------------------
# gunicorn's own behaviour (service/api/worker.py), for when it runs without nginx; behind nginx
# these stalls never reach it (tests/test_frontdoor.py).

CLIENT_TIMEOUT_S = 2
STALLED = {
    "request-line": b"POST /v1/quo",
    "headers": b"POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: appl",
    "content-length-body": b"POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 1000\r\n\r\n" + b'{"text": "',
    "chunked-body": b"POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n" + b'a\r\n{"text": "\r\n',
}


READ_TIMEOUT_S = 4
TRICKLE_PAUSE_S = 0.5   # well within the client timeout: only the read timeout stops these
TRICKLED = {
    "headers": (b"POST /v1/quotes HTTP/1.1\r\nHost: x\r\n", b"X-Slow: " + b"a" * 200),
    "content-length-body": (b"POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            b"Content-Length: 1000\r\n\r\n", b'{"text": "' + b"a" * 200),
}


@pytest.fixture(scope="module")
def impatient_server(start_gunicorn):
    """One worker whose client reads give up after 2 s of silence, or 4 s after the connection was
    taken; its worker timeout (6 s) would otherwise abort the worker with gunicorn's HTML 500."""
    return start_gunicorn(workers=1, env={"GUNICORN_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT_S),
                                          "GUNICORN_REQUEST_READ_TIMEOUT": str(READ_TIMEOUT_S),
                                          "GUNICORN_TIMEOUT": "6"})


def assert_json_408_and_worker_kept(server, response, message: str, seconds: float) -> None:
    assert response.status == 408, (response.status, response.body[:200])
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"] and response.headers["connection"] == "close"
    body = response.json()
    assert set(body) == {"code", "status", "message", "errors"} and body["code"] == 408
    assert message in body["message"], body["message"]
    assert seconds - 0.5 < response.first_byte_seconds < seconds + 2
    assert requests.post(f"{server.url}/v1/quotes", json={"text": PROBE}, timeout=30).status_code == 200
    log = json_log(server)
    assert not [e for e in log if "WORKER TIMEOUT" in e["message"]]
    assert len([e for e in log if "Booting worker" in e["message"]]) == 1


@pytest.mark.parametrize("stalled", STALLED.values(), ids=STALLED.keys())
def test_a_stalled_request_gets_a_json_408_from_gunicorn_alone_and_keeps_the_worker(impatient_server, stalled):
    response = send_raw(impatient_server.url, stalled, timeout=30)
    assert_json_408_and_worker_kept(impatient_server, response, f"nothing arrived for {CLIENT_TIMEOUT_S} s",
                                    CLIENT_TIMEOUT_S)


@pytest.mark.parametrize("start, trickle", TRICKLED.values(), ids=TRICKLED.keys())
def test_a_trickled_request_gets_a_json_408_at_the_read_timeout_and_keeps_the_worker(impatient_server, start,
                                                                                     trickle):
    """A byte every half second never pauses for the client timeout; the read timeout stops it
    (before it, the worker was held until gunicorn aborted it at GUNICORN_TIMEOUT)."""
    pieces = [(TRICKLE_PAUSE_S, trickle[k:k + 1]) for k in range(len(trickle))]   # 100 s of it
    response = send_raw(impatient_server.url, start, 30, pieces)
    assert_json_408_and_worker_kept(impatient_server, response, f"not all received within {READ_TIMEOUT_S} s",
                                    READ_TIMEOUT_S)


def test_a_body_that_pauses_less_than_the_client_timeout_reaches_gunicorn_alone(impatient_server):
    body = json.dumps({"text": PROBE}).encode()
    head = request_head("POST", "/v1/quotes", {"Content-Type": "application/json",
                                               "Content-Length": str(len(body))})
    pieces = [(CLIENT_TIMEOUT_S * 0.6, body[i:i + 25]) for i in range(25, len(body), 25)]
    response = send_raw(impatient_server.url, head + body[:25], 30, pieces)
    assert response.status == 200, (response.status, response.body[:200])
    assert response.json()["quotes"][0]["speaker"]["name"] == "Bogdanov"


def test_the_client_timeout_must_be_below_the_worker_timeout():
    assert client_timeout_s({}, 90) == 10
    assert client_timeout_s({"GUNICORN_CLIENT_TIMEOUT": "2.5"}, 90) == 2.5
    for bad in ("0", "-1", "90", "soon"):
        with pytest.raises(SystemExit, match="GUNICORN_CLIENT_TIMEOUT"):
            client_timeout_s({"GUNICORN_CLIENT_TIMEOUT": bad}, 90)


def test_the_read_timeout_must_cover_a_pause_and_stay_below_the_worker_timeout():
    assert read_timeout_s({}, 10, 90) == 20
    assert read_timeout_s({"GUNICORN_REQUEST_READ_TIMEOUT": "10"}, 10, 90) == 10
    for bad in ("9.5", "90", "-1", "later"):
        with pytest.raises(SystemExit, match="GUNICORN_REQUEST_READ_TIMEOUT"):
            read_timeout_s({"GUNICORN_REQUEST_READ_TIMEOUT": bad}, 10, 90)
