"""The soak's extra phases (bench/soak.py runs them after the main mix), each against the real
service (nginx in front of gunicorn) and each with its own floors:

- slow clients: normal requests' latency alone, then beside 50 slowloris connections that
  trickle headers or bodies a byte a second; p99 must stay within 2x, with no errors.
- random-word articles: every word new to spaCy's string store, which keeps them all; worker
  memory must grow less than 25% (workers are recycled past GUNICORN_MAX_WORKER_GROWTH_MB).
- made-up methods and paths: /metrics must not grow with them (bounded labels).
"""
from __future__ import annotations

import random
import socket
import string
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import psutil
import requests

from payloads import OK, Payload, article_body, response_problems, seed_texts

P99_RATIO_LIMIT = 2.0
MEMORY_GROWTH_LIMIT = 0.25
METRICS_GROWTH_LIMIT_BYTES = 10_000
ENGLISH_LEAD = seed_texts()[0][:2500]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


@dataclass
class PhaseReport:
    name: str
    lines: list[str]
    floors: dict[str, bool] = field(default_factory=dict)

    def format(self) -> str:
        return "\n".join([f"phase: {self.name}"] + [f"  {line}" for line in self.lines] +
                         [f"  [{'ok' if passed else 'MISSED'}] {name}" for name, passed in self.floors.items()])


# ---- normal traffic, measured -------------------------------------------------------------------

def timed_requests(base_url: str, payloads: list[Payload], concurrency: int,
                   timeout: float = 60) -> tuple[list[float], list[str]]:
    """Latencies of `payloads` sent at `concurrency`, and a description of every bad answer."""
    def one(payload: Payload) -> tuple[float, list[str]]:
        started = time.monotonic()
        try:
            response = requests.post(base_url + payload.path, data=payload.body,
                                     headers=payload.request_headers(), timeout=timeout)
        except requests.RequestException as exc:
            return time.monotonic() - started, [f"{payload.name}: {type(exc).__name__}"]
        seconds = time.monotonic() - started
        return seconds, [f"{payload.name}: {p}" for p in response_problems(payload, response.status_code,
                                                                            response.content)]

    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, payloads))
    return [seconds for seconds, _ in results], [p for _, problems in results for p in problems]


# ---- slow clients -------------------------------------------------------------------------------

class Slowloris:
    """`count` connections, half trickling their headers and half their body, one byte a second
    each, from one thread (the load generator's own threads must not compete with the normal
    requests it times); a connection the server closes is opened again, so `count` stay open."""

    def __init__(self, base_url: str, count: int):
        parts = urlsplit(base_url)
        self.address = (parts.hostname, parts.port)
        self.count = count
        self.stop = threading.Event()
        self.reconnects = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Slowloris":
        self.thread.start()
        time.sleep(2)  # let them all connect and start dribbling
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=10)

    @staticmethod
    def _request(trickle_headers: bool) -> tuple[bytes, bytes]:
        """(what is sent at once, what is then sent a byte at a time)."""
        body = article_body('"Slow," he said.')
        head = b"POST /v1/quotes HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\n"
        if trickle_headers:
            return b"POST /v1/quotes HTTP/1.1\r\n", head[26:] + b"X-Pad: " + b"a" * 10_000
        return head + b"Content-Length: %d\r\n\r\n" % len(body), body

    def _open(self, trickle_headers: bool) -> list | None:
        opening, dribble = self._request(trickle_headers)
        try:
            sock = socket.create_connection(self.address, timeout=5)
            sock.sendall(opening)
        except OSError:
            return None
        return [sock, dribble, 0]

    def _run(self) -> None:
        kinds = [i % 2 == 0 for i in range(self.count)]
        connections = [self._open(kind) for kind in kinds]
        while not self.stop.wait(1.0):
            for i, connection in enumerate(connections):
                try:
                    sock, dribble, sent = connection
                    sock.sendall(dribble[sent:sent + 1])
                    connection[2] += 1
                    if connection[2] < len(dribble):
                        continue
                except (OSError, TypeError):  # closed by the server (its client timeout), or never opened
                    self.reconnects += 1
                if connection:
                    connection[0].close()
                connections[i] = self._open(kinds[i])
        for connection in connections:
            if connection:
                connection[0].close()


def slow_client_phase(base_url: str, normal: list[Payload], slow_connections: int = 50,
                      concurrency: int = 2, rounds: int = 3) -> PhaseReport:
    """Alone and beside slow clients in alternation (`rounds` of each), so that a change in the
    machine's other load falls on both measurements alike."""
    per_round = max(1, len(normal) // rounds)
    baseline, during, problems, reconnects = [], [], [], 0
    for start in range(0, per_round * rounds, per_round):
        block = normal[start:start + per_round]
        latencies, bad = timed_requests(base_url, block, concurrency)
        baseline += latencies
        problems += bad
        with Slowloris(base_url, slow_connections) as slowloris:
            latencies, bad = timed_requests(base_url, block, concurrency)
            reconnects += slowloris.reconnects
        during += latencies
        problems += bad
    before, after = percentile(baseline, 0.99), percentile(during, 0.99)
    ratio = after / before if before else float("inf")
    return PhaseReport("slow clients", [
        f"{len(baseline)} normal requests at concurrency {concurrency}, alone and beside "
        f"{slow_connections} slowloris connections (half headers, half bodies, 1 byte/s; "
        f"{reconnects} cut off by the server and reopened), in {rounds} alternating rounds",
        f"alone:  p50 {percentile(baseline, 0.5) * 1000:.0f} ms, p99 {before * 1000:.0f} ms",
        f"beside: p50 {percentile(during, 0.5) * 1000:.0f} ms, p99 {after * 1000:.0f} ms "
        f"(p99 ratio {ratio:.2f})",
        f"bad answers: {len(problems)} " + "; ".join(problems[:3]),
    ], {f"normal p99 beside slow clients within {P99_RATIO_LIMIT:g}x of alone": ratio <= P99_RATIO_LIMIT,
        "no errors or wrong answers in either run": not problems})


# ---- random words -------------------------------------------------------------------------------

def random_words(rng: random.Random, chars: int) -> str:
    """A real English paragraph (the engine's language check reads the first 2,000 characters),
    then `chars` characters of words spaCy has never seen."""
    words, length = [], 0
    while length < chars:
        word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 11)))
        words.append(word)
        length += len(word) + 1
    return ENGLISH_LEAD + ' "' + " ".join(words[:12]) + '," she said. ' + " ".join(words[12:])


def workers_rss_mb(master_pid: int) -> list[float]:
    return [p.memory_info().rss / 2**20 for p in psutil.Process(master_pid).children()]


def random_word_phase(base_url: str, master_pid: int, articles: int = 50, chars: int = 57_000,
                      concurrency: int = 2, seed: int = 7) -> PhaseReport:
    rng = random.Random(seed)
    payloads = [Payload(f"random-words-{i}", article_body(random_words(rng, chars), f"rw{i}"), OK)
                for i in range(articles)]
    before = workers_rss_mb(master_pid)
    pids_before = {p.pid for p in psutil.Process(master_pid).children()}
    latencies, problems = timed_requests(base_url, payloads, concurrency)
    time.sleep(1)  # a recycled worker's replacement is forked
    after = workers_rss_mb(master_pid)
    pids_after = {p.pid for p in psutil.Process(master_pid).children()}
    growth = (sum(after) / len(after)) / (sum(before) / len(before)) - 1 if before and after else 0.0
    return PhaseReport("random-word articles", [
        f"{articles} articles of {chars:,} characters of random words at concurrency {concurrency}; "
        f"p50 {percentile(latencies, 0.5):.2f} s, max {max(latencies):.2f} s",
        "worker RSS MB before: " + ", ".join(f"{mb:.0f}" for mb in before) +
        "; after: " + ", ".join(f"{mb:.0f}" for mb in after) + f" (mean {growth:+.1%})",
        f"workers replaced during the phase: {len(pids_before - pids_after)}",
        f"bad answers: {len(problems)} " + "; ".join(problems[:3]),
    ], {f"worker RSS grows less than {MEMORY_GROWTH_LIMIT:.0%}": growth < MEMORY_GROWTH_LIMIT,
        "every article answered 200 with valid offsets": not problems})


# ---- made-up methods ----------------------------------------------------------------------------

def made_up_methods_phase(base_url: str, count: int = 2000, concurrency: int = 8, seed: int = 8) -> PhaseReport:
    rng = random.Random(seed)

    def scrape() -> tuple[int, float]:
        started = time.monotonic()
        size = len(requests.get(base_url + "/metrics", timeout=60).content)
        return size, time.monotonic() - started

    def one(i: int) -> int | None:
        method = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(3, 12)))
        path = rng.choice(["/v1/quotes", "/health/ready", f"/made/up/{i}", "/"])
        try:
            return requests.request(method, base_url + path, timeout=30).status_code
        except requests.RequestException:
            return None

    size_before, seconds_before = scrape()
    with ThreadPoolExecutor(concurrency) as pool:
        statuses = list(pool.map(one, range(count)))
    size_after, seconds_after = scrape()
    server_errors = [s for s in statuses if s is None or s >= 500]
    return PhaseReport("made-up methods", [
        f"{count} requests with random methods on known and unknown paths: statuses "
        + ", ".join(f"{s}: {statuses.count(s)}" for s in sorted(set(statuses), key=str)),
        f"/metrics: {size_before:,} bytes ({seconds_before * 1000:.0f} ms) before, "
        f"{size_after:,} bytes ({seconds_after * 1000:.0f} ms) after",
    ], {f"/metrics grows less than {METRICS_GROWTH_LIMIT_BYTES:,} bytes": size_after - size_before < METRICS_GROWTH_LIMIT_BYTES,
        "no 5xx and no request without an answer": not server_errors})
