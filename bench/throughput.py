"""Throughput of the engine: articles/s of `extract` against a plain `nlp.pipe` of the same spaCy
model over the same articles, measured in one run (so machine load hits both alike), printed as a
ratio (floor 1.0, aim 1.5) by wall clock and by CPU time, plus peak memory.

    .venv/bin/python bench/throughput.py [--repeat 3] [--rounds 2] [--batch-size 16]

Articles: the seed articles and the GUM news texts, repeated --repeat times. Rounds alternate
plain/extract; each side's best round counts (the least disturbed by other jobs).
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import psutil

from service.nlp import DEFAULT_BATCH_SIZE, extract, load_model, load_pipeline

ROOT = Path(__file__).resolve().parent.parent
GUM = [ROOT / "tests" / "data" / "gum" / "gum_news.jsonl", ROOT.parent / "shared" / "data" / "gum_news.jsonl"]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    args = parser.parse_args()

    texts = articles(args.repeat)
    process = psutil.Process()
    engine = load_pipeline()
    plain = load_model()
    rss_loaded = process.memory_info().rss

    def plain_run(batch):
        return plain.pipe(batch, batch_size=args.batch_size)

    def engine_run(batch):
        return extract(engine, batch, batch_size=args.batch_size)

    list(plain_run(texts[:2])), list(engine_run(texts[:2]))   # warm up both
    plain_runs, engine_runs = [], []
    for _ in range(args.rounds):
        plain_runs.append(rate(plain_run, texts))
        engine_runs.append(rate(engine_run, texts))
    plain_rates, engine_rates = [r for r, _ in plain_runs], [r for r, _ in engine_runs]
    best_plain, best_engine = max(plain_rates), max(engine_rates)
    cpu_plain, cpu_engine = max(c for _, c in plain_runs), max(c for _, c in engine_runs)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB -> MiB (Linux)
    chars = sum(len(t) for t in texts)
    print(f"model: {engine.meta['lang']}_{engine.meta['name']}  articles: {len(texts)}  characters: {chars:,}")
    print(f"plain nlp.pipe (all components: {', '.join(plain.pipe_names)}): "
          f"{best_plain:.1f} articles/s  (rounds: {', '.join(f'{r:.1f}' for r in plain_rates)})")
    print(f"extract (active: {', '.join(engine.pipe_names)}): "
          f"{best_engine:.1f} articles/s  (rounds: {', '.join(f'{r:.1f}' for r in engine_rates)})")
    print(f"ratio extract/plain: {best_engine / best_plain:.2f}  (floor 1.0, aim 1.5)")
    print(f"ratio by CPU time: {cpu_engine / cpu_plain:.2f}  ({cpu_plain:.1f} vs {cpu_engine:.1f} articles per CPU second)")
    print(f"memory: RSS after loading both models {rss_loaded / 2**20:.0f} MiB, "
          f"peak RSS {peak_rss:.0f} MiB")


if __name__ == "__main__":
    main()
