"""Kind accuracy: whether the engine's `kind` of an attribution agrees with a hand-labelled table.

    quotewire evaluate tests/data/gum/gum_news.jsonl --kind-table tests/data/gum/gum_kinds.jsonl

The table is JSONL, one attribution a line: {"doc", "cue": {"text", "start", "end"} or null,
"content": {"text", "start", "end"}, "kind"} with offsets into the text of article `doc` of the
gold file. An engine quote is the table row's when their contents overlap by half of the shorter
one (the matching rule of service.evaluate), or, for a row with no words (no_comment), when their
cues overlap. One-to-one, rows whose cue the quote shares first: "Memon said she believed ..." is
one quote of the engine, the row of "said" (speech), not the row of "believed" inside it.
Accuracy is over the rows the engine finds; the rows it does not find are counted apart.
"""
from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from service.evaluate import engine_results, one_to_one, overlap, read_gold, spans_match
from service.nlp.records import QUOTE_KINDS


class KindScores(NamedTuple):
    rows: int                     # rows in the table
    found: int                    # rows the engine has a quote for
    right: int                    # ... with the row's kind
    confusion: Counter            # (gold kind, engine kind) -> rows
    wrong: list                   # (row, engine quote) of the rows found with another kind

    @property
    def accuracy(self) -> float:
        return self.right / self.found if self.found else 0.0


def _cues_overlap(row: dict, quote: dict) -> bool:
    cue, found = row.get("cue"), quote.get("cue")
    return bool(cue and found and overlap(cue["start"], cue["end"], found["start"], found["end"]) > 0)


def _fit(row: dict, quote: dict) -> tuple[int, int] | None:
    """How well a quote fits a row: (shares its cue, content overlap), or None when it does not."""
    same_cue = _cues_overlap(row, quote)
    content = row["content"]
    if not spans_match(content, quote) and not (content["start"] == content["end"] and same_cue):
        return None
    return int(same_cue), overlap(content["start"], content["end"], quote["start"], quote["end"])


def match_rows(rows: list[dict], quotes: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one (row, quote) pairs, best fits first (service.evaluate's greedy matching)."""
    fits = ((fit, i, j) for i, row in enumerate(rows) for j, quote in enumerate(quotes)
            if (fit := _fit(row, quote)) is not None)
    return [(rows[i], quotes[j]) for i, j in one_to_one(fits)]


def kind_scores(table: list[dict], results: dict[str, dict]) -> KindScores:
    """Scores the table against engine results by article id."""
    by_doc: dict[str, list[dict]] = {}
    for row in table:
        by_doc.setdefault(row["doc"], []).append(row)
    confusion: Counter = Counter()
    wrong = []
    for doc, rows in by_doc.items():
        for row, quote in match_rows(rows, results[doc]["quotes"]):
            confusion[row["kind"], quote["kind"]] += 1
            if row["kind"] != quote["kind"]:
                wrong.append((row, quote))
    found = sum(confusion.values())
    right = sum(n for (gold, engine), n in confusion.items() if gold == engine)
    return KindScores(len(table), found, right, confusion, wrong)


def evaluate_kinds(table_path: str, gold_path: str, nlp=None, results: dict[str, dict] | None = None
                   ) -> KindScores:
    """Scores the table against the engine's results for the gold file's articles it names.
    `results` (article id -> the engine's result, as `quotewire evaluate` has them already) are
    used as they are; the engine runs only over the table's articles not in them."""
    table = read_gold(table_path)
    docs = {row["doc"] for row in table}
    articles = [a for a in read_gold(gold_path) if a["id"] in docs]
    missing = docs - {a["id"] for a in articles}
    if missing:
        raise ValueError(f"{table_path}: articles not in {gold_path}: {', '.join(sorted(missing))}")
    results = dict(results or {})
    unparsed = [a for a in articles if a["id"] not in results]
    results.update(zip((a["id"] for a in unparsed), engine_results(unparsed, nlp) if unparsed else ()))
    return kind_scores(table, results)


def format_kinds(scores: KindScores, errors: bool = False) -> list[str]:
    """Kind accuracy, the confusion table (rows: the table's kind, columns: the engine's) and,
    with `errors`, the rows found with another kind."""
    kinds = [k for k in QUOTE_KINDS if any(k in pair for pair in scores.confusion)]
    lines = [f"kinds: {scores.found} of {scores.rows} labelled attributions found, kind right for "
             f"{scores.right}: accuracy {scores.accuracy:.3f}",
             f"{'table/engine':>14} " + " ".join(f"{k:>10}" for k in kinds)]
    for gold in kinds:
        lines.append(f"{gold:>14} " + " ".join(f"{scores.confusion[gold, k]:>10}" for k in kinds))
    if errors:
        lines += [f"KIND {row['doc']} table={row['kind']} engine={quote['kind']} "
                  f"cue={(row.get('cue') or {}).get('text')!r}/{(quote.get('cue') or {}).get('text')!r}: "
                  f"{row['content']['text'][:80]!r}" for row, quote in scores.wrong]
    return lines
