"""Cost of the names stage: ms per article of the engine component (everything after the parse)
and of building the article's roster (roster.NameIndex) alone, by CPU time, best of --rounds.

    .venv/bin/python bench/names.py [--rounds 5]

Articles: the seed articles and the GUM news texts, parsed once (the parse is not timed). To
compare two checkouts, run it in each, alternately, on the same machine (CPU time is far steadier
than the wall clock when other jobs share it).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from service.nlp import load_pipeline
from service.nlp.component import extract_quotes
from service.nlp.roster import NameIndex

ROOT = Path(__file__).resolve().parent.parent


def articles() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/seeds").glob("*.txt"))]
    gum = ROOT / "tests" / "data" / "gum" / "gum_news.jsonl"
    return texts + [json.loads(line)["text"] for line in gum.read_text(encoding="utf-8").splitlines() if line.strip()]


def best_ms_per_article(step, docs, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        cpu = time.process_time()
        for doc in docs:
            step(doc)
        best = min(best, time.process_time() - cpu)
    return 1000 * best / len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    nlp = load_pipeline()
    engine = nlp.get_pipe("quotewire")
    with nlp.select_pipes(disable=["quotewire"]):
        docs = list(nlp.pipe(articles()))
    component = best_ms_per_article(lambda d: extract_quotes(d, engine.lexicon, engine.patterns), docs, args.rounds)
    roster = best_ms_per_article(lambda d: NameIndex(d, engine.lexicon), docs, args.rounds)
    print(f"articles: {len(docs)}, best of {args.rounds} rounds, CPU time")
    print(f"engine component: {component:.2f} ms/article")
    print(f"roster.NameIndex: {roster:.2f} ms/article ({roster / component:.0%} of the component)")


if __name__ == "__main__":
    main()
