"""Extraction of a chunk of records, shared by the CLI's workers and the Spark job's partitions.

The engine is used only through `service.nlp.extract` (nlp.pipe batching). A chunk that fails is
re-run one article at a time, so a single bad article becomes a Failure instead of sinking its
neighbours.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple

from service.nlp import extract

from .readers import html_to_text
from .records import Article, Failure

REASON_MAX_CHARS = 300


class Extracted(NamedTuple):
    id: str
    result: dict       # {"quotes": [...], "speakers": [...]} as the engine returns it
    meta: dict


def with_text(item: Article | Failure) -> Article | Failure:
    """Turn a WARC page's HTML into article text; pass everything else through."""
    if isinstance(item, Failure) or item.text is not None:
        return item
    try:
        text = html_to_text(item.html or b"")
    except Exception as exc:  # noqa: BLE001  (any extractor crash is this page's failure only)
        return Failure(item.id, f"HTML extraction failed: {describe(exc)}")
    if not text or not text.strip():
        return Failure(item.id, "no article text found in the HTML page")
    return Article(item.id, text, item.meta)


def describe(exc: BaseException) -> str:
    first_line = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first_line}"[:REASON_MAX_CHARS]


def extract_chunk(nlp, items: Iterable[Article | Failure], batch_size: int = 16
                  ) -> list[Extracted | Failure]:
    """One outcome per input item, in order."""
    prepared = [with_text(item) for item in items]
    articles = [item for item in prepared if isinstance(item, Article)]
    if not articles:
        return prepared
    try:
        results = list(extract(nlp, [a.text for a in articles], batch_size=batch_size))
        outcomes = iter(_outcome(a, r) for a, r in zip(articles, results))
    except Exception:  # noqa: BLE001  (find the article(s) that failed, keep the rest)
        outcomes = iter([_extract_one(nlp, a) for a in articles])
    return [item if isinstance(item, Failure) else next(outcomes) for item in prepared]


def _extract_one(nlp, article: Article) -> Extracted | Failure:
    try:
        (result,) = extract(nlp, [article.text], batch_size=1)
    except Exception as exc:  # noqa: BLE001
        return Failure(article.id, f"extraction failed: {describe(exc)}")
    return _outcome(article, result)


def _outcome(article: Article, result: dict) -> Extracted | Failure:
    """The engine never raises for an article; it names the failure in result["error"]."""
    if result.get("error"):
        return Failure(article.id, f"extraction failed: {result['error']}"[:REASON_MAX_CHARS])
    return Extracted(article.id, result, article.meta)
