"""service.client.Quotewire against the production stack (nginx in front of gunicorn, as a client
reaches it): typed results, batches streamed in order, the API key, and retries with backoff on
503/504 and refused connections."""
from __future__ import annotations

import threading
import time

import pytest
import requests

from service.client import Agency, Cue, Quote, Quotewire, QuotewireError, Result, SpeakerMention
from conftest import free_port, seed_text

pytestmark = pytest.mark.slow

SHORT = '"We have named the participants," Bogdanov told RIA Novosti.'


def test_extract_returns_typed_results(live_server):
    with Quotewire(live_server) as quotewire:
        result = quotewire.extract(seed_text("003"), id=17)
    assert isinstance(result, Result) and result.id == 17
    assert all(isinstance(quote, Quote) for quote in result.quotes)
    rouhani = next(q for q in result.quotes if q.text.startswith("I think today everyone"))
    assert isinstance(rouhani.speaker, SpeakerMention) and rouhani.speaker.name == "Hassan Rouhani"
    assert isinstance(rouhani.cue, Cue) and rouhani.cue.lemma == "tell"
    relayed = next(q for q in result.quotes if q.agency is not None)
    assert isinstance(relayed.agency, Agency) and relayed.agency.name == "RIA Novosti"
    names = {speaker.name for speaker in result.speakers}
    assert {"Mikhail Bogdanov", "Sergei Lavrov", "Hassan Rouhani"} <= names
    assert result.raw["quotes"][0]["id"] == result.quotes[0].id


def test_the_result_matches_the_raw_api(live_server):
    raw = requests.post(live_server + "/v1/quotes", json={"text": SHORT}, timeout=60).json()
    with Quotewire(live_server) as quotewire:
        result = quotewire.extract(SHORT)
    (quote,) = result.quotes
    assert (quote.text, quote.start, quote.end) == (raw["quotes"][0]["text"], 1, 32)
    assert quote.speaker.name == "Bogdanov" and quote.addressee.text == "RIA Novosti"
    assert quote.confidence == raw["quotes"][0]["confidence"] and quote.rule == raw["quotes"][0]["rule"]


def test_batch_streams_results_in_order_over_several_requests(live_server):
    articles = [{"id": f"a{i}", "text": f'"Point {i} stands," Lavrov said.'} for i in range(7)]
    with Quotewire(live_server, batch_size=3) as quotewire:   # 3 requests: 3 + 3 + 1
        stream = quotewire.batch(iter(articles))
        first = next(stream)   # results come one by one, before the whole batch is read
        results = [first, *stream]
    assert [r.id for r in results] == [a["id"] for a in articles]
    assert [r.quotes[0].text for r in results] == [f"Point {i} stands," for i in range(7)]
    assert all(r.quotes[0].speaker.name == "Lavrov" for r in results)


def test_html_goes_as_html_and_comes_back_with_its_offsets(live_server):
    page = ('<html><body><nav><a href="/">Home</a></nav><article><h1>Talks</h1><p>&ldquo;We have named '
            'the <em>participants</em>,&rdquo; <a href="/b">Bogdanov</a> told RIA Novosti.</p></article></body></html>')
    with Quotewire(live_server) as quotewire:
        result = quotewire.extract(page, id=5)
        batched = list(quotewire.batch([page, {"id": 6, "html": page}]))
    assert result.text.startswith("Talks\n\n“We have named the participants,”") and result.title == "Talks"
    (quote,) = result.quotes
    assert page[quote.html_start:quote.html_end] == "We have named the <em>participants</em>,"
    assert page[quote.speaker.html_start:quote.speaker.html_end] == "Bogdanov"
    assert [r.quotes for r in batched] == [result.quotes, result.quotes] and batched[1].id == 6


def test_batch_takes_plain_strings(live_server):
    with Quotewire(live_server) as quotewire:
        results = list(quotewire.batch([SHORT, "No quotes here."]))
    assert [len(r.quotes) for r in results] == [1, 0]


def test_bad_input_raises_the_services_error(live_server):
    with Quotewire(live_server) as quotewire:
        with pytest.raises(QuotewireError) as raised:
            quotewire.extract({"text": "   "})
    assert raised.value.code == 422 and "text" in str(raised.value.errors)


def test_the_api_key_is_sent(start_service):
    server = start_service(env={"QUOTEWIRE_API_KEY": "s3cret"}, workers=1)
    with Quotewire(server.url, api_key="s3cret") as quotewire:
        assert quotewire.extract(SHORT).quotes[0].speaker.name == "Bogdanov"
    with Quotewire(server.url, api_key="wrong") as quotewire, pytest.raises(QuotewireError) as raised:
        quotewire.extract(SHORT)
    assert raised.value.code == 401


def _requests_logged(server, path: str, status: int) -> int:
    """Requests that reached gunicorn and got `status` (its access lines)."""
    return sum(1 for line in server.log_lines() if f"{path} {status}" in line)


def test_503_is_retried_with_backoff_then_raised(start_service):
    server = start_service(env={"QUOTEWIRE_MODEL": "no_such_model"}, workers=1, wait_for="/health/live")
    started = time.monotonic()
    with Quotewire(server.url, retries=3, backoff=0.2) as quotewire, pytest.raises(QuotewireError) as raised:
        quotewire.extract(SHORT)
    elapsed = time.monotonic() - started
    assert raised.value.code == 503 and "no_such_model" in raised.value.message
    time.sleep(0.5)   # the access log line of the last answer
    assert _requests_logged(server, "/v1/quotes", 503) == 4   # the first try and 3 retries
    assert elapsed >= 0.2 + 0.4   # backoff between the retries (the first retry goes at once)


def test_504_is_retried_then_raised(start_service):
    server = start_service(env={"QUOTEWIRE_ARTICLE_TIMEOUT": "0.05"}, workers=1)
    long_article = " ".join([seed_text("000")] * 6)
    with Quotewire(server.url, retries=1, backoff=0.1) as quotewire, pytest.raises(QuotewireError) as raised:
        quotewire.extract(long_article)
    assert raised.value.code == 504
    time.sleep(0.5)
    assert _requests_logged(server, "/v1/quotes", 504) == 2


def test_a_refused_connection_is_retried_until_the_server_is_up(start_service):
    """The client starts before the service: it retries (backing off) until nginx answers."""
    port = free_port()
    outcome: dict = {}

    def call() -> None:
        with Quotewire(f"http://127.0.0.1:{port}", retries=12, backoff=0.5) as quotewire:
            try:
                outcome["result"] = quotewire.extract(SHORT)
            except QuotewireError as exc:
                outcome["error"] = exc

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.5)   # the first attempts are refused: nothing listens yet
    start_service(workers=1, port=port)
    caller.join(timeout=600)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["result"].quotes[0].speaker.name == "Bogdanov"


def test_no_server_at_all_is_a_clear_error_after_the_retries():
    started = time.monotonic()
    with Quotewire(f"http://127.0.0.1:{free_port()}", retries=2, backoff=0.2) as quotewire:
        with pytest.raises(QuotewireError) as raised:
            quotewire.extract(SHORT)
    assert raised.value.code is None and "no answer" in raised.value.message
    assert time.monotonic() - started >= 0.2


def test_timeouts_apply():
    """A server that accepts the connection and never answers: the read timeout ends the wait."""
    import socket
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        started = time.monotonic()
        with Quotewire(url, timeout=0.5, retries=0) as quotewire, pytest.raises(QuotewireError):
            quotewire.extract(SHORT)
        assert time.monotonic() - started < 10
    finally:
        listener.close()
