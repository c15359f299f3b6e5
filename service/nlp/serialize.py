"""The one serialization of engine results, shared by the API, the CLI and the Spark job."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Iterable

from spacy.tokens import Doc

from .records import Quote

# Flat per-quote columns for Parquet (CLI and Spark write exactly these, in this order).
ROW_COLUMNS = (
    "article_id", "quote_id", "type", "text", "start", "end",
    "speaker_name", "speaker_text", "speaker_start", "speaker_end", "speaker_kind", "speaker_title",
    "cue_text", "cue_lemma", "agency_name", "addressee_text", "confidence",
)


def _part(record) -> dict | None:
    return None if record is None else asdict(record)


def quote_dict(quote_id: str, quote: Quote) -> dict[str, Any]:
    return {
        "id": quote_id,
        "type": quote.type,
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "speaker": _part(quote.speaker),
        "cue": _part(quote.cue),
        "agency": _part(quote.agency),
        "addressee": _part(quote.addressee),
        "rule": quote.rule,
        "confidence": round(quote.confidence, 3),
    }


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


def article_result(article_id: str | None, result: dict, meta: dict | None = None) -> dict[str, Any]:
    """The API's result object for one article (also one line of the CLI's JSONL output)."""
    return {"id": article_id, "quotes": result["quotes"], "speakers": result["speakers"],
            "meta": meta or {}}


def quote_rows(article_id: str, result: dict) -> Iterable[dict[str, Any]]:
    """One flat row per quote, for Parquet output (see ROW_COLUMNS)."""
    for q in result["quotes"]:
        speaker, cue = q["speaker"] or {}, q["cue"] or {}
        yield {
            "article_id": article_id, "quote_id": q["id"], "type": q["type"], "text": q["text"],
            "start": q["start"], "end": q["end"],
            "speaker_name": speaker.get("name"), "speaker_text": speaker.get("text"),
            "speaker_start": speaker.get("start"), "speaker_end": speaker.get("end"),
            "speaker_kind": speaker.get("kind"), "speaker_title": speaker.get("title"),
            "cue_text": cue.get("text"), "cue_lemma": cue.get("lemma"),
            "agency_name": (q["agency"] or {}).get("name"),
            "addressee_text": (q["addressee"] or {}).get("text"),
            "confidence": q["confidence"],
        }
