"""The bank's files: quote rows in (what `quotewire extract` writes), the bank directory out, and
the printed summary.

Inputs: Parquet quote rows (a file, or a directory of part files as the Spark job writes) and the
JSONL result objects of `quotewire extract -o OUT.jsonl` (one article per line). A line or file
that cannot be read is reported, never silently dropped.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, NamedTuple

from .tables import INPUT_COLUMNS, MEMBERS, QUOTES, REQUIRED_COLUMNS, SCHEMAS, SPEAKERS

SUMMARY_TOP = 5
SUMMARY_TEXT_CHARS = 70


class Skipped(NamedTuple):
    where: str
    reason: str


def empty_columns() -> dict[str, list]:
    return {column: [] for column in INPUT_COLUMNS}


def read_parquet_rows(path: str, columns: dict[str, list]) -> None:
    import pyarrow.parquet as pq

    dataset = pq.ParquetDataset(path)
    present = set(dataset.schema.names)
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        raise ValueError(f"{path}: not quote rows (no {', '.join(missing)} column)")
    table = dataset.read(columns=[c for c in INPUT_COLUMNS if c in present])
    size = table.num_rows
    for column in INPUT_COLUMNS:
        columns[column].extend(shared_values(table.column(column)) if column in present
                               else [None] * size)


def shared_values(column) -> list:
    """A column as Python strings, one object per distinct value: syndicated rows repeat their
    sources, dates, names and whole quotes, which then take their memory once."""
    encoded = column.cast("string").combine_chunks().dictionary_encode()
    values = encoded.dictionary.to_pylist() + [None]
    return [values[i] for i in encoded.indices.fill_null(len(values) - 1).to_numpy().tolist()]


def jsonl_line_rows(line: str) -> list[dict]:
    """The quote rows of one JSONL result object (ValueError when it is not one)."""
    from service.nlp.serialize import quote_rows

    result = json.loads(line)
    if not isinstance(result, dict) or not isinstance(result.get("quotes"), list) \
            or result.get("id") in (None, ""):
        raise ValueError("not a quotewire result object (id, quotes)")
    return list(quote_rows(str(result["id"]), result))  # with the article columns from its meta


def read_jsonl_rows(path: str, columns: dict[str, list], skipped: list[Skipped]) -> None:
    with open(path, encoding="utf-8", errors="strict") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                rows = jsonl_line_rows(line)
            except KeyError as exc:
                skipped.append(Skipped(f"{path}:{number}", f"a quote without the field {exc} "
                                                           "(results of another quotewire version?)"))
                continue
            except (ValueError, TypeError, AttributeError) as exc:
                skipped.append(Skipped(f"{path}:{number}", str(exc)[:200]))
                continue
            for row in rows:
                for column in INPUT_COLUMNS:
                    value = row.get(column)
                    columns[column].append(None if value is None else str(value))


def read_quote_rows(paths, report: Callable[[Skipped], None]) -> dict[str, list]:
    """All quote rows of all inputs, as columns."""
    columns = empty_columns()
    for path in paths:
        skipped: list[Skipped] = []
        name = path.lower().rstrip("/")
        try:
            if name.endswith((".jsonl", ".ndjson")):
                read_jsonl_rows(path, columns, skipped)
            elif name.endswith(".parquet") or os.path.isdir(path):
                read_parquet_rows(path, columns)
            else:
                skipped.append(Skipped(path, "expected quote rows: .parquet (file or directory) "
                                             "or .jsonl from quotewire extract"))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            skipped.append(Skipped(path, f"cannot read: {exc}"[:300]))
        except Exception as exc:  # noqa: BLE001  (pyarrow's errors: a damaged file is this file's failure)
            skipped.append(Skipped(path, f"not readable Parquet: {type(exc).__name__}: {exc}"[:300]))
        for item in skipped:
            report(item)
    return columns


def write_table(path: Path, rows_or_columns, schema) -> None:
    """Written under a temporary name and renamed, so a crash never leaves half a table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if isinstance(rows_or_columns, dict):
        table = pa.Table.from_pydict(rows_or_columns, schema=schema)
    else:
        table = pa.Table.from_pylist(rows_or_columns, schema=schema)
    temporary = path.with_name(path.name + ".tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, path)


def write_bank(bank, output: str) -> None:
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    write_table(folder / QUOTES, bank.quotes, SCHEMAS[QUOTES]())
    write_table(folder / SPEAKERS, bank.speakers, SCHEMAS[SPEAKERS]())
    write_table(folder / MEMBERS, bank.members, SCHEMAS[MEMBERS]())


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_TEXT_CHARS else text[:SUMMARY_TEXT_CHARS - 1] + "…"


def summary_lines(quotes: list[dict], speakers: list[dict], rows: int, wordless: int = 0) -> list[str]:
    """The printed summary: totals, the largest clusters, the most quoted speakers, conflicts.
    `wordless`: rows without words (refusals to comment), which are in no cluster."""
    repeated = sum(1 for q in quotes if q["n_articles"] > 1)
    conflicts = [q for q in quotes if q["conflict"]]
    lines = [f"{rows} quote rows -> {len(quotes)} quote clusters ({repeated} in more than one "
             f"article), {len(speakers)} speakers, {len(conflicts)} conflicts"]
    if wordless:
        lines.append(f"{wordless} rows without words (refusals to comment) are in no cluster")
    lines.append("largest clusters:")
    by_size = sorted(quotes, key=lambda q: (-q["n_articles"], -q["n_quotes"], q["cluster_id"]))
    lines += [f"  {q['n_articles']:>6} articles {q['n_sources']:>4} sources  "
              f"{q['speaker_name'] or '(no speaker)'}: \"{_short(q['text'])}\""
              for q in by_size[:SUMMARY_TOP]]
    lines.append("speakers with most quotes:")
    lines += [f"  {s['n_quotes']:>6} quotes {s['n_clusters']:>6} clusters  {s['name']} ({s['kind']})"
              for s in speakers[:SUMMARY_TOP]]
    if conflicts:
        lines.append("conflicts (copies disagree on who said it):")
        for q in sorted(conflicts, key=lambda q: (-q["n_articles"], q["cluster_id"]))[:SUMMARY_TOP]:
            said_by = ", ".join(f"{v['name']} x{v['count']}" for v in q["speakers"])
            lines.append(f"  \"{_short(q['text'])}\" — {said_by}")
    return lines
