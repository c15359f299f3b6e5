"""The production stack (nginx + gunicorn) whose model cannot be loaded starts, stays up,
answers /health/live, reports not-ready with the reason on /health/ready, and answers /v1/ calls
with a clear 503 — without its workers crashing and being restarted in a loop."""
from __future__ import annotations

import time

import psutil
import pytest
import requests

from payloads import ERROR_KEYS

MISSING_MODEL = "no_such_model"


def wait_for_workers(master_pid: int, count: int, seconds: float = 30) -> set[int]:
    """gunicorn forks its workers a moment apart: the pids once all of them are there."""
    deadline = time.monotonic() + seconds
    while True:
        pids = {p.pid for p in psutil.Process(master_pid).children()}
        if len(pids) >= count or time.monotonic() > deadline:
            return pids
        time.sleep(0.1)


@pytest.mark.slow
def test_service_without_its_model_is_live_but_not_ready(start_service):
    server = start_service(env={"QUOTEWIRE_MODEL": MISSING_MODEL}, workers=2, wait_for="/health/live")
    master = psutil.Process(server.gunicorn_pid())
    workers_before = wait_for_workers(master.pid, 2)

    ready = requests.get(server.url + "/health/ready", timeout=10)
    assert ready.status_code == 503
    body = ready.json()
    assert ERROR_KEYS <= body.keys() and body["code"] == 503
    assert MISSING_MODEL in body["message"]  # the reason, not just "not ready"

    quotes = requests.post(server.url + "/v1/quotes", json={"text": '"Hi," he said.'}, timeout=10)
    assert quotes.status_code == 503
    assert ERROR_KEYS <= quotes.json().keys() and MISSING_MODEL in quotes.json()["message"]
    batch = requests.post(server.url + "/v1/quotes/batch", json={"articles": [{"text": "a"}]}, timeout=10)
    assert batch.status_code == 503

    info = requests.get(server.url + "/v1/info", timeout=10).json()
    assert info["model"]["loaded"] is False and MISSING_MODEL in info["model"]["error"]

    # Not a crash loop: a while later the same master and the same workers are still serving.
    time.sleep(3)
    for _ in range(10):
        assert requests.get(server.url + "/health/live", timeout=10).status_code == 200
    assert master.is_running() and server.process.poll() is None
    assert len(workers_before) == 2
    assert {p.pid for p in psutil.Process(master.pid).children()} == workers_before
    # Bad input still gets its own clear answer rather than the 503.
    assert requests.post(server.url + "/v1/quotes", data=b"{", headers={"Content-Type": "application/json"},
                         timeout=10).status_code == 400
    log = "\n".join(server.log_lines())
    assert "Traceback" not in log
    assert log.count("model not loaded") == 1  # loaded once in the master, reported once
