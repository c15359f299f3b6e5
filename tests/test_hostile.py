"""Hostile inputs (tests/payloads.py) against the Flask test client and a real gunicorn: never a
5xx (bar the time limit's 504 on inputs built to be slow), always a JSON error body or a 200 whose
offsets are all valid, and the service still answers normally afterwards."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from payloads import (OK_OR_TIME_LIMIT, TIME_LIMIT_STATUS, Payload, article_body, hostile_payloads,
                      response_problems, seed_texts)

# Short limits keep the slow inputs short: the behaviour at the limit is what is tested.
ARTICLE_TIMEOUT_S = 2
SERVER_ENV = {"QUOTEWIRE_ARTICLE_TIMEOUT": str(ARTICLE_TIMEOUT_S)}

PAYLOADS = hostile_payloads()


@pytest.fixture(scope="module")
def hostile_client(nlp):
    from service import create_app
    app = create_app({"TESTING": True, "QUOTEWIRE_PIPELINE": nlp,
                      "QUOTEWIRE_ARTICLE_TIMEOUT": ARTICLE_TIMEOUT_S})
    return app.test_client()


def send_to_client(client, payload: Payload) -> tuple[int, bytes]:
    response = client.open(payload.path, method=payload.method, data=payload.body,
                           headers=payload.request_headers())
    return response.status_code, response.get_data()


def send_over_http(base_url: str, payload: Payload, timeout: float = 60) -> tuple[int, bytes]:
    response = requests.request(payload.method, base_url + payload.path, data=payload.body,
                                headers=payload.request_headers(), timeout=timeout)
    return response.status_code, response.content


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p.name for p in PAYLOADS])
def test_hostile_input_gets_a_clear_answer(hostile_client, payload):
    status, content = send_to_client(hostile_client, payload)
    assert response_problems(payload, status, content) == []


def test_the_corpus_covers_the_brief():
    names = {p.name for p in PAYLOADS}
    for needed in ("truncated-json", "invalid-utf8-ff", "lone-high-surrogate", "deep-array-nesting",
                   "megabyte-of-quote-marks", "hundred-thousand-apostrophes", "huge-single-paragraph",
                   "null-bytes", "control-characters", "right-to-left", "emoji"):
        assert needed in names
    assert len(next(p for p in PAYLOADS if p.name == "megabyte-of-quote-marks").body) > 2_000_000


def test_only_heavy_inputs_may_reach_the_time_limit():
    for payload in PAYLOADS:
        if TIME_LIMIT_STATUS in payload.expect:
            assert payload.heavy, payload.name


def test_the_checker_catches_a_wrong_offset():
    """The check the whole suite leans on must itself fail on a bad answer."""
    payload = Payload("probe", article_body('"Hi," he said.'), OK_OR_TIME_LIMIT)
    good = b'{"quotes": [{"id": "q1", "text": "Hi,", "start": 1, "end": 4, "speaker": ' \
           b'{"text": "he", "start": 6, "end": 8}, "cue": null, "agency": null, "addressee": null}]}'
    assert response_problems(payload, 200, good) == []
    assert response_problems(payload, 200, good.replace(b'"end": 8', b'"end": 9'))
    assert response_problems(payload, 500, b'{"code": 500, "status": "x", "message": "m", "errors": {}}')
    assert response_problems(payload, 400, b"<html>Bad Request</html>")


def test_service_still_answers_after_the_hostile_corpus(hostile_client):
    """Runs after the parametrized test above, on the same app that has just taken the corpus."""
    response = hostile_client.post("/v1/quotes", json={"text": seed_texts()[0]})
    assert response.status_code == 200
    assert response.get_json()["quotes"]


@pytest.mark.slow
def test_hostile_inputs_against_the_real_service(start_service):
    """The same bytes over a real socket to nginx + gunicorn: their parsing, body limits and time limits."""
    server = start_service(env=SERVER_ENV, workers=2)
    with ThreadPoolExecutor(max_workers=2) as pool:  # one request per gunicorn worker
        answers = pool.map(lambda payload: send_over_http(server.url, payload), PAYLOADS)
        found = {payload.name: problems for payload, (status, content) in zip(PAYLOADS, answers)
                 if (problems := response_problems(payload, status, content))}
    assert found == {}
    assert requests.get(server.url + "/health/ready", timeout=30).status_code == 200
    response = requests.post(server.url + "/v1/quotes", json={"text": seed_texts()[1]}, timeout=60)
    assert response.status_code == 200 and response.json()["quotes"]
    assert not [line for line in server.log_lines() if "Traceback" in line or "WORKER TIMEOUT" in line]


def test_time_limit_cannot_be_swallowed_by_the_engine():
    """The engine catches Exception around each article (one bad text must not sink a batch);
    the time limit must pass through such a handler, or a timed-out article would come back as a
    200 with no quotes instead of a 504."""
    import time

    from service.timelimit import TimeLimitExceeded, time_limit
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.2):
            try:
                started = time.monotonic()
                while time.monotonic() - started < 2:  # an article's work, longer than the limit
                    pass
            except Exception:  # what service/nlp/component.py does around extraction
                pass
