"""Cost of the names stage: ms per article of the engine component (everything after the parse)
and of building the article's roster (roster.NameIndex) alone, by CPU time, best of --rounds.

    .venv/bin/python bench/names.py [--rounds 5]
    .venv/bin/python bench/names.py --against ../wt-old [--rounds 40]

Articles: the seed articles and the GUM news texts, parsed once (the parse is not timed).

--against CHECKOUT times the component of another checkout (e.g. a worktree of an older commit)
in the same run: one worker process per checkout, each importing its own `service` package,
takes a round in turn (the order swapped every round), so load from other jobs falls on both
alike; printed are each side's best and median round and the median of the per-round ratios
this / against (the steadiest of the three on a shared machine).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from service.nlp import load_pipeline
from service.nlp.component import extract_quotes
from service.nlp.roster import NameIndex
from throughput import articles   # the same seed and GUM articles (bench/ is on the path)

ROOT = Path(__file__).resolve().parent.parent


def best_ms_per_article(step, docs, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        cpu = time.process_time()
        for doc in docs:
            step(doc)
        best = min(best, time.process_time() - cpu)
    return 1000 * best / len(docs)


def parsed_articles():
    """(the component, the parsed seed and GUM articles)."""
    nlp = load_pipeline()
    with nlp.select_pipes(disable=["quotewire"]):
        return nlp.get_pipe("quotewire"), list(nlp.pipe(articles(repeat=1)))


def serve_rounds() -> None:
    """Worker of --against: one round of the component over the articles per line read, its CPU
    ms/article written back."""
    engine, docs = parsed_articles()
    print("ready", flush=True)
    for _ in sys.stdin:
        ms = best_ms_per_article(lambda d: extract_quotes(d, engine.lexicon, engine.patterns), docs, 1)
        print(ms, flush=True)


def _worker(checkout: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "names.py"), "--serve"], cwd=checkout,
                               env={**os.environ, "PYTHONPATH": str(checkout)}, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    if process.stdout.readline().strip() != "ready":
        raise SystemExit(f"the worker for {checkout} did not start")
    return process


def compare(against: Path, rounds: int) -> None:
    workers = {"against": _worker(against), "this": _worker(ROOT)}
    times: dict[str, list[float]] = {"against": [], "this": []}
    for k in range(rounds):
        for label in ("against", "this") if k % 2 == 0 else ("this", "against"):
            workers[label].stdin.write("round\n")
            workers[label].stdin.flush()
            times[label].append(float(workers[label].stdout.readline()))
    for worker in workers.values():
        worker.stdin.close()
        worker.wait()
    for label, checkout in (("against", against), ("this", ROOT)):
        print(f"{label:8} {checkout}: best {min(times[label]):.2f}, median "
              f"{statistics.median(times[label]):.2f} ms/article over {rounds} rounds")
    ratios = [this / other for this, other in zip(times["this"], times["against"])]
    print(f"this / against, median of the per-round ratios: {statistics.median(ratios):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--against", metavar="CHECKOUT", help="another checkout timed in the same run")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_rounds()
        return
    if args.against:
        compare(Path(args.against).resolve(), args.rounds)
        return
    engine, docs = parsed_articles()
    component = best_ms_per_article(lambda d: extract_quotes(d, engine.lexicon, engine.patterns), docs, args.rounds)
    roster = best_ms_per_article(lambda d: NameIndex(d, engine.lexicon), docs, args.rounds)
    print(f"articles: {len(docs)}, best of {args.rounds} rounds, CPU time")
    print(f"engine component: {component:.2f} ms/article")
    print(f"roster.NameIndex: {roster:.2f} ms/article ({roster / component:.0%} of the component)")


if __name__ == "__main__":
    main()
