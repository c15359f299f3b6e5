"""Soak: the real service (nginx in front of gunicorn) under mixed real and hostile load, with one
worker SIGKILLed halfway.

    .venv/bin/python bench/soak.py                      # 3000 requests at concurrency 16, 2 workers
    .venv/bin/python bench/soak.py --requests 300 --concurrency 8 --short

About 70% real articles (seed articles + GUM Wikinews texts), 30% hostile requests from
tests/payloads.py. Loopback only, bounded by --max-seconds, stops by itself. Prints responses by
status, requests with no response, requests slower than 30 s, wrong offsets (any problem with a
response, see tests/payloads.py), and memory of the master and workers before (after a warm-up)
and after the run, then checks the floors and exits non-zero if one is missed:

- no 5xx, except the article time limit's 504 on inputs built to be slow (`heavy`)
- no wrong offsets or malformed answers
- no request without a response beyond the one in flight on the killed worker (sync workers
  handle one request at a time)
- nothing slower than 30 s
- memory (PSS summed over master and workers: shared pages counted once) grows less than 25%
  from the baseline taken after a warm-up that sends every distinct request once

tests/test_soak.py runs the same code (`run_soak`) with small numbers.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import tempfile
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from payloads import (OK, TIME_LIMIT_STATUS, Payload, article_body, hostile_payloads,  # noqa: E402
                      paragraphs, real_articles, response_problems)

SLOW_SECONDS = 30.0
MEMORY_GROWTH_LIMIT = 0.25
CLIENT_TIMEOUT_SECONDS = 120  # past gunicorn's own 60 s worker timeout: a hang shows as no response
LOST_PER_KILLED_WORKER = 1    # sync workers: one request in flight per worker
LOST_STATUS = 502             # nginx's answer for the request in flight on a worker that died


# ---- the request mix ------------------------------------------------------------------------

def real_payloads(short: bool) -> list[Payload]:
    """Real articles as /v1/quotes requests; `short` uses single paragraphs (quick runs)."""
    texts = real_articles()
    texts = paragraphs(texts) if short else texts
    return [Payload(f"real-{i}", article_body(text, f"real-{i}"), OK) for i, text in enumerate(texts)]


def build_mix(count: int, hostile_share: float, rng: random.Random, short: bool = False,
              include_heavy: bool = True) -> list[Payload]:
    """`count` requests, about `hostile_share` of them hostile, in random order."""
    real = real_payloads(short)
    hostile = hostile_payloads(include_heavy=include_heavy)
    return [rng.choice(hostile) if rng.random() < hostile_share else rng.choice(real)
            for _ in range(count)]


# ---- sending --------------------------------------------------------------------------------

@dataclass
class Outcome:
    payload: Payload
    status: int | None          # None: no response (connection reset, timeout)
    seconds: float
    problems: list[str] = field(default_factory=list)
    error: str | None = None


_local = threading.local()


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def send(base_url: str, payload: Payload) -> Outcome:
    started = time.monotonic()
    try:
        response = _session().request(payload.method, base_url + payload.path, data=payload.body,
                                      headers=payload.request_headers(), timeout=CLIENT_TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        return Outcome(payload, None, time.monotonic() - started, error=type(exc).__name__)
    seconds = time.monotonic() - started
    return Outcome(payload, response.status_code, seconds,
                   response_problems(payload, response.status_code, response.content))


# ---- processes and memory -------------------------------------------------------------------

def workers_of(master_pid: int) -> list[psutil.Process]:
    return psutil.Process(master_pid).children()


def memory_snapshot(master_pid: int) -> dict[str, dict[str, float]]:
    """RSS, USS and PSS in MB of the master and each worker."""
    snapshot = {}
    master = psutil.Process(master_pid)
    for role, process in [("master", master)] + [(f"worker {p.pid}", p) for p in master.children()]:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        snapshot[role] = {"rss": info.rss / 2**20, "uss": info.uss / 2**20, "pss": info.pss / 2**20}
    return snapshot


def total(snapshot: dict, kind: str) -> float:
    return sum(entry[kind] for entry in snapshot.values())


def kill_one_worker(master_pid: int) -> int | None:
    """SIGKILL one worker (the one that has used the most CPU: it is surely busy)."""
    workers = workers_of(master_pid)
    if not workers:
        return None
    victim = max(workers, key=lambda p: sum(p.cpu_times()[:2]))
    os.kill(victim.pid, signal.SIGKILL)
    return victim.pid


# ---- the run --------------------------------------------------------------------------------

@dataclass
class SoakReport:
    outcomes: list[Outcome]
    not_sent: int
    seconds: float
    killed_pid: int | None
    memory_before: dict
    memory_after: dict
    workers_before: set[int]
    workers_after: set[int]
    memory_trace: list[tuple[int, float, int]] = field(default_factory=list)  # (answered, PSS MB, pids)
    workers_seen: set[int] = field(default_factory=set)

    def statuses(self) -> Counter:
        return Counter(o.status for o in self.outcomes if o.status is not None)

    def no_response(self) -> list[Outcome]:
        """Requests lost: no answer at all, or nginx's 502 for a worker that died under them."""
        return [o for o in self.outcomes if o.status in (None, LOST_STATUS)]

    def slow(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.seconds > SLOW_SECONDS]

    def server_errors(self) -> list[Outcome]:
        """5xx answers other than the time limit's 504 on inputs built to be slow (and the 502s
        of lost requests, counted with no_response)."""
        return [o for o in self.outcomes if o.status is not None and o.status >= 500
                and o.status != LOST_STATUS and not (o.status == TIME_LIMIT_STATUS and o.payload.heavy)]

    def wrong_answers(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problems and o.status != LOST_STATUS]

    def memory_growth(self, kind: str = "pss") -> float:
        before = total(self.memory_before, kind)
        return (total(self.memory_after, kind) - before) / before if before else 0.0

    def floors(self) -> dict[str, bool]:
        allowed_lost = LOST_PER_KILLED_WORKER if self.killed_pid else 0
        return {
            "no 5xx (bar the time limit's 504 on slow-by-design inputs)": not self.server_errors(),
            "no wrong offsets or malformed answers": not self.wrong_answers(),
            f"no response for at most {allowed_lost} request(s) (in flight on the killed worker)":
                len(self.no_response()) <= allowed_lost,
            f"nothing slower than {SLOW_SECONDS:g} s": not self.slow(),
            f"memory (PSS of master + workers) grows less than {MEMORY_GROWTH_LIMIT:.0%}":
                self.memory_growth("pss") < MEMORY_GROWTH_LIMIT,
            "every request was sent before the deadline": self.not_sent == 0,
        }


def warm_up(base_url: str, workers: int, payloads: list[Payload]) -> None:
    """Every distinct request of the run once, so that 'before' memory is that of a service that
    has met each kind of input (model pages touched, lexicons loaded), not of an idle one."""
    distinct = list({p.name: p for p in payloads}.values())
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda p: send(base_url, p), distinct))


def run_soak(base_url: str, master_pid: int, payloads: list[Payload], concurrency: int,
             kill_at: float | None = 0.5, max_seconds: float = 1800,
             progress: bool = False) -> SoakReport:
    """Send `payloads` at `concurrency`; after `kill_at` of them are answered, SIGKILL one worker."""
    warm_up(base_url, len(workers_of(master_pid)), payloads)
    workers_before = {p.pid for p in workers_of(master_pid)}
    memory_before = memory_snapshot(master_pid)
    memory_trace = [(0, total(memory_before, "pss"), len(workers_before))]
    workers_seen = set(workers_before)
    deadline = time.monotonic() + max_seconds
    kill_after = int(len(payloads) * kill_at) if kill_at is not None else None
    killed_pid = None
    outcomes: list[Outcome] = []
    not_sent = 0

    def bounded_send(payload: Payload) -> Outcome | None:
        if time.monotonic() > deadline:
            return None  # the soak is bounded in time: whatever is left is counted, not sent
        return send(base_url, payload)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(bounded_send, payload) for payload in payloads]
        for done, future in enumerate(as_completed(futures), start=1):
            outcome = future.result()
            if outcome is None:
                not_sent += 1
            else:
                outcomes.append(outcome)
            if kill_after is not None and done == kill_after:
                killed_pid = kill_one_worker(master_pid)
                if progress:
                    print(f"  {done} answered: SIGKILL worker {killed_pid}", flush=True)
            elif done % max(1, len(payloads) // 10) == 0:
                sample = memory_snapshot(master_pid)
                workers_seen |= {p.pid for p in workers_of(master_pid)}
                memory_trace.append((done, total(sample, "pss"), len(sample) - 1))
                if progress:
                    print(f"  {done}/{len(payloads)} answered, {time.monotonic() - started:.0f} s, "
                          f"PSS {total(sample, 'pss'):.0f} MB", flush=True)
    seconds = time.monotonic() - started
    _wait_for_workers(master_pid, len(workers_before))
    workers_after = {p.pid for p in workers_of(master_pid)}
    return SoakReport(outcomes, not_sent, seconds, killed_pid, memory_before,
                      memory_snapshot(master_pid), workers_before, workers_after, memory_trace,
                      workers_seen | workers_after)


def _wait_for_workers(master_pid: int, count: int, seconds: float = 30) -> None:
    """After a kill the master forks a replacement; measure memory once it is there."""
    deadline = time.monotonic() + seconds
    while len(workers_of(master_pid)) < count and time.monotonic() < deadline:
        time.sleep(0.2)


# ---- printing -------------------------------------------------------------------------------

def format_memory(before: dict, after: dict) -> list[str]:
    lines = [f"  {'process':<16}{'RSS MB':>9}{'USS MB':>9}{'PSS MB':>9}"]
    for label, snapshot in (("before", before), ("after", after)):
        lines.append(f"  {label}:")
        for role, entry in snapshot.items():
            lines.append(f"  {role:<16}{entry['rss']:>9.1f}{entry['uss']:>9.1f}{entry['pss']:>9.1f}")
        lines.append(f"  {'total':<16}{total(snapshot, 'rss'):>9.1f}{total(snapshot, 'uss'):>9.1f}"
                     f"{total(snapshot, 'pss'):>9.1f}")
    return lines


def format_report(report: SoakReport) -> str:
    outcomes = report.outcomes
    hostile = sum(1 for o in outcomes if not o.payload.name.startswith("real-"))
    lines = [f"requests answered or failed: {len(outcomes)} ({hostile} hostile) in {report.seconds:.1f} s "
             f"({len(outcomes) / report.seconds:.1f} req/s); not sent (deadline): {report.not_sent}",
             "responses by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(report.statuses().items()))]
    timeouts = Counter(o.payload.name for o in outcomes if o.status == TIME_LIMIT_STATUS)
    if timeouts:
        lines.append("  504 (article time limit) by input: " + ", ".join(f"{k}: {v}" for k, v in timeouts.items()))
    lost = report.no_response()
    lines.append(f"no response: {len(lost)}" + (" (" + ", ".join(
        f"{o.payload.name}: {o.error or o.status} after {o.seconds:.1f} s" for o in lost[:5]) + ")" if lost else ""))
    latencies = sorted(o.seconds for o in outcomes)
    if latencies:
        lines.append(f"latency s: p50 {latencies[len(latencies) // 2]:.2f}, "
                     f"p99 {latencies[int(len(latencies) * 0.99)]:.2f}, max {latencies[-1]:.2f}")
    lines.append(f"slower than {SLOW_SECONDS:g} s: {len(report.slow())}")
    wrong = report.wrong_answers()
    lines.append(f"wrong offsets / malformed answers: {len(wrong)}")
    distinct = Counter((o.payload.name, o.problems[0]) for o in wrong)
    lines += [f"  {n}x {name}: {problem}" for (name, problem), n in distinct.most_common(10)]
    errors = report.server_errors()
    lines.append(f"5xx other than time limits: {len(errors)}")
    lines.append(f"killed worker: {report.killed_pid}; workers before {sorted(report.workers_before)}, "
                 f"after {sorted(report.workers_after)}; worker processes seen: {len(report.workers_seen)} "
                 "(replacements after the kill and gunicorn's max_requests recycling)")
    lines.append("memory (before = after a warm-up sending each distinct request once):")
    lines += format_memory(report.memory_before, report.memory_after)
    lines.append(f"  growth: PSS {report.memory_growth('pss'):+.1%}, USS {report.memory_growth('uss'):+.1%}, "
                 f"RSS {report.memory_growth('rss'):+.1%}")
    lines.append("  total PSS MB during the run (answered: MB): " + ", ".join(
        f"{done}: {mb:.0f}" for done, mb, _ in report.memory_trace))
    lines.append("floors:")
    lines += [f"  [{'ok' if passed else 'MISSED'}] {name}" for name, passed in report.floors().items()]
    return "\n".join(lines)


def server_log_problems(log_path: str) -> Counter:
    """Tracebacks and worker timeouts in the server log, counted by message."""
    found = Counter()
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if "Traceback" in line or "WORKER TIMEOUT" in line:
                message = line.split('"message": "', 1)[-1].split('"', 1)[0]
                found[re.sub(r"\d+", "N", message)[:120]] += 1
    return found


def snapshot_head(directory: str) -> tuple[dict, str]:
    """The committed service (git HEAD) unpacked in `directory`, and the environment that makes
    gunicorn serve it: the shared working tree changes under other people's hands mid-run."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    archive = subprocess.run(["git", "archive", "HEAD", "service", "gunicorn.conf.py", "nginx.conf"], cwd=ROOT,
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", directory], input=archive, check=True)
    env = {"PYTHONPATH": directory, "GUNICORN_CMD_ARGS": f"--chdir {directory}"}
    return env, commit


def run_phases(base_url: str, master_pid: int, phases: set[str], rng: random.Random,
               workers: int) -> list:
    """The extra phases (bench/soak_phases.py) that were asked for, in order, printing as they end."""
    import soak_phases
    done = []
    if "slow" in phases:
        # 3 rounds of ~5 s of normal traffic alone and beside slow clients; together longer than
        # nginx's client timeout, so slow clients are cut off and reconnect while measured.
        normal = rng.choices(real_payloads(short=True), k=600)
        done.append(soak_phases.slow_client_phase(base_url, normal, concurrency=workers))
    if "random" in phases:
        done.append(soak_phases.random_word_phase(base_url, master_pid, concurrency=workers))
    if "methods" in phases:
        done.append(soak_phases.made_up_methods_phase(base_url))
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hostile-share", type=float, default=0.3)
    parser.add_argument("--short", action="store_true", help="single paragraphs instead of whole articles")
    parser.add_argument("--no-heavy", action="store_true", help="leave out inputs built to be slow")
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--max-seconds", type=float, default=1800)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--working-tree", action="store_true",
                        help="serve the working tree as it is instead of a snapshot of git HEAD")
    parser.add_argument("--server-log", default="/tmp/quotewire-soak-server.log",
                        help="where to keep gunicorn's log after the run")
    parser.add_argument("--phases", default="main,slow,random,methods",
                        help="comma-separated: main (the mix above), slow (slowloris beside normal "
                             "traffic), random (random-word articles), methods (made-up methods)")
    args = parser.parse_args(argv)
    phases = set(args.phases.split(","))

    from gunicorn_server import GunicornServer  # bench/gunicorn_server.py
    payloads = build_mix(args.requests, args.hostile_share, random.Random(args.seed), args.short,
                         include_heavy=not args.no_heavy)
    print(f"soak: {args.requests} requests, concurrency {args.concurrency}, {args.workers} workers, "
          f"{args.hostile_share:.0%} hostile, {len(real_articles())} real articles"
          f"{' (as paragraphs)' if args.short else ''}", flush=True)
    snapshot = tempfile.mkdtemp(prefix="quotewire-soak-code-")
    env, code = ({}, "working tree") if args.working_tree else snapshot_head(snapshot)
    print(f"serving: {code}", flush=True)
    with GunicornServer(workers=args.workers, env=env) as server:
        report = run_soak(server.url, server.master.pid, payloads, args.concurrency,
                          kill_at=None if args.no_kill else 0.5, max_seconds=args.max_seconds,
                          progress=True) if "main" in phases else None
        extra = run_phases(server.url, server.master.pid, phases, random.Random(args.seed), args.workers)
        ready = requests.get(server.url + "/health/ready", timeout=30).status_code
        server.log.flush()
        shutil.copyfile(server.log.name, args.server_log)
    shutil.rmtree(snapshot, ignore_errors=True)
    log_problems = server_log_problems(args.server_log)
    if report:
        print(format_report(report))
    for phase in extra:
        print(phase.format())
    print(f"server log ({args.server_log}): {sum(log_problems.values())} Traceback/WORKER TIMEOUT lines" +
          "".join(f"\n  {n}x {message}" for message, n in log_problems.most_common(5)))
    print(f"/health/ready after the soak: {ready}")
    floors = (list(report.floors().values()) if report else []) + [ok for p in extra for ok in p.floors.values()]
    return 0 if all(floors) and ready == 200 and not log_problems else 1


if __name__ == "__main__":
    sys.exit(main())
