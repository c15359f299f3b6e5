"""The kinds filter every door shares (the API's "kinds", the CLI's and the Spark job's --kinds):
which kinds of quote a result keeps, and a note of what it left out, so nothing is lost silently.

The kinds themselves are defined once, in records.QUOTE_KINDS. A filtered result keeps its quotes'
ids (q1, q3, ...: the same as without the filter), its speakers' roster is made from the quotes
kept, and its meta gets `kinds`: {"kept": [...], "found": {kind: quotes before the filter},
"left_out": quotes the filter took out}.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from .records import QUOTE_KINDS
from .serialize import speaker_roster

KINDS_LIST = ", ".join(QUOTE_KINDS)


# After "--kinds": a repeated --kinds (CLI, Spark) is refused, as a user may mean the last or both.
KINDS_REPEATED = ("given more than once: name all the kinds in one --kinds, comma-separated "
                  "(--kinds speech,thought)")


class UnknownKinds(ValueError):
    """Kind names that are not kinds (the message names them and the known kinds)."""


def unknown_kind_message(names: Iterable[str]) -> str:
    return f"Unknown kind {', '.join(map(repr, names))}: the kinds are {KINDS_LIST}."


def parse_kinds(names: Iterable[str]) -> tuple[str, ...]:
    """The kinds named, once each, in QUOTE_KINDS order; UnknownKinds for unknown or no names."""
    names = [name.strip() for name in names]
    unknown = [name for name in names if name not in QUOTE_KINDS]
    if unknown:
        raise UnknownKinds(unknown_kind_message(unknown))
    if not names:
        raise UnknownKinds(f"Name at least one kind ({KINDS_LIST}), or leave the filter out for all.")
    return tuple(kind for kind in QUOTE_KINDS if kind in names)


def parse_kinds_option(value: str) -> tuple[str, ...]:
    """--kinds speech,thought (commas, spaces allowed around them)."""
    return parse_kinds([name for name in value.split(",") if name.strip()])


def kind_counts(quotes: Iterable[dict]) -> dict[str, int]:
    """Quotes by kind, in QUOTE_KINDS order, kinds with none left out."""
    counts = Counter(quote["kind"] for quote in quotes)
    return {kind: counts[kind] for kind in QUOTE_KINDS if counts[kind]}


def keep_kinds(result: dict, kinds: tuple[str, ...] | None) -> tuple[dict, dict | None]:
    """(the result with only the quotes of `kinds`, the note of what was left out for its meta);
    with no kinds given, the result as it is and no note."""
    if not kinds:
        return result, None
    kept = [quote for quote in result["quotes"] if quote["kind"] in kinds]
    note = {"kept": list(kinds), "found": kind_counts(result["quotes"]),
            "left_out": len(result["quotes"]) - len(kept)}
    return {**result, "quotes": kept, "speakers": speaker_roster(kept)}, note


def left_out_counts(note: dict | None) -> dict[str, int]:
    """The quotes a filter's note says were left out, by kind."""
    if note is None:
        return {}
    return {kind: n for kind, n in note["found"].items() if kind not in note["kept"]}


def left_out_summary(left_out: dict[str, int]) -> str:
    """" (5 more left out by --kinds: stance 3, thought 2)" for a run's summary line, or ""."""
    if not sum(left_out.values()):
        return ""
    by_kind = ", ".join(f"{kind} {n}" for kind, n in sorted(left_out.items(), key=lambda kv: -kv[1]))
    return f" ({sum(left_out.values())} more left out by --kinds: {by_kind})"
