"""The short soak: bench/soak.py's own load generator, a few hundred requests (single paragraphs
and the cheap hostile inputs) at concurrency 8 against a real 2-worker gunicorn, with one worker
SIGKILLed halfway, behind nginx as in production. Memory figures are the benchmark's business; this checks the answers."""
from __future__ import annotations

import random

import pytest
import requests

from bench.soak import LOST_PER_KILLED_WORKER, build_mix, format_report, run_soak

REQUESTS = 200
CONCURRENCY = 8
MAX_SECONDS = 60  # the run stops sending after this; anything unsent fails the test


@pytest.mark.slow
def test_short_soak_with_a_worker_killed_halfway(start_service):
    server = start_service(workers=2)
    payloads = build_mix(REQUESTS, hostile_share=0.3, rng=random.Random(6), short=True,
                         include_heavy=False)
    assert sum(not p.name.startswith("real-") for p in payloads) > REQUESTS // 5

    report = run_soak(server.url, server.gunicorn_pid(), payloads, CONCURRENCY, kill_at=0.5,
                      max_seconds=MAX_SECONDS)
    print(format_report(report))

    assert report.not_sent == 0 and len(report.outcomes) == REQUESTS
    assert [o.payload.name for o in report.server_errors()] == []
    assert {o.payload.name: o.problems for o in report.wrong_answers()} == {}
    assert len(report.no_response()) <= LOST_PER_KILLED_WORKER
    assert not report.slow()
    # The kill really happened, and the master replaced the worker.
    assert report.killed_pid in report.workers_before
    assert report.killed_pid not in report.workers_after and len(report.workers_after) == 2
    assert requests.get(server.url + "/health/ready", timeout=30).status_code == 200
    assert not [line for line in server.log_lines() if "Traceback" in line]
