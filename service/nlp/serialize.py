"""The one serialization of engine results, shared by the API, the CLI and the Spark job.

A quote's JSON is its record (service.nlp.records) with an id; its flat row columns are derived
from the record's fields: top-level fields by name, a nested record's parts as `part_field`.
"""
from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Iterable, NamedTuple
from urllib.parse import urlsplit

from spacy.tokens import Doc

from .records import Quote, is_record, shape


class Column(NamedTuple):
    name: str
    path: tuple[str, ...]    # where its value is in a quote's JSON
    type: type               # str, int or float


def record_columns(record: type) -> tuple[Column, ...]:
    """The flat columns of a record: its scalar fields by name, and the parts of a nested record
    that its field's `columns` metadata names, as `field_part`. A list is one cell of JSON text
    ("fragments": '[{"text": ..., "start": ..., "end": ...}]')."""
    columns = []
    for part in shape(record):
        if part.many:
            columns.append(Column(part.name, (part.name,), str))
            continue
        if not is_record(part.type):
            columns.append(Column(part.name, (part.name,), part.type))
            continue
        kept = part.metadata.get("columns", ())
        columns += [Column(f"{part.name}_{sub.name}", (part.name, sub.name), sub.type)
                    for sub in shape(part.type) if sub.name in kept and not sub.many]
    return tuple(columns)


# Flat per-quote columns for Parquet (CLI and Spark write exactly these, in this order).
QUOTE_COLUMNS = (Column("quote_id", ("id",), str), *record_columns(Quote))
# The article's metadata on each of its quote rows (see `article_metadata`; None where absent).
ARTICLE_COLUMNS = ("article_url", "article_date", "source")
ROW_COLUMNS = ("article_id", *(column.name for column in QUOTE_COLUMNS), *ARTICLE_COLUMNS)
ROW_TYPES = {"article_id": str, **{column.name: column.type for column in QUOTE_COLUMNS},
             **{name: str for name in ARTICLE_COLUMNS}}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def quote_dict(quote_id: str, quote: Quote) -> dict[str, Any]:
    return {"id": quote_id, **json_ready(quote), "confidence": round(quote.confidence, 3)}


def json_ready(value: Any) -> Any:
    """A record as JSON-ready values: dicts for records, lists for tuples (as JSON reads back)."""
    if is_dataclass(value):
        return {f.name: json_ready(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    return value


def speaker_roster(quotes: list[dict]) -> list[dict]:
    """Each canonical speaker once, in order of first quote, with the ids of their quotes."""
    roster: dict[str, dict] = {}
    for quote in quotes:
        speaker = quote["speaker"]
        if speaker is None:
            continue
        entry = roster.setdefault(speaker["name"], {
            "name": speaker["name"], "title": speaker["title"], "kind": speaker["kind"], "quotes": []})
        entry["title"] = entry["title"] or speaker["title"]
        entry["quotes"].append(quote["id"])
    return list(roster.values())


def quotes_result(quotes: Iterable[Quote]) -> dict[str, Any]:
    """The result for one article's Quote records: {"quotes": [...], "speakers": [...]}."""
    dicts = [quote_dict(f"q{i}", q) for i, q in enumerate(quotes, start=1)]
    return {"quotes": dicts, "speakers": speaker_roster(dicts)}


def doc_result(doc: Doc) -> dict[str, Any]:
    """The result for one parsed article: {"quotes": [...], "speakers": [...]}."""
    return quotes_result(doc._.quotes or [])


def engine_meta(nlp) -> dict[str, str]:
    """Which model and service version made a result (the API adds its elapsed_ms)."""
    from service import __version__

    meta = nlp.meta
    return {"model": f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}",
            "model_version": meta.get("version", "unknown"), "version": __version__}


# What a result carries besides its quotes when the input had it: an HTML page's article text
# (what start/end index) and headline (service.html.with_html_offsets).
PAGE_FIELDS = ("text", "title")


def article_result(article_id: str | None, result: dict, meta: dict | None = None) -> dict[str, Any]:
    """The API's result object for one article (also one line of the CLI's JSONL output), with
    the page's `text` and `title` where the result has them."""
    return {"id": article_id, "quotes": result["quotes"], "speakers": result["speakers"],
            "meta": meta or {}, **{key: result[key] for key in PAGE_FIELDS if key in result}}


def iso_date(value: Any) -> str | None:
    """YYYY-MM-DD from an ISO timestamp or an RFC 2822 date ("Mon, 03 Jun 2013 10:00:00 GMT")."""
    text = str(value).strip() if value not in (None, "") else ""
    if _ISO_DATE.match(text):
        return text[:10]
    try:
        return parsedate_to_datetime(text).date().isoformat() if text else None
    except (TypeError, ValueError, IndexError):
        return None


def article_metadata(meta: dict) -> dict[str, str | None]:
    """article_url, article_date, source from an article's input fields: `url`; `date`, else
    `published` (also the page's own date in a crawled page), else `warc_date`; `source`, else
    the url's domain. The fields are the record's own, or under `input` in a result's meta."""
    if isinstance(meta.get("input"), dict):
        meta = meta["input"]
    url = meta.get("url")
    url = str(url) if url not in (None, "") else None
    date = next((meta[k] for k in ("date", "published", "warc_date") if meta.get(k)), None)
    source = meta.get("source")
    if source in (None, "") and url:
        host = urlsplit(url).hostname or ""
        source = host[4:] if host.startswith("www.") else host or None
    return {"article_url": url, "article_date": iso_date(date),
            "source": None if source in (None, "") else str(source)}


def quote_rows(article_id: str | int, result: dict, meta: dict | None = None
               ) -> Iterable[dict[str, Any]]:
    """One flat row per quote, for Parquet output (see ROW_COLUMNS); an integer id becomes a string
    there, as the column is one. `meta`: the article's input fields (default: the result object's
    own `meta`)."""
    article = article_metadata((result.get("meta") or {}) if meta is None else meta)
    for quote in result["quotes"]:
        yield {"article_id": None if article_id is None else str(article_id),
               **{column.name: _value_at(quote, column.path) for column in QUOTE_COLUMNS},
               **article}


def _value_at(value: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if value is None:
            return None
        value = value[key]
    # compact, as the page's JSON.stringify writes it: both doors give the same cell
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if isinstance(value, list) else value
