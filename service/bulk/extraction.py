"""Extraction of a chunk of records, shared by the CLI's workers and the Spark job's partitions.

The engine is used only through `service.nlp.extract` (nlp.pipe batching). A batch that fails or
runs past its time limit is re-run one article at a time, each under its own limit, so a single
bad or pathological article becomes a Failure instead of sinking its neighbours.
"""
from __future__ import annotations

import math
from contextlib import nullcontext
from itertools import islice
from typing import Iterable, NamedTuple

from service.html import NoArticleText, extract_article, with_html_offsets
from service.nlp import DEFAULT_BATCH_SIZE, MAX_CHUNK_CHARS, batch_or_one_by_one, extract
from service.nlp.kinds import keep_kinds
from service.nlp.serialize import engine_meta
from service.timelimit import TimeLimitExceeded, time_limit

from .records import Article, Failure

REASON_MAX_CHARS = 300


class Extracted(NamedTuple):
    id: str | int
    result: dict       # {"quotes": [...], "speakers": [...]} as the engine returns it
    meta: dict         # the engine's (model, versions) and the input record's under "input"


def of_kinds(outcome: Extracted, kinds: tuple[str, ...] | None) -> Extracted:
    """The outcome with only the quotes of `kinds` (--kinds) and the filter's note in its meta
    under "kinds" (service.nlp.kinds: what was left out); with no kinds, the outcome as it is."""
    result, note = keep_kinds(outcome.result, kinds)
    if note is None:
        return outcome
    return outcome._replace(result=result, meta={**outcome.meta, "kinds": note})


def with_text(item: Article | Failure, article_timeout: float = 0.0) -> Article | Failure:
    """Turn an HTML page into article text, as the API does (service.html; within the article
    time limit, as hostile HTML can be slow too); pass everything else through."""
    if isinstance(item, Failure) or item.text is not None:
        return item
    try:
        with limited(article_timeout):
            page = extract_article(item.html or "")
    except NoArticleText:
        return Failure(item.id, "no article text found in the HTML page")
    except TimeLimitExceeded:
        return Failure(item.id, f"timed out: HTML extraction took longer than the "
                                f"{article_timeout:g} s time limit")
    except Exception as exc:  # noqa: BLE001  (any extractor crash is this page's failure only)
        return Failure(item.id, f"HTML extraction failed: {describe(exc)}")
    meta = dict(item.meta, published=page.published) if page.published else item.meta
    return Article(item.id, page.text, meta, page=page)


def describe(exc: BaseException) -> str:
    first_line = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first_line}"[:REASON_MAX_CHARS]


def article_budget(text: str, article_timeout: float) -> float:
    """Seconds an article may take: the limit per article, and per 100,000 characters for longer
    texts (the engine reads those in pieces of that size, each costing about as much)."""
    return article_timeout * max(1, math.ceil(len(text) / MAX_CHUNK_CHARS))


def limited(seconds: float):
    """A time limit of `seconds`, or none when the limit is off (0). NaN is not read as off: it
    goes on to time_limit, whose ValueError makes it each article's failure, not silently none."""
    return nullcontext() if seconds <= 0 else time_limit(seconds)


def extract_chunk(nlp, items: Iterable[Article | Failure], batch_size: int = DEFAULT_BATCH_SIZE,
                  article_timeout: float = 0.0, kinds: tuple[str, ...] | None = None
                  ) -> list[Extracted | Failure]:
    """One outcome per input item, in order. With `article_timeout` > 0, an article that takes
    longer than that (per 100,000 characters) is a Failure. With `kinds`, each outcome keeps only
    the quotes of those kinds (filtered here, where they are made, as the API filters its
    results: the CLI's workers and Spark's executors hand on only what is kept)."""
    prepared = [with_text(item, article_timeout) for item in items]
    articles = iter([item for item in prepared if isinstance(item, Article)])
    outcomes: list[Extracted | Failure] = []
    while batch := list(islice(articles, batch_size)):
        outcomes += _extract_batch(nlp, batch, batch_size, article_timeout)
    done = iter(outcomes)
    in_order = (item if isinstance(item, Failure) else next(done) for item in prepared)
    return [of_kinds(o, kinds) if isinstance(o, Extracted) else o for o in in_order]


def _extract_batch(nlp, batch: list[Article], batch_size: int, article_timeout: float
                   ) -> list[Extracted | Failure]:
    """One nlp.pipe batch, under the sum of its articles' limits (nlp.pipe parses them together);
    if it fails or runs out of time, each article alone under its own limit."""
    def whole(articles: list[Article]) -> list[Extracted | Failure]:
        budget = sum(article_budget(a.text, article_timeout) for a in articles)  # 0: no limit
        with limited(budget):
            results = list(extract(nlp, [a.text for a in articles], batch_size=batch_size))
        return [_outcome(nlp, a, r) for a, r in zip(articles, results)]

    return batch_or_one_by_one(batch, whole, lambda a: _extract_one(nlp, a, article_timeout),
                               failures=(Exception, TimeLimitExceeded))


def _extract_one(nlp, article: Article, article_timeout: float = 0.0) -> Extracted | Failure:
    budget = article_budget(article.text, article_timeout)
    try:
        with limited(budget):
            (result,) = extract(nlp, [article.text], batch_size=1)
    except TimeLimitExceeded:
        return Failure(article.id, f"timed out: took longer than the {budget:g} s time limit "
                                   f"for an article of {len(article.text):,} characters")
    except Exception as exc:  # noqa: BLE001
        return Failure(article.id, f"extraction failed: {describe(exc)}")
    return _outcome(nlp, article, result)


def _outcome(nlp, article: Article, result: dict) -> Extracted | Failure:
    """The engine never raises for an article; it names the failure in result["error"]."""
    if result.get("error"):
        return Failure(article.id, f"extraction failed: {result['error']}"[:REASON_MAX_CHARS])
    warning = {"warning": result["warning"]} if result.get("warning") else {}   # not English
    if article.page is not None:   # text, title and html_start/html_end, as the API gives them
        result = with_html_offsets(result, article.page)
    return Extracted(article.id, result, {**engine_meta(nlp), **warning, "input": article.meta})
