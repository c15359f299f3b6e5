"""Crash-safe writers: JSONL (one API result object per article), Parquet and CSV (one row per quote).

JSONL is appended whole lines at a time and fsynced per chunk; on --resume a torn last line (from
a power cut mid-write) is cut off and the ids of the complete lines are skipped.

Parquet cannot be appended to, and a file without its footer is unreadable, so the rows go to
numbered part files in `OUT.parts/`, each written to a temporary name and renamed into place
(each part records in its metadata the ids of all articles it covers, including those without
quotes). On completion the parts are merged into `OUT.tmp`, which is renamed to `OUT`. A crash at
any point leaves either no OUT or a complete one, and the parts for --resume.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from pathlib import Path

from service.nlp.serialize import ROW_COLUMNS, article_result, quote_rows

from .extraction import Extracted
from .records import Failure
from .schema import arrow_schema

STDOUT = "-"
IDS_KEY = b"quotewire.article_ids"


def refuse_overwriting_inputs(output: str, inputs, errors_path: str | None = None) -> None:
    """ValueError when the output (or the errors file) is one of the inputs, by name or by inode
    (a link, another path to the same file): opening it for writing would empty the input."""
    written = [(flag, path) for flag, path in (("--output", output), ("--errors", errors_path))
               if path and path != STDOUT]
    for source in inputs:
        if source == "-":
            continue
        for flag, path in written:
            if _same_file(source, path):
                raise ValueError(f"{flag} {path} is also an input ({source}): writing it would "
                                 "destroy what is being read")


def refuse_unwritable(flag: str, path: str | None) -> None:
    """ValueError when no file can be written at `path` (checked before the output is opened, so
    that a mistyped name there empties nothing): its directory missing, or it is a directory."""
    if not path:
        return
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"{flag} {path}: is a directory")
    if not target.parent.is_dir():
        raise ValueError(f"{flag} {path}: there is no directory {target.parent}")
    if not os.access(target if target.exists() else target.parent, os.W_OK):
        raise ValueError(f"{flag} {path}: permission denied")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet): the same only if the names resolve alike
        return Path(a).resolve() == Path(b).resolve()


def open_writer(path: str, resume: bool = False, checkpoint_every: int = 2000):
    """The writer for OUT by its extension: .jsonl, .parquet, .csv, or - (JSONL on stdout)."""
    if path == STDOUT:
        if resume:
            raise ValueError("--resume needs an output file, not stdout")
        return StdoutWriter()
    if path.lower().endswith((".jsonl", ".ndjson")):
        return JsonlWriter(path, resume)
    if path.lower().endswith(".parquet"):
        return ParquetWriter(path, resume, checkpoint_every)
    if path.lower().endswith(".csv"):
        if resume:
            raise ValueError("--resume works with .jsonl and .parquet output, not .csv")
        return CsvWriter(path)
    raise ValueError(f"{path}: output must end in .jsonl, .parquet or .csv (or be - for stdout)")


def jsonl_line(item: Extracted) -> str:
    """One result as a line of strict JSON (allow_nan=False: NaN is not JSON) that encodes as UTF-8:
    the API's result object (for an HTML article with its `text` and `title`, as the API's)."""
    result = article_result(item.id, item.result, item.meta)
    line = json.dumps(result, ensure_ascii=False, allow_nan=False) + "\n"
    line.encode("utf-8")  # raises on a lone surrogate, before anything is written
    return line


def jsonl_lines(items: list[Extracted]) -> tuple[str, list[Failure]]:
    """The lines of the items that can be written, and a Failure for each that cannot (the
    readers make metadata JSON-safe; this is the last guard, so one record never stops a run)."""
    lines, failures = [], []
    for item in items:
        try:
            lines.append(jsonl_line(item))
        except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
            failures.append(Failure(item.id, f"result cannot be written as JSON: {type(exc).__name__}: "
                                             f"{str(exc)[:120]}"))
    return "".join(lines), failures


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class StdoutWriter:
    done_ids: frozenset = frozenset()

    def write(self, items: list[Extracted]) -> list[Failure]:
        text, failures = jsonl_lines(items)
        sys.stdout.write(text)
        sys.stdout.flush()
        return failures

    def checkpoint(self) -> None:
        sys.stdout.flush()

    def close(self) -> None:
        sys.stdout.flush()


class JsonlWriter:
    def __init__(self, path: str, resume: bool):
        self.path = Path(path)
        self.done_ids = self._recover() if resume and self.path.exists() else set()
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC)
        self._fd = os.open(self.path, flags, 0o644)

    def _recover(self) -> set[str]:
        """Ids (as strings) of the complete lines; a torn last line is truncated away."""
        done, good_bytes = set(), 0
        with open(self.path, "rb") as stream:
            for line in stream:
                if not line.endswith(b"\n"):
                    break
                try:
                    done.add(str(json.loads(line)["id"]))
                except (ValueError, KeyError, TypeError):
                    break  # a torn line that happens to end in a newline: drop it and the rest
                good_bytes += len(line)
        if good_bytes < self.path.stat().st_size:
            os.truncate(self.path, good_bytes)
        return done

    def write(self, items: list[Extracted]) -> list[Failure]:
        text, failures = jsonl_lines(items)
        data = text.encode("utf-8")
        while data:
            written = os.write(self._fd, data)
            data = data[written:]
        os.fsync(self._fd)
        return failures

    def checkpoint(self) -> None:
        os.fsync(self._fd)

    def close(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)


# Spreadsheets run cells starting with these as formulas; article text is untrusted, so such
# cells get a leading apostrophe (as in the page's CSV export, service/web/static/highlight.js).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """A cell as the page's CSV export writes it: empty for null, 0.9 not 0.90, 1 not 1.0."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class CsvWriter:
    """One row per quote with the Parquet columns, in the page's CSV dialect (CRLF line ends,
    quoted only where needed); fsynced per chunk. No --resume: rows of articles without quotes
    leave no trace to resume from."""
    done_ids: frozenset = frozenset()

    def __init__(self, path: str):
        self._file = open(path, "w", encoding="utf-8", newline="")
        self._rows = csv.writer(self._file)
        self._rows.writerow(ROW_COLUMNS)

    def write(self, items: list[Extracted]) -> list[Failure]:
        for item in items:
            self._rows.writerows([csv_cell(row[column]) for column in ROW_COLUMNS]
                                 for row in quote_rows(item.id, item.result, item.meta))
        self.checkpoint()
        return []  # the article columns are strings; csv writes any str the readers let through

    def checkpoint(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self.checkpoint()
        self._file.close()


class ParquetWriter:
    def __init__(self, path: str, resume: bool, part_articles: int = 2000):
        self.path = Path(path)
        self.parts = self.path.with_name(self.path.name + ".parts")
        self.part_articles = part_articles
        self.schema = arrow_schema()
        self._rows: list[dict] = []
        self._ids: list[str] = []
        if not resume:
            shutil.rmtree(self.parts, ignore_errors=True)
        self.parts.mkdir(parents=True, exist_ok=True)
        if resume and self.path.exists() and not self._part_files():
            self._adopt_finished_output()
        self.done_ids = self._recover_parts()
        self._next_part = len(self._part_files())

    def _part_files(self) -> list[Path]:
        return sorted(self.parts.glob("part-*.parquet"))

    def _adopt_finished_output(self) -> None:
        """Resuming after a finished run: its file becomes part 0, to be merged with what is new."""
        import pyarrow.parquet as pq

        table = pq.read_table(self.path, schema=self.schema)
        ids = list(dict.fromkeys(table.column("article_id").to_pylist()))
        self._write_part(table, ids, number=0)

    def _recover_parts(self) -> set[str]:
        import pyarrow.parquet as pq

        for leftover in self.parts.glob("*.tmp"):
            leftover.unlink()  # a part that was being written when the run died
        done: set[str] = set()
        for part in self._part_files():
            metadata = pq.read_schema(part).metadata or {}
            done.update(json.loads(metadata.get(IDS_KEY, b"[]")))
        return done

    def _write_part(self, table, ids: list[str], number: int) -> None:
        import pyarrow.parquet as pq

        final = self.parts / f"part-{number:06d}.parquet"
        temporary = final.with_suffix(".tmp")
        table = table.replace_schema_metadata({IDS_KEY: json.dumps(ids).encode("utf-8")})
        pq.write_table(table, temporary)
        with open(temporary, "rb") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, final)
        _fsync_dir(self.parts)

    def write(self, items: list[Extracted]) -> list[Failure]:
        for item in items:
            self._rows.extend(quote_rows(item.id, item.result, item.meta))
            self._ids.append(str(item.id))
        if len(self._ids) >= self.part_articles:
            self.checkpoint()
        return []  # the article columns are strings; readers refuse ids and fields not Unicode

    def checkpoint(self) -> None:
        """Save the rows gathered so far as a part (what --resume starts from)."""
        import pyarrow as pa

        if not self._ids:
            return
        table = pa.Table.from_pylist(self._rows, schema=self.schema)
        self._write_part(table, self._ids, self._next_part)
        self._next_part += 1
        self._rows, self._ids = [], []

    def close(self) -> None:
        """Merge the parts into OUT atomically, then drop them."""
        import pyarrow.parquet as pq

        self.checkpoint()
        temporary = self.path.with_name(self.path.name + ".tmp")
        with pq.ParquetWriter(temporary, self.schema) as merged:
            for part in self._part_files():
                merged.write_table(pq.read_table(part, schema=self.schema))
        with open(temporary, "rb") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, self.path)
        _fsync_dir(self.path.parent.resolve())
        shutil.rmtree(self.parts)
