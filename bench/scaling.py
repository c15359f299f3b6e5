"""How the engine's cost grows with input length: time per 10k characters at 10k, 100k and 1M
characters, for real prose and for pathological text. Linear cost means a flat column.

    .venv/bin/python bench/scaling.py                 # all inputs, 10k / 100k / 1M characters
    .venv/bin/python bench/scaling.py --budget 30     # seconds allowed per measurement (300)
    .venv/bin/python bench/scaling.py --inputs prose --paths pipe

Each measurement runs the engine in-process (load_pipeline + extract, no HTTP) under a wall-clock
budget (the API's own time_limit). A measurement over budget prints as "> budget" with the lower
bound it implies, and larger sizes of that input are skipped: the script always stops by itself.
Memory: up to a few GB at 1M characters.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.append(str(ROOT))  # after PYTHONPATH: `PYTHONPATH=<snapshot of HEAD>` measures that code

from payloads import real_articles  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
LINEAR_RATIO_LIMIT = 2.0  # "about linear": per-10k time at 1M within 2x of that at 10k


def prose(size: int) -> str:
    """Real articles one after another (blank line between) cut to exactly `size` characters."""
    articles = real_articles()
    parts, length, i = [], 0, 0
    while length < size:
        parts.append(articles[i % len(articles)])
        length += len(parts[-1]) + 2
        i += 1
    return "\n\n".join(parts)[:size]


def one_paragraph(size: int) -> str:
    """The same prose with no line breaks: one huge paragraph."""
    return " ".join(prose(size).split())[:size].ljust(size)


def quote_marks(size: int) -> str:
    """A run of straight double quote marks with no spaces."""
    return '"' * size


def spaced_quotes(size: int) -> str:
    """Many tiny quotations: '"a" said he. ' over and over."""
    unit = '"Yes," he said. '
    return (unit * (size // len(unit) + 1))[:size]


def quote_soup(size: int) -> str:
    """Words of three quote marks between letters, over and over."""
    unit = '""" x '
    return (unit * (size // len(unit) + 1))[:size]


def one_sentence(size: int) -> str:
    """One sentence as long as the text: the same word again with no punctuation ('a a a ...')."""
    return ("a " * (size // 2 + 1))[:size]


def short_quotes(size: int) -> str:
    """Thousands of short quotations in one paragraph, each with its own cue."""
    parts, length, i = [], 0, 0
    while length < size:
        parts.append(f'"Yes {i}," he said.')
        length += len(parts[-1]) + 1
        i += 1
    return " ".join(parts)[:size]


def random_words(size: int) -> str:
    """Made-up words (seeded): every word new to the vocabulary."""
    import random
    rng = random.Random(size)
    words, length = [], 0
    while length < size:
        words.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))))
        length += len(words[-1]) + 1
    return " ".join(words)[:size]


INPUTS = {"prose": prose, "one paragraph": one_paragraph, "tiny quotes": spaced_quotes,
          "quote-mark run": quote_marks, "quote-mark soup": quote_soup, "one long sentence": one_sentence,
          "short quotes in one paragraph": short_quotes, "random words": random_words}
NEWS_RATIO_LIMIT = 3.0  # a degenerate text costs at most this many times news per character


def run_extract(nlp, text: str) -> None:
    """The engine's public API (API, CLI, Spark): extract() reads very long texts in chunks."""
    from service.nlp import extract
    next(extract(nlp, [text]))


def run_pipe(nlp, text: str) -> None:
    """For comparison: the whole text through one nlp.pipe call (no chunking), then doc_result."""
    from service.nlp.serialize import doc_result
    doc_result(next(nlp.pipe([text])))


PATHS = {"extract": run_extract, "pipe": run_pipe}


def measure(nlp, text: str, budget: float, path: str = "extract") -> float | None:
    """Seconds for the engine on `text`, or None when it ran past `budget`."""
    from service.timelimit import TimeLimitExceeded, time_limit
    # spaCy's tokenizer caches each whitespace-free chunk it has seen: start every measurement cold.
    tokenizer = getattr(nlp.tokenizer, "tokenizer", nlp.tokenizer)  # inside the engine's guard
    tokenizer.prefix_search = tokenizer.prefix_search  # the setter flushes the cache
    started = time.perf_counter()
    try:
        with time_limit(budget):
            PATHS[path](nlp, text)
    except TimeLimitExceeded:
        return None
    return time.perf_counter() - started


def news_ratios(costs: dict, sizes: list[int]) -> list[bool]:
    """Each input's cost per character against prose's at the same size and path."""
    print(f"cost per character against prose (limit {NEWS_RATIO_LIMIT:g}x):")
    verdicts = []
    for (name, path), per in costs.items():
        news = costs.get(("prose", path))
        if name == "prose" or news is None:
            continue
        ratios = [p / n for p, n in zip(per, news) if p is not None and n is not None]
        worst = max(ratios, default=None)
        ok = worst is not None and worst <= NEWS_RATIO_LIMIT and None not in per
        verdicts.append(ok)
        shown = " ".join(f"{size:,}: {r:.1f}x" for size, r in zip(sizes, ratios))
        print(f"  {name + ' (' + path + ')':<40} {shown}  {'within' if ok else 'OVER'}")
    return verdicts


def per_10k(seconds: float, size: int) -> float:
    return seconds / size * 10_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=300.0, help="seconds per measurement")
    parser.add_argument("--inputs", default=",".join(INPUTS), help="comma-separated: " + ", ".join(INPUTS))
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--paths", default="extract,pipe",
                        help="extract: the engine API (CLI, Spark); pipe: nlp.pipe as the HTTP API does")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    from service.nlp import load_pipeline
    nlp = load_pipeline()
    nlp.max_length = max(sizes) + 1
    measure(nlp, prose(2000), args.budget)  # warm-up

    print(f"engine time per 10k characters (budget {args.budget:g} s per measurement)")
    print(f"{'input (path)':<26}" + "".join(f"{size:>14,}" for size in sizes) + f"{'ratio':>9}")
    verdicts = []
    costs: dict[tuple[str, str], list] = {}
    rows = [(name, path) for name in args.inputs.split(",") for path in args.paths.split(",")]
    for name, path in rows:
        make = INPUTS[name]
        cells, per = [], []
        label = f"{name} ({path})"
        for size in sizes:
            if per and per[-1] is None:
                cells.append("skipped")
                continue
            seconds = measure(nlp, make(size), args.budget, path)
            if seconds is None:
                cells.append(f">{per_10k(args.budget, size):.2f}s")
                per.append(None)
            else:
                cells.append(f"{per_10k(seconds, size):.3f}s")
                per.append(per_10k(seconds, size))
            print(f"  {label} {size:,}: {cells[-1]} per 10k", file=sys.stderr, flush=True)
        costs[(name, path)] = per
        measured = [p for p in per if p is not None]
        over_budget = any(p is None for p in per)
        ratio = (measured[-1] / measured[0]) if len(measured) >= 2 else None
        linear = not over_budget and ratio is not None and ratio <= LINEAR_RATIO_LIMIT
        verdicts.append(linear)
        print(f"{label:<26}" + "".join(f"{c:>14}" for c in cells)
              + f"{(f'{ratio:.1f}x' if ratio else '-'):>9}  {'linear' if linear else 'NOT linear'}", flush=True)
    verdicts += news_ratios(costs, sizes)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ratio = per-10k time at the largest measured size / at the smallest; "
          f"'linear' needs every size within budget and ratio <= {LINEAR_RATIO_LIMIT:g}")
    print(f"peak RSS of this process: {peak_mb:.0f} MB")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
