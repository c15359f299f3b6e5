"""Exact-span F1 per role (content, source, cue): the protocol of the published PolNeAR results
(CofeNet, COLING 2022: BERT on PolNeAR test, source 83.2, cue 75.3, content 72.9).

Each role's spans are compared as sets per article (a sequence labeller marks each span once, so a
speaker mention shared by two quotes is one source span). A predicted span is right when, after
trimming whitespace, quote marks and edge punctuation from both, it has exactly a gold span's
offsets. A span that is nothing but such characters (a ":" cue) is kept as it is.

- content: the quote's words; an interrupted quote counts as its fragments (the gold's
  `meta.fragments`, the prediction's `fragments` when it has them), else its start..end.
- source: the gold speaker_start..speaker_end; the predicted speaker mention's start..end.
- cue: the prediction's cue offsets. The gold cue is a text, located by `meta.cue_start` /
  `meta.cue_end` where they hold that text; where they hold its words with others between (GUM:
  "reports have revealed" for the cue "reports revealed"), each word is a cue span; else the cue
  is its occurrence (at word edges) nearest to the gold speaker mention, or to the quote when the
  quote has no speaker.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Iterator

ROLES = ("content", "source", "cue")
_QUOTE_MARKS = "\"'`«»‹›“”„‟‘’‚‛"

Span = tuple[int, int]


def _is_edge(char: str) -> bool:
    return char.isspace() or char in _QUOTE_MARKS or unicodedata.category(char).startswith("P")


def trimmed(text: str, start: int, end: int) -> Span:
    """start..end without edge whitespace, quote marks and punctuation (unchanged if that is all)."""
    inner_start, inner_end = start, end
    while inner_start < inner_end and _is_edge(text[inner_start]):
        inner_start += 1
    while inner_end > inner_start and _is_edge(text[inner_end - 1]):
        inner_end -= 1
    return (inner_start, inner_end) if inner_start < inner_end else (start, end)


def _distance(span: Span, anchor: Span) -> int:
    return max(0, anchor[0] - span[1], span[0] - anchor[1])


def _word_pattern(words: str) -> str:
    """`words` as a regex that matches only at word edges."""
    return (r"(?<!\w)" if words[0].isalnum() else "") + re.escape(words) + \
        (r"(?!\w)" if words[-1].isalnum() else "")


def _words_in_order(text: str, start: int, end: int, words: list[str]) -> list[Span] | None:
    spans, at = [], start
    for word in words:
        found = re.compile(_word_pattern(word)).search(text, at, end)
        if not found:
            return None
        spans.append(found.span())
        at = found.end()
    return spans


def gold_cue_spans(text: str, quote: dict) -> list[Span]:
    """Where the gold quote's cue text is (see the module docstring); [] without a cue."""
    cue = " ".join((quote.get("cue") or "").split())
    if not cue:
        return []
    meta = quote.get("meta") or {}
    start, end = meta.get("cue_start"), meta.get("cue_end")
    if start is not None and end is not None:
        if " ".join(text[start:end].split()) == cue:
            return [(start, end)]
        pieces = _words_in_order(text, start, end, cue.split())  # a cue with words between
        if pieces:
            return pieces
    found = [m.span() for m in re.finditer(_word_pattern(cue), text)]
    if not found:
        return []
    if quote.get("speaker_start") is not None:
        anchor = (quote["speaker_start"], quote["speaker_end"])
    else:
        anchor = (quote["start"], quote["end"])
    return [min(found, key=lambda span: _distance(span, anchor))]


def gold_spans(article: dict) -> dict[str, set[Span]]:
    text, spans = article["text"], {role: set() for role in ROLES}
    for quote in article.get("quotes") or []:
        pieces = (quote.get("meta") or {}).get("fragments") or [(quote["start"], quote["end"])]
        spans["content"].update(trimmed(text, s, e) for s, e in pieces)
        if quote.get("speaker_start") is not None:
            spans["source"].add(trimmed(text, quote["speaker_start"], quote["speaker_end"]))
        spans["cue"].update(trimmed(text, s, e) for s, e in gold_cue_spans(text, quote))
    return spans


def predicted_spans(text: str, result: dict) -> dict[str, set[Span]]:
    spans = {role: set() for role in ROLES}
    for quote in result.get("quotes") or []:
        pieces = [(f["start"], f["end"]) for f in quote.get("fragments") or []] or \
            [(quote["start"], quote["end"])]
        spans["content"].update(trimmed(text, s, e) for s, e in pieces)
        for role, part in (("source", quote.get("speaker")), ("cue", quote.get("cue"))):
            if part and part.get("start") is not None:
                spans[role].add(trimmed(text, part["start"], part["end"]))
    return spans


def _f1(matched: int, gold: int, predicted: int) -> dict:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"gold": gold, "predicted": predicted, "matched": matched,
            "precision": precision, "recall": recall, "f1": f1}


def exact_scores(gold_articles: Iterable[dict], predictions: Iterable[dict]) -> dict[str, dict]:
    """Per role: gold / predicted / matched span counts, precision, recall and F1."""
    counts = {role: [0, 0, 0] for role in ROLES}  # matched, gold, predicted
    for article, result in zip(gold_articles, predictions):
        gold, pred = gold_spans(article), predicted_spans(article["text"], result or {})
        for role in ROLES:
            counts[role][0] += len(gold[role] & pred[role])
            counts[role][1] += len(gold[role])
            counts[role][2] += len(pred[role])
    return {role: _f1(*counts[role]) for role in ROLES}


def format_exact(scores: dict[str, dict]) -> Iterator[str]:
    yield "exact-span (trimmed) per role:"
    yield f"{'':8} {'gold':>6} {'pred':>6} {'match':>6} {'P':>6} {'R':>6} {'F1':>6}"
    for role in ROLES:
        s = scores[role]
        yield (f"{role:8} {s['gold']:>6} {s['predicted']:>6} {s['matched']:>6} "
               f"{s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}")
    yield "published (CofeNet, COLING 2022, BERT, PolNeAR test): source .832, cue .753, content .729"
