"""Latency and throughput of the API on real gunicorn (loopback), next to the engine's own time.

    .venv/bin/python bench/latency.py [--c1 40] [--c8 64] [--rounds 4] [--seed 000]

Two servers, 1 worker and 2 workers, run side by side; a seed article is POSTed to /v1/quotes at
concurrency 1 and 8, printing p50/p95/p99 latency and requests/s. The concurrency-8 load comes
from wrk (Debian package `wrk`; `make bench` installs it) when it is installed, so that the load
generator takes almost no CPU from the two cores the workers share; without it, from Python
threads in this process, which take a visible share and lower the 2-worker figure. Measurements alternate between
the servers (and, at concurrency 1, an in-process run of the engine on the same article), so on a
machine shared with other jobs all of them see the same load. The worker's own engine time
(meta.elapsed_ms) is read from each response. Then USS/PSS of the master and each worker (psutil).

Floors (from issue 3): HTTP adds at most 15% at concurrency 1; with 2 workers throughput at
concurrency 8 is at least 1.7x that of 1 worker; each extra worker adds at most 60 MB unshared.
"""
from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.gunicorn_server import GunicornServer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED_DIRS = (ROOT / "tests" / "data" / "seeds", ROOT.parent / "shared" / "seeds")
MB = 1024 * 1024
USE_WRK = shutil.which("wrk") is not None


def seed_text(prefix: str) -> str:
    for folder in SEED_DIRS:
        for path in sorted(folder.glob(f"{prefix}_*.txt")):
            return path.read_text(encoding="utf-8")
    raise SystemExit(f"no seed article {prefix}_*.txt in {', '.join(map(str, SEED_DIRS))}")


def post(url: str, body: bytes) -> tuple[float, float]:
    """(client latency ms, the worker's engine ms) for one POST /v1/quotes."""
    parts = urlsplit(url)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    connection.request("POST", "/v1/quotes", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    payload = response.read()
    latency = (time.perf_counter() - started) * 1000
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {payload[:200]!r}")
    return latency, json.loads(payload)["meta"]["elapsed_ms"]


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p95": cuts[94], "p99": cuts[98]}


def fmt(stats: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:7.1f}" for k, v in stats.items())


def run_c1(servers: dict, body: bytes, text: str, nlp, count: int) -> dict:
    """Concurrency 1, interleaved: engine in-process, then one request to each server, repeated,
    so all three see the same load from whatever else runs on the machine."""
    from service.nlp import extract
    engine_ms = []
    samples = {name: {"http": [], "worker": []} for name in servers}
    for _ in range(count):
        started = time.perf_counter()
        next(extract(nlp, [text]))
        engine_ms.append((time.perf_counter() - started) * 1000)
        for name, server in servers.items():
            latency, worker = post(server.url, body)
            samples[name]["http"].append(latency)
            samples[name]["worker"].append(worker)
    for sample in samples.values():
        sample["engine"] = engine_ms
        sample["rps"] = 1000 * count / sum(sample["http"])
    return samples


def cpu_seconds(processes) -> float:
    return sum(sum(p.cpu_times()[:2]) for p in processes)


# wrk posts the article over 8 connections and prints its own summary as one JSON line.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open(os.getenv("BODY_FILE"), "rb"):read()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "non_2xx": %d, '
    .. '"p50": %f, "p95": %f, "p99": %f}\\n', summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk_round(url: str, body_file: str, script: str, seconds: float) -> dict:
    """One wrk run at concurrency 8: requests, seconds and latency percentiles (ms)."""
    output = subprocess.run(
        ["wrk", "--threads", "1", "--connections", "8", "--duration", f"{seconds:g}s",
         "--timeout", "60s", "--script", script, f"{url}/v1/quotes"],
        env={"BODY_FILE": body_file, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True)
    summary = json.loads(output.stdout.strip().splitlines()[-1])
    if summary["errors"] or summary["non_2xx"]:
        raise RuntimeError(f"wrk saw failures: {summary}")
    return summary


def threads_round(url: str, body: bytes, count: int) -> dict:
    """The same round from 8 Python threads, where wrk is not installed."""
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        latencies = [r[0] for r in pool.map(lambda _: post(url, body), range(count))]
    return {"requests": count, "seconds": time.perf_counter() - started, **percentiles(latencies)}


def run_c8(servers: dict, body: bytes, count: int, rounds: int, seconds: float) -> dict:
    """Concurrency 8, alternating short rounds between the servers (same reason as above). Also
    the CPU the workers got (cores busy on average): whether a limit is the service or the machine."""
    totals = {name: {"rounds": [], "wall": 0.0, "cpu": 0.0, "done": 0} for name in servers}
    with tempfile.TemporaryDirectory() as folder:
        body_file, script = f"{folder}/body.json", f"{folder}/post.lua"
        Path(body_file).write_bytes(body)
        Path(script).write_text(WRK_SCRIPT)
        for _ in range(rounds):
            for name, server in servers.items():
                workers = server.workers()
                cpu_before = cpu_seconds(workers)
                if USE_WRK:
                    result = wrk_round(server.url, body_file, script, seconds)
                else:
                    result = threads_round(server.url, body, max(8, count // rounds))
                totals[name]["cpu"] += cpu_seconds(workers) - cpu_before
                totals[name]["wall"] += result["seconds"]
                totals[name]["done"] += result["requests"]
                totals[name]["rounds"].append(result)
    for total in totals.values():
        total.update(rps=total["done"] / total["wall"], cores=total["cpu"] / total["wall"],
                     cpu_ms_per_request=1000 * total["cpu"] / total["done"],
                     latency={p: statistics.median(r[p] for r in total["rounds"]) for p in ("p50", "p95", "p99")})
    return totals


def _busy_loop(seconds: float, results) -> None:
    started, cpu = time.monotonic(), time.process_time()
    while time.monotonic() - started < seconds:
        pass
    results.put(time.process_time() - cpu)


def cores_available(processes: int, seconds: float = 3.0) -> float:
    """How many cores `processes` busy loops get right now: on a shared machine, the ceiling
    for what 1 or 2 workers can get, printed next to the throughput ratio."""
    import multiprocessing
    results = multiprocessing.Queue()
    loops = [multiprocessing.Process(target=_busy_loop, args=(seconds, results)) for _ in range(processes)]
    for loop in loops:
        loop.start()
    for loop in loops:
        loop.join()
    return sum(results.get() for _ in loops) / seconds


def memory(server: GunicornServer) -> list[dict]:
    rows = []
    for role, process in [("master", server.master)] + [("worker", w) for w in server.workers()]:
        info = process.memory_full_info()
        rows.append({"role": role, "pid": process.pid, "rss": info.rss / MB, "uss": info.uss / MB,
                     "pss": info.pss / MB})
    return rows


def measure(body: bytes, text: str, nlp, args) -> list[dict]:
    """Both servers up at once (an idle one costs no CPU); measurements alternate between them."""
    with GunicornServer(workers=1) as one, GunicornServer(workers=2) as two:
        servers = {1: one, 2: two}
        for server in servers.values():  # warm up every worker
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda _: post(server.url, body), range(8)))
        c1 = run_c1(servers, body, text, nlp, args.c1)
        c8 = run_c8(servers, body, args.c8, args.rounds, args.seconds)
        return [{"workers": n, "c1": c1[n], "c8": c8[n], "memory": memory(server)}
                for n, server in servers.items()]


def report(result: dict) -> None:
    c1, c8 = result["c1"], result["c8"]
    print(f"\n== {result['workers']} worker(s) ==")
    print(f"  engine in-process  {fmt(percentiles(c1['engine']))}  ms")
    print(f"  worker engine time {fmt(percentiles(c1['worker']))}  ms  (meta.elapsed_ms)")
    print(f"  HTTP c=1           {fmt(percentiles(c1['http']))}  ms  {c1['rps']:6.2f} req/s  (n={len(c1['http'])})")
    print(f"  HTTP c=8           {fmt(c8['latency'])}  ms  {c8['rps']:6.2f} req/s  (n={c8['done']}, "
          f"{'wrk' if USE_WRK else 'Python threads'}; percentiles: median over rounds)")
    print(f"  workers at c=8: {c8['cores']:.2f} cores busy on average, "
          f"{c8['cpu_ms_per_request']:.0f} ms CPU per request")
    for row in result["memory"]:
        print(f"  {row['role']:6} pid {row['pid']:>7}  RSS {row['rss']:6.1f} MB  USS {row['uss']:6.1f} MB"
              f"  PSS {row['pss']:6.1f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--c1", type=int, default=40, help="requests at concurrency 1 (per server)")
    parser.add_argument("--c8", type=int, default=64,
                        help="requests at concurrency 8 per server, without wrk")
    parser.add_argument("--seconds", type=float, default=8, help="length of one wrk round")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds at concurrency 8")
    parser.add_argument("--seed", default="000", help="seed article file prefix")
    args = parser.parse_args()

    from service.nlp import extract, load_pipeline
    text = seed_text(args.seed)
    body = json.dumps({"text": text, "id": args.seed}).encode()
    nlp = load_pipeline()
    for _ in range(3):
        next(extract(nlp, [text]))
    print(f"seed article {args.seed}: {len(text)} characters; loopback only; machine has "
          f"{__import__('os').cpu_count()} cores (shared with other jobs)")

    before = (cores_available(1), cores_available(2))
    one, two = measure(body, text, nlp, args)
    after = (cores_available(1), cores_available(2))
    report(one)
    report(two)

    print("\n== floors ==")
    failures = 0
    for result in (one, two):
        c1 = result["c1"]
        engine, http_p50, worker = (statistics.median(c1["engine"]), statistics.median(c1["http"]),
                                    statistics.median(c1["worker"]))
        overhead = http_p50 / engine - 1
        inside = statistics.median([h - w for h, w in zip(c1["http"], c1["worker"])])
        ok = overhead <= 0.15
        failures += not ok
        print(f"  [{'PASS' if ok else 'FAIL'}] {result['workers']} worker(s): HTTP p50 {http_p50:.1f} ms vs "
              f"engine p50 {engine:.1f} ms in-process = {overhead:+.1%} (floor <= +15%); "
              f"HTTP minus the worker's own engine time: {inside:.1f} ms p50 "
              f"({inside / worker:+.1%} of {worker:.1f} ms)")
    scaling = two["c8"]["rps"] / one["c8"]["rps"]
    ok = scaling >= 1.7
    failures += not ok
    print(f"  [{'PASS' if ok else 'FAIL'}] c=8 throughput 2 workers / 1 worker = "
          f"{two['c8']['rps']:.2f} / {one['c8']['rps']:.2f} req/s = {scaling:.2f}x (floor >= 1.7x); "
          f"CPU the workers got: {two['c8']['cores']:.2f} vs {one['c8']['cores']:.2f} cores "
          f"(load average now {__import__('os').getloadavg()[0]:.1f} on {__import__('os').cpu_count()} cores)")
    print(f"         busy loops got, before / after the run: 1 process {before[0]:.2f} / {after[0]:.2f} "
          f"cores, 2 processes {before[1]:.2f} / {after[1]:.2f} cores: the most 2 workers could have had")
    worker_uss = max(row["uss"] for row in two["memory"] if row["role"] == "worker")
    pss_delta = sum(r["pss"] for r in two["memory"]) - sum(r["pss"] for r in one["memory"])
    ok = worker_uss <= 60
    failures += not ok
    print(f"  [{'PASS' if ok else 'FAIL'}] unshared memory per worker: max USS {worker_uss:.1f} MB "
          f"(floor <= 60 MB); total PSS 2 workers - 1 worker = {pss_delta:+.1f} MB")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
