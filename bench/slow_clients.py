"""Why nginx fronts gunicorn: normal requests beside slowloris clients, on gunicorn alone and on
the production stack (nginx in front, service/frontdoor.py), in one run.

    .venv/bin/python bench/slow_clients.py [--slow 10] [--requests 40] [--timeout 20]

Each stack: 2 workers; `--requests` single-paragraph articles at concurrency 2 alone, then beside
`--slow` connections trickling headers or bodies a byte a second. Prints answered requests,
failures (a client timeout counts as one) and p50 / p99 for both.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from gunicorn_server import GunicornServer  # noqa: E402
from soak import real_payloads  # noqa: E402
from soak_phases import Slowloris, percentile, timed_requests  # noqa: E402


def measure(frontdoor: bool, normal, slow: int, timeout: float) -> str:
    with GunicornServer(workers=2, frontdoor=frontdoor) as server:
        alone, alone_failed = timed_requests(server.url, normal, 2, timeout)
        with Slowloris(server.url, slow):
            beside, beside_failed = timed_requests(server.url, normal, 2, timeout)
    name = "nginx + gunicorn" if frontdoor else "gunicorn alone"
    return (f"{name:17} alone:  {len(normal) - len(alone_failed)}/{len(normal)} answered, "
            f"p50 {percentile(alone, 0.5) * 1000:.0f} ms, p99 {percentile(alone, 0.99) * 1000:.0f} ms\n"
            f"{'':17} beside {slow} slow clients: {len(normal) - len(beside_failed)}/{len(normal)} answered, "
            f"p50 {percentile(beside, 0.5) * 1000:.0f} ms, p99 {percentile(beside, 0.99) * 1000:.0f} ms"
            + (f"; failures: {beside_failed[0]} ..." if beside_failed else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()
    normal = random.Random(3).choices(real_payloads(short=True), k=args.requests)
    for frontdoor in (False, True):
        print(measure(frontdoor, normal, args.slow, args.timeout), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
