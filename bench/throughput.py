"""Throughput of the engine: articles/s of `extract` against a plain `nlp.pipe` of the same spaCy
model over the same articles, measured in one run (so machine load hits both alike), printed as a
ratio (floor 1.0, aim 1.5) by wall clock and by CPU time, plus peak memory.

    .venv/bin/python bench/throughput.py [--repeat 3] [--rounds 2] [--batch-size 16]
    .venv/bin/python bench/throughput.py --against ../wt-old [--rounds 3]

Articles: the seed articles and the GUM news texts, repeated --repeat times. Rounds alternate
plain/extract; each side's best round counts (the least disturbed by other jobs).

--against CHECKOUT times another checkout's engine (e.g. a worktree of an older commit) in the
same run: each round runs this script once for that checkout and once for this one, alternately,
each in a fresh process that imports its checkout's `service` package, and prints both ratios.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUM = [ROOT / "tests" / "data" / "gum" / "gum_news.jsonl", ROOT.parent / "shared" / "data" / "gum_news.jsonl"]
BATCH_SIZE = 16   # service.nlp.DEFAULT_BATCH_SIZE (not imported here: --against may run an older engine)


def articles(repeat: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/seeds").glob("*.txt"))]
    gum = next((p for p in GUM if p.exists()), None)
    if gum is not None:
        texts += [json.loads(line)["text"] for line in gum.read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    return texts * repeat


def rate(run, texts: list[str]) -> tuple[float, float]:
    """(articles per wall-clock second, articles per CPU second of this process). CPU time is far
    steadier than the wall clock on a machine other jobs share."""
    start, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in run(texts))
    return count / (time.perf_counter() - start), count / (time.process_time() - cpu)


def measure(texts: list[str], rounds: int, batch_size: int) -> dict:
    """The best rates of each side over alternating rounds, with the pipelines' descriptions."""
    import psutil

    from service.nlp import extract, load_model, load_pipeline

    process = psutil.Process()
    engine, plain = load_pipeline(), load_model()
    rss_loaded = process.memory_info().rss

    def plain_run(batch):
        return plain.pipe(batch, batch_size=batch_size)

    def engine_run(batch):
        return extract(engine, batch, batch_size=batch_size)

    list(plain_run(texts[:2])), list(engine_run(texts[:2]))   # warm up both
    plain_runs, engine_runs = [], []
    for _ in range(rounds):
        plain_runs.append(rate(plain_run, texts))
        engine_runs.append(rate(engine_run, texts))
    return {"model": f"{engine.meta['lang']}_{engine.meta['name']}",
            "plain_components": plain.pipe_names, "engine_components": engine.pipe_names,
            "plain": plain_runs, "engine": engine_runs, "rss_loaded_mib": rss_loaded / 2**20,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report(figures: dict, texts: list[str]) -> None:
    plain_rates, engine_rates = [r for r, _ in figures["plain"]], [r for r, _ in figures["engine"]]
    best_plain, best_engine = max(plain_rates), max(engine_rates)
    cpu_plain, cpu_engine = max(c for _, c in figures["plain"]), max(c for _, c in figures["engine"])
    print(f"model: {figures['model']}  articles: {len(texts)}  characters: {sum(map(len, texts)):,}")
    print(f"plain nlp.pipe (all components: {', '.join(figures['plain_components'])}): "
          f"{best_plain:.1f} articles/s  (rounds: {', '.join(f'{r:.1f}' for r in plain_rates)})")
    print(f"extract (active: {', '.join(figures['engine_components'])}): "
          f"{best_engine:.1f} articles/s  (rounds: {', '.join(f'{r:.1f}' for r in engine_rates)})")
    print(f"ratio extract/plain: {best_engine / best_plain:.2f}  (floor 1.0, aim 1.5)")
    print(f"ratio by CPU time: {cpu_engine / cpu_plain:.2f}  ({cpu_plain:.1f} vs {cpu_engine:.1f} articles per CPU second)")
    print(f"memory: RSS after loading both models {figures['rss_loaded_mib']:.0f} MiB, "
          f"peak RSS {figures['peak_rss_mib']:.0f} MiB")


def measure_checkout(checkout: Path, args) -> dict:
    """One round of `measure` in a fresh process importing `service` from `checkout`."""
    command = [sys.executable, str(Path(__file__).resolve()), "--json", "--rounds", "1",
               "--repeat", str(args.repeat), "--batch-size", str(args.batch_size)]
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(command, env=env, cwd=checkout, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def compare(args, texts: list[str]) -> None:
    """Both checkouts' figures over alternating rounds, then their CPU-time ratios side by side."""
    checkouts = {"against": Path(args.against).resolve(), "this": ROOT}
    figures: dict[str, dict] = {}
    for _ in range(args.rounds):
        for label, checkout in checkouts.items():
            round_figures = measure_checkout(checkout, args)
            kept = figures.setdefault(label, round_figures)
            if kept is not round_figures:
                kept["plain"] += round_figures["plain"]
                kept["engine"] += round_figures["engine"]
    ratios = {}
    for label, checkout in checkouts.items():
        print(f"--- {label}: {checkout}")
        report(figures[label], texts)
        ratios[label] = (max(c for _, c in figures[label]["engine"])
                         / max(c for _, c in figures[label]["plain"]))
    print(f"ratio by CPU time, this / against: {ratios['this']:.2f} / {ratios['against']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--against", metavar="CHECKOUT",
                        help="another checkout whose engine is timed in the same run")
    parser.add_argument("--json", action="store_true", help="print the raw figures as one JSON line")
    args = parser.parse_args()

    texts = articles(args.repeat)
    if args.against:
        compare(args, texts)
        return
    figures = measure(texts, args.rounds, args.batch_size)
    if args.json:
        print(json.dumps(figures))
    else:
        report(figures, texts)


if __name__ == "__main__":
    main()
