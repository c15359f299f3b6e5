"""Bulk throughput: `quotewire extract` with 1 and 2 workers and the Spark job in local[2], on the
same articles (GUM news texts + the seed stories, repeated), printed side by side.

    .venv/bin/python bench/bulk.py [--articles 300] [--spark-runs 2]

Floors (issue 4): CLI 2 workers >= 1.7x CLI 1 worker; Spark local[2] >= 1.5x CLI 1 worker once the
job is running (Spark's start-up is printed separately). Each CLI figure is the command's own
summary (reading, model loading in the workers, extraction, writing). The machine's load average
is printed with the figures: on a shared machine, compare the ratios of one run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUM = ROOT.parent / "shared" / "data" / "gum_news.jsonl"
SEED_DIRS = (ROOT / "tests" / "data" / "seeds", ROOT.parent / "shared" / "seeds")
SUMMARY = re.compile(r"(\d+) articles, (\d+) quotes.* in ([\d.]+) s")


def base_texts() -> list[str]:
    texts = []
    if GUM.exists():
        texts += [json.loads(line)["text"] for line in GUM.read_text(encoding="utf-8").splitlines()]
    seeds = next((d for d in SEED_DIRS if d.is_dir()), None)
    if seeds:
        texts += [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    if not texts:
        sys.exit("no texts: need ../shared/data/gum_news.jsonl or tests/data/seeds")
    return texts


def write_input(path: Path, count: int) -> int:
    texts = base_texts()
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps({"id": f"a{i:05d}", "text": texts[i % len(texts)]}) + "\n")
    return sum(len(texts[i % len(texts)]) for i in range(count))


def snapshot_code(tmp: Path) -> Path:
    """The committed package (git HEAD), which every run imports (CLI processes, Spark driver and
    workers), so all of them measure the same engine even while the working tree is being edited."""
    snapshot = tmp / "code"
    snapshot.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD", "service"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(snapshot)], input=archive, check=True)
    sys.path.insert(0, str(snapshot))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(snapshot), os.environ.get("PYTHONPATH")]))
    return snapshot


def run_cli(source: Path, out: Path, workers: int, code: Path) -> dict:
    """The CLI's own timing (from its summary) and the CPU its process tree used."""
    cpu_before = _children_cpu()
    done = subprocess.run([sys.executable, "-m", "service.cli", "extract", str(source), "-o", str(out),
                           "-w", str(workers), "--no-progress"],
                          cwd=code, capture_output=True, text=True, check=True)
    articles, quotes, seconds = SUMMARY.search(done.stderr).groups()
    return {"articles": int(articles), "quotes": int(quotes), "seconds": float(seconds),
            "cpu": _children_cpu() - cpu_before}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a live process and its descendants (the JVM and its Python workers)."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def run_spark(source: Path, out_dir: Path, runs: int, code: Path) -> tuple[float, list[dict]]:
    from service.spark import build_session, run_job

    os.chdir(code)  # Spark's Python workers import from their working directory first
    started = time.perf_counter()
    spark = build_session("local[2]", "quotewire-bench", {"spark.ui.enabled": "false",
                                                           "spark.sql.shuffle.partitions": "2"})
    spark.sparkContext.setLogLevel("ERROR")
    startup = time.perf_counter() - started
    jvm = spark.sparkContext._gateway.proc.pid
    results = []
    try:
        for run in range(runs):
            began, cpu_before = time.perf_counter(), _tree_cpu(jvm)
            counts = run_job(spark, str(source), str(out_dir / f"quotes{run}"))
            results.append({"rows": counts["rows"], "errors": counts["errors"],
                            "seconds": time.perf_counter() - began,
                            "cpu": _tree_cpu(jvm) - cpu_before})
    finally:
        spark.stop()
    return startup, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--spark-runs", type=int, default=2,
                        help="jobs in one Spark session (later ones run on warm executors)")
    args = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    here = os.getcwd()

    with tempfile.TemporaryDirectory(prefix="quotewire-bench-") as tmp:
        tmp = Path(tmp)
        code = snapshot_code(tmp)
        source = tmp / "articles.jsonl"
        chars = write_input(source, args.articles)
        print(f"input: {args.articles} articles, {chars / 1e6:.2f} M characters "
              f"(GUM news + seeds, repeated); cores: {os.cpu_count()}; "
              f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        one = run_cli(source, tmp / "one.jsonl", 1, code)
        two = run_cli(source, tmp / "two.jsonl", 2, code)
        same = (tmp / "one.jsonl").read_bytes() == (tmp / "two.jsonl").read_bytes()
        cli_rows = run_cli(source, tmp / "rows.parquet", 2, code)
        startup, spark_runs = run_spark(source, tmp, args.spark_runs, code)
        os.chdir(here)
        load_after = os.getloadavg()[0]

    runs = [("CLI, 1 worker", one), ("CLI, 2 workers", two)]
    runs += [(f"Spark local[2], job {i + 1}" + (" (warm)" if i else ""), r)
             for i, r in enumerate(spark_runs)]
    base = args.articles / one["seconds"]
    print(f"\n{'':28} {'seconds':>8} {'articles/s':>11} {'vs 1 worker':>12} {'CPU s':>7} "
          f"{'cores got':>10} {'CPU ms/article':>15}")
    table = []
    for name, run in runs:
        rate = args.articles / run["seconds"]
        table.append((name, run["seconds"], rate))
        print(f"{name:28} {run['seconds']:8.1f} {rate:11.2f} {rate / base:11.2f}x {run['cpu']:7.1f} "
              f"{run['cpu'] / run['seconds']:10.2f} {1000 * run['cpu'] / args.articles:15.0f}")
    print(f"Spark start-up (session, JVM): {startup:.1f} s, not included above")
    print("cores got = CPU seconds / wall seconds: what the run actually received on this machine")
    print(f"quotes found: {one['quotes']}; 1 and 2 workers wrote identical JSONL: {same}; "
          f"CLI Parquet rows {cli_rows['quotes']} vs Spark rows {spark_runs[0]['rows']}")
    print(f"floors: 2 workers >= 1.7x: {two_ok(table)}; Spark >= 1.5x: {spark_ok(table)}; "
          f"load average after: {load_after:.2f}")


def two_ok(table) -> str:
    ratio = table[1][2] / table[0][2]
    return f"{ratio:.2f}x {'met' if ratio >= 1.7 else 'NOT met'}"


def spark_ok(table) -> str:
    ratio = max(rate for name, _, rate in table[2:]) / table[0][2]
    return f"{ratio:.2f}x (best job) {'met' if ratio >= 1.5 else 'NOT met'}"


if __name__ == "__main__":
    main()
