"""Why nginx fronts gunicorn: normal requests beside slowloris clients, on gunicorn alone and on
the production stack (nginx in front, service/frontdoor.py), in one run.

    .venv/bin/python bench/slow_clients.py [--slow 10] [--requests 40] [--timeout 20] [--stalled 10]
                                           [--trickled 10]

Each stack: 2 workers; `--requests` single-paragraph articles at concurrency 2 alone, then beside
`--slow` connections trickling headers or bodies a byte a second. Prints answered requests,
failures (a client timeout counts as one) and p50 / p99 for both. Then the same requests beside
`--stalled` clients that send 10 of 1,000 announced body bytes and stop: how many got the JSON
408, and when (nginx answers them without a worker; gunicorn alone answers each at
GUNICORN_CLIENT_TIMEOUT, holding a worker until then). Then beside `--trickled` clients that
go on sending one more byte a second for 40 s, never pausing for the client timeout, then stop
(gunicorn alone answers each at GUNICORN_REQUEST_READ_TIMEOUT, 20 s; nginx has no total limit,
so it answers at the pause after the trickle, but holds no worker meanwhile).
"""
from __future__ import annotations

import argparse
import random
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from gunicorn_server import GunicornServer  # noqa: E402
from soak import real_payloads  # noqa: E402
from soak_phases import Slowloris, percentile, timed_requests  # noqa: E402
from rawhttp import send_raw  # noqa: E402

STALLED_READ_SECONDS = 60  # longer than any client timeout the front door is given
ANNOUNCED, SENT_AT_ONCE = 1000, 10
TRICKLE_PAUSE_S, TRICKLE_BYTES = 1.0, 40   # a byte a second for 40 s: past the read timeout (20 s)


def slow_body(url: str, trickle: bool) -> tuple[bool, float | None]:
    """A POST that announces 1,000 bytes and sends 10, then stops, or first trickles 40 more
    a byte a second: (answered with the JSON 408, when)."""
    head = (b"POST /v1/quotes HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % ANNOUNCED)
    rest = [(TRICKLE_PAUSE_S, b"a")] * TRICKLE_BYTES if trickle else []
    response = send_raw(url, head + b'{"text": "', STALLED_READ_SECONDS, rest)
    json_408 = response.status == 408 and response.headers.get("content-type") == "application/json"
    return json_408, response.first_byte_seconds


def beside_slow_bodies(url: str, normal, count: int, timeout: float, trickle: bool) -> str:
    with ThreadPoolExecutor(count) as pool:
        answers = [pool.submit(slow_body, url, trickle) for _ in range(count)]
        latencies, failed = timed_requests(url, normal, 2, timeout)
        results = [answer.result() for answer in answers]
    seconds = [when for json_408, when in results if json_408]
    what = "trickled" if trickle else "stalled"
    return (f"{'':17} beside {count} {what} bodies: {len(normal) - len(failed)}/{len(normal)} answered, "
            f"p50 {percentile(latencies, 0.5) * 1000:.0f} ms, p99 {percentile(latencies, 0.99) * 1000:.0f} ms; "
            f"{what}: {len(seconds)}/{count} got a JSON 408"
            + (f" after {min(seconds):.1f}-{max(seconds):.1f} s" if seconds else ""))


def measure(frontdoor: bool, normal, slow: int, timeout: float, stalled: int, trickled: int) -> str:
    with GunicornServer(workers=2, frontdoor=frontdoor) as server:
        alone, alone_failed = timed_requests(server.url, normal, 2, timeout)
        with Slowloris(server.url, slow):
            beside, beside_failed = timed_requests(server.url, normal, 2, timeout)
        lines = [beside_slow_bodies(server.url, normal, count, timeout, trickle)
                 for count, trickle in ((stalled, False), (trickled, True)) if count]
    name = "nginx + gunicorn" if frontdoor else "gunicorn alone"
    return (f"{name:17} alone:  {len(normal) - len(alone_failed)}/{len(normal)} answered, "
            f"p50 {percentile(alone, 0.5) * 1000:.0f} ms, p99 {percentile(alone, 0.99) * 1000:.0f} ms\n"
            f"{'':17} beside {slow} slow clients: {len(normal) - len(beside_failed)}/{len(normal)} answered, "
            f"p50 {percentile(beside, 0.5) * 1000:.0f} ms, p99 {percentile(beside, 0.99) * 1000:.0f} ms"
            + (f"; failures: {beside_failed[0]} ..." if beside_failed else "")
            + "".join(f"\n{line}" for line in lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--stalled", type=int, default=10)
    parser.add_argument("--trickled", type=int, default=10)
    args = parser.parse_args()
    normal = random.Random(3).choices(real_payloads(short=True), k=args.requests)
    for frontdoor in (False, True):
        print(measure(frontdoor, normal, args.slow, args.timeout, args.stalled, args.trickled), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
