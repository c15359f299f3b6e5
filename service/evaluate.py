"""Measure quote extraction against a gold JSONL file (the matching rule of DESIGN.md).

    python -m service.evaluate GOLD.jsonl [--limit N] [--errors] [--by-rule] [--exact]

Gold: one article a line, {"id", "text", "quotes": [{"start", "end", "type", "speaker",
"speaker_start", "speaker_end", ...}]}. Predictions: one engine result per article
({"quotes": [...]} as produced by service.nlp.extract).

Matching rule:
- a predicted quote matches a gold quote when their character spans overlap by at least half of
  the shorter span; matching is one-to-one, greedy by overlap (largest overlaps first);
- "all" scores every quote; "quoted" scores gold direct+mixed against predicted direct+mixed,
  matched separately;
- the speaker of a matched pair is right when the predicted speaker mention overlaps the gold
  speaker span, or the names agree (see `names_agree`). Matched pairs whose gold quote has no
  speaker are left out of speaker accuracy.

Gold quotes with a canonical `speaker_name` are also scored on the name returned
(service.evaluate_names: overall and by the gold mention's kind, and a strict same-name figure).

--by-rule (service.evaluate_rules) scores each rule that made predictions; --exact
(service.evaluate_exact) gives exact-span F1 per role, the protocol of published PolNeAR results.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Iterable, Sequence

QUOTED_TYPES = frozenset({"direct", "mixed"})
_WORD = re.compile(r"\w+(?:[.'’]\w+)*")


# --- matching ------------------------------------------------------------------------------

def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def spans_match(gold: dict, pred: dict) -> bool:
    """Overlap of at least half of the shorter span (a zero-length span never matches)."""
    shorter = min(gold["end"] - gold["start"], pred["end"] - pred["start"])
    if shorter <= 0:
        return False
    return 2 * overlap(gold["start"], gold["end"], pred["start"], pred["end"]) >= shorter


def match_quotes(gold: Sequence[dict], pred: Sequence[dict]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, greedy by largest overlap first."""
    candidates = []
    by_start = sorted(range(len(pred)), key=lambda j: pred[j]["start"])
    for i, g in enumerate(gold):
        # predictions are few per article; a sorted scan keeps this cheap without cleverness
        for j in by_start:
            p = pred[j]
            if p["start"] >= g["end"]:
                break
            if spans_match(g, p):
                candidates.append((overlap(g["start"], g["end"], p["start"], p["end"]), i, j))
    return sorted(one_to_one(candidates))


def one_to_one(candidates: Iterable[tuple[object, int, int]]) -> list[tuple[int, int]]:
    """(i, j) pairs from (fit, i, j) candidates, each i and each j used once: greedy, the best
    fit first (fits compare as numbers or tuples, larger is better), ties to the lowest i, then j.
    In the order they were chosen."""
    used_i, used_j, pairs = set(), set(), []
    for _, i, j in sorted(candidates, key=lambda c: (c[0], -c[1], -c[2]), reverse=True):
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            pairs.append((i, j))
    return pairs


# --- speakers ------------------------------------------------------------------------------

def _words(text: str | None) -> list[str]:
    return _WORD.findall(text or "")


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[k:k + n] == needle for k in range(len(haystack) - n + 1))


def names_agree(gold_name: str | None, predicted_name: str | None) -> bool:
    """Gold speaker string within the predicted canonical name or vice versa, word by word and
    case-insensitively. The contained side must hold a capitalised word: "he" or "the official"
    are mentions, not names, and agree with any other "he" only by span overlap."""
    gold_words, pred_words = _words(gold_name), _words(predicted_name)
    if not gold_words or not pred_words:
        return False
    shorter = gold_words if len(gold_words) <= len(pred_words) else pred_words
    if not any(w[0].isupper() for w in shorter):
        return False
    gold_lower, pred_lower = [w.lower() for w in gold_words], [w.lower() for w in pred_words]
    return _contains(pred_lower, gold_lower) or _contains(gold_lower, pred_lower)


def speaker_correct(gold: dict, pred: dict) -> bool:
    speaker = pred.get("speaker")
    if not speaker:
        return False
    if speaker.get("start") is not None and speaker.get("end") is not None \
            and gold.get("speaker_start") is not None \
            and overlap(gold["speaker_start"], gold["speaker_end"], speaker["start"], speaker["end"]) > 0:
        return True
    return names_agree(gold.get("speaker"), speaker.get("name")) or \
        names_agree(gold.get("speaker"), speaker.get("text"))


def has_gold_speaker(gold: dict) -> bool:
    return bool(gold.get("speaker")) and gold.get("speaker_start") is not None


# --- scoring -------------------------------------------------------------------------------

def _new_counts() -> dict:
    return {"gold": 0, "predicted": 0, "matched": 0, "speaker_judged": 0, "speaker_correct": 0}


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _finish(counts: dict) -> dict:
    precision = _ratio(counts["matched"], counts["predicted"])
    recall = _ratio(counts["matched"], counts["gold"])
    f1 = _ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0
    return {**counts, "precision": precision, "recall": recall, "f1": f1,
            "speaker_accuracy": _ratio(counts["speaker_correct"], counts["speaker_judged"])}


def _score_subset(article_id, gold: list[dict], pred: list[dict], counts: dict,
                  errors: list, subset: str) -> None:
    pairs = match_quotes(gold, pred)
    counts["gold"] += len(gold)
    counts["predicted"] += len(pred)
    counts["matched"] += len(pairs)
    for i, j in pairs:
        if not has_gold_speaker(gold[i]):
            continue
        counts["speaker_judged"] += 1
        if speaker_correct(gold[i], pred[j]):
            counts["speaker_correct"] += 1
        else:
            errors.append({"kind": "wrong_speaker", "subset": subset, "article": article_id,
                           "gold": gold[i], "predicted": pred[j]})
    matched_gold, matched_pred = {i for i, _ in pairs}, {j for _, j in pairs}
    errors.extend({"kind": "missed", "subset": subset, "article": article_id, "gold": g}
                  for i, g in enumerate(gold) if i not in matched_gold)
    errors.extend({"kind": "spurious", "subset": subset, "article": article_id, "predicted": p}
                  for j, p in enumerate(pred) if j not in matched_pred)


def score(gold_articles: Iterable[dict], predicted_results: Iterable[dict]) -> dict:
    """Scores predictions against gold, article by article (the two sequences align by position).

    Returns {"articles": n, "all": {...}, "quoted": {...}, "errors": [...]}, where each subset
    has gold/predicted/matched counts, precision, recall, f1 and speaker_accuracy."""
    totals = {"all": _new_counts(), "quoted": _new_counts()}
    errors: list[dict] = []
    n = 0
    for article, result in zip(gold_articles, predicted_results):
        n += 1
        gold, pred = article.get("quotes") or [], (result or {}).get("quotes") or []
        _score_subset(article.get("id"), gold, pred, totals["all"], errors, "all")
        _score_subset(article.get("id"),
                      [q for q in gold if q.get("type") in QUOTED_TYPES],
                      [q for q in pred if q.get("type") in QUOTED_TYPES],
                      totals["quoted"], errors, "quoted")
    return {"articles": n, "all": _finish(totals["all"]), "quoted": _finish(totals["quoted"]),
            "errors": errors}


# --- running -------------------------------------------------------------------------------

def read_gold(path: str, limit: int | None = None) -> list[dict]:
    articles = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                articles.append(json.loads(line))
                if limit is not None and len(articles) >= limit:
                    break
    return articles


def engine_results(articles: list[dict], nlp=None) -> list[dict]:
    """The engine's results for the articles, in order, as it gives them."""
    from service.nlp import extract, load_pipeline  # the engine is loaded only when needed
    return list(extract(nlp or load_pipeline(), (a["text"] for a in articles)))


def without_refusals(result: dict) -> dict:
    """The result without its no_comment records: a refusal has no words to match."""
    from service.nlp.records import NO_COMMENT   # here: importing the engine loads spaCy
    return dict(result, quotes=[q for q in result["quotes"] if q.get("kind") != NO_COMMENT])


def evaluate_file(path: str, nlp=None, limit: int | None = None) -> dict:
    """Runs the engine over a gold file and scores it; the gold articles, the engine's results
    and the predictions scored are returned too (under "gold_articles", "results" and
    "predictions") for error reports and other tables, and canonical-name accuracy under "names"
    (service.evaluate_names; None when the gold names no speakers)."""
    from .evaluate_names import name_scores

    articles = read_gold(path, limit)
    results = engine_results(articles, nlp)
    predictions = [without_refusals(result) for result in results]
    scores = score(articles, predictions)
    scores["gold_articles"], scores["results"], scores["predictions"] = articles, results, predictions
    scores["names"] = name_scores(articles, predictions)   # None unless the gold has speaker_name
    return scores


def format_report(scores: dict) -> str:
    lines = [f"articles: {scores['articles']}",
             f"{'':8} {'gold':>6} {'pred':>6} {'match':>6} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8}"]
    for subset in ("all", "quoted"):
        s = scores[subset]
        lines.append(f"{subset:8} {s['gold']:>6} {s['predicted']:>6} {s['matched']:>6} "
                     f"{s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                     f"{s['speaker_accuracy']:>8.3f}")
    lines.append("speaker = accuracy over matched quotes whose gold quote has a speaker")
    if scores.get("names"):
        from .evaluate_names import format_names
        lines += [""] + format_names(scores["names"])
    return "\n".join(lines)


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    before = text[max(0, start - width):start]
    after = text[end:end + width]
    return " ".join(f"…{before}[[{text[start:end]}]]{after}…".split())


def format_errors(scores: dict, subset: str = "all") -> str:
    """Missed, spurious and wrong-speaker quotes with context (needs evaluate_file's output)."""
    texts = {a.get("id"): a["text"] for a in scores.get("gold_articles", [])}
    out = []
    for err in scores["errors"]:
        if err["subset"] != subset:
            continue
        text = texts.get(err["article"], "")
        if err["kind"] == "missed":
            g = err["gold"]
            out.append(f"MISSED   {err['article']} {g.get('type')} cue={g.get('cue')!r} "
                       f"speaker={g.get('speaker')!r}\n    {_snippet(text, g['start'], g['end'])}")
        elif err["kind"] == "spurious":
            p = err["predicted"]
            out.append(f"SPURIOUS {err['article']} {p.get('type')} cue={(p.get('cue') or {}).get('text')!r} "
                       f"speaker={(p.get('speaker') or {}).get('text')!r}\n"
                       f"    {_snippet(text, p['start'], p['end'])}")
        else:
            g, p = err["gold"], err["predicted"]
            out.append(f"SPEAKER  {err['article']} gold={g.get('speaker')!r} "
                       f"predicted={(p.get('speaker') or {}).get('text')!r}"
                       f"/{(p.get('speaker') or {}).get('name')!r}\n"
                       f"    {_snippet(text, g['start'], g['end'])}")
    return "\n".join(out)


def full_report(scores: dict, errors: bool = False, by_rule: bool = False, exact: bool = False) -> str:
    """The printed report: errors first (long), then the tables asked for, the summary last."""
    from .evaluate_exact import exact_scores, format_exact
    from .evaluate_rules import by_rule_scores, format_by_rule

    parts = []
    if errors:
        parts += [f"=== errors ({subset}) ===\n{format_errors(scores, subset)}" for subset in ("all", "quoted")]
    if errors and scores.get("names"):
        from .evaluate_names import format_name_errors
        parts.append("=== wrong names ===\n" + "\n".join(format_name_errors(scores["names"])))
    if by_rule:
        rules = by_rule_scores(scores["gold_articles"], scores["predictions"])
        parts.append("\n".join(format_by_rule(rules)))
    if exact:
        parts.append("\n".join(format_exact(exact_scores(scores["gold_articles"], scores["predictions"]))))
    return "\n\n".join(parts + [format_report(scores)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.evaluate",
                                     description="Score quote extraction against a gold JSONL file.")
    parser.add_argument("gold", help="gold JSONL file")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--errors", action="store_true",
                        help="also print missed, spurious and wrong-speaker quotes with context")
    parser.add_argument("--by-rule", action="store_true",
                        help="also score each rule: quotes, precision, share of true positives, missed cues")
    parser.add_argument("--exact", action="store_true",
                        help="also print exact-span F1 per role (content, source, cue), trimmed")
    args = parser.parse_args(argv)
    scores = evaluate_file(args.gold, limit=args.limit)
    print(full_report(scores, errors=args.errors, by_rule=args.by_rule, exact=args.exact))
    return 0


if __name__ == "__main__":
    sys.exit(main())
