"""Dead workers' Prometheus files (service/api/metrics.py, gunicorn.conf.py's child_exit): real
prometheus_client files written by real processes, folded after they exit; and, against the
production stack, counts that still add up after workers are recycled."""
from __future__ import annotations

import fcntl
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from flask import Flask
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from service.api.metrics import FOLDED, FoldingPrometheusMetrics, fold_dead_worker, fold_lock

PROBE = '"We have named the participants," Bogdanov said.'

# A process that counts like a worker: `n` increments, one observation of n seconds, a gauge of n.
WORKER = """
import sys
from prometheus_client import Counter, Gauge, Histogram
n = int(sys.argv[1])
Counter("jobs", "jobs done", ["kind"]).labels("a").inc(n)
Histogram("job_seconds", "job time", buckets=(1, 10)).observe(n)
Gauge("busy", "busy now", multiprocess_mode="livesum").set(n)
Gauge("build", "build info", multiprocess_mode="max").set(1)
"""


def run_worker(directory: Path, n: int) -> int:
    """Run WORKER to its end in its own process; returns its pid."""
    process = subprocess.Popen([sys.executable, "-c", WORKER, str(n)],
                               env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)})
    assert process.wait(timeout=60) == 0
    return process.pid


def scrape(directory: Path) -> str:
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(directory))
    return generate_latest(registry).decode()


def value(text: str, sample: str) -> float | None:
    match = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


def test_folded_counts_keep_their_totals_and_dead_gauges_go(tmp_path):
    pids = [run_worker(tmp_path, n) for n in (2, 5, 20)]
    before = scrape(tmp_path)
    assert value(before, 'jobs_total{kind="a"}') == 27
    assert value(before, "busy") == 27  # the exited processes' files are still read

    for pid in pids[:2]:
        fold_dead_worker(str(tmp_path), pid)
    after = scrape(tmp_path)
    assert value(after, 'jobs_total{kind="a"}') == 27
    assert value(after, "job_seconds_count") == 3 and value(after, "job_seconds_sum") == 27
    assert value(after, 'job_seconds_bucket{le="1.0"}') == 0
    assert value(after, 'job_seconds_bucket{le="10.0"}') == 2   # 2 and 5
    assert value(after, "busy") == 20                          # only the one not folded
    assert value(after, "build") == 1
    names = sorted(path.name for path in tmp_path.glob("*.db"))
    assert not [name for name in names if any(str(pid) in name for pid in pids[:2])]
    assert f"counter_{FOLDED}.db" in names and f"histogram_{FOLDED}.db" in names



def test_a_fold_waits_for_the_scrape_reading_the_files(tmp_path):
    pid = run_worker(tmp_path, 3)
    with fold_lock(str(tmp_path), fcntl.LOCK_SH):     # a scrape in progress
        folding = threading.Thread(target=fold_dead_worker, args=(str(tmp_path), pid))
        folding.start()
        folding.join(timeout=0.5)
        assert folding.is_alive()                     # the master waits for it
        assert list(tmp_path.glob(f"*_{pid}.db"))
    folding.join(timeout=30)
    assert not folding.is_alive() and not list(tmp_path.glob(f"*_{pid}.db"))
    assert value(scrape(tmp_path), 'jobs_total{kind="a"}') == 3


def test_a_scrape_waits_for_a_fold_in_progress(tmp_path, monkeypatch):
    run_worker(tmp_path, 3)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    metrics = FoldingPrometheusMetrics(Flask(__name__), registry=CollectorRegistry(), export_defaults=False)
    scraped = []
    with fold_lock(str(tmp_path), fcntl.LOCK_EX):     # the master folding
        scraping = threading.Thread(target=lambda: scraped.append(metrics.generate_metrics()[0]))
        scraping.start()
        scraping.join(timeout=0.5)
        assert scraping.is_alive() and not scraped
    scraping.join(timeout=30)
    assert value(scraped[0], 'jobs_total{kind="a"}') == 3

def test_files_stay_bounded_however_many_workers_exit(tmp_path):
    for n in range(1, 9):
        fold_dead_worker(str(tmp_path), run_worker(tmp_path, n))
    assert value(scrape(tmp_path), 'jobs_total{kind="a"}') == sum(range(1, 9))
    assert sorted(path.name for path in tmp_path.glob("*.db")) == [f"counter_{FOLDED}.db",
                                                                    f"histogram_{FOLDED}.db"]


def metric(url: str, sample: str) -> float:
    response = requests.get(f"{url}/metrics", timeout=10)
    assert response.status_code == 200
    return value(response.text, sample) or 0.0


@pytest.mark.slow
def test_counts_add_up_across_worker_recycles(start_service):
    # A worker is replaced after 4-5 requests (GUNICORN_MAX_REQUESTS, jitter 1), /metrics included.
    server = start_service(workers=2, env={"GUNICORN_MAX_REQUESTS": "4"})
    count = 30
    for i in range(count):
        response = requests.post(f"{server.url}/v1/quotes", json={"text": PROBE, "id": str(i)}, timeout=60)
        assert response.status_code == 200
        if i % 5 == 0:
            metric(server.url, "quotewire_articles_processed_total")  # scrapes while workers exit

    boots = [line for line in server.log_lines() if "Booting worker" in line]
    assert len(boots) >= 2 + 6, f"only {len(boots)} workers started"
    assert metric(server.url, "quotewire_articles_processed_total") == count
    assert metric(server.url, "quotewire_quotes_found_total") == count
    assert metric(server.url, 'flask_http_request_total{endpoint="quotes.Quotes",method="POST",status="200"}') == count
    assert metric(server.url, 'flask_http_request_duration_seconds_count{endpoint="quotes.Quotes",'
                              'method="POST",status="200"}') == count
    # Files: the folded ones plus those of the live workers (a worker may be starting), not one
    # set per worker that ever ran.
    files = list(Path(server.metrics_dir).glob("*.db"))
    pids = {path.stem.split("_")[-1] for path in files}
    assert len(pids - {FOLDED}) <= 3, sorted(path.name for path in files)
