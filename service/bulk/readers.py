"""Readers: files of news articles -> a stream of Article (or Failure) records, in file order.

Formats, chosen by name: JSONL (`id` and `text` or `html`, other fields kept as metadata; `-` is
stdin), CSV with `id`/`text` columns, Parquet with `id`/`text` columns, a directory of `.txt` and
`.html` files (id = path inside the directory) or a single `.txt` or `.html` file, and WARC /
WARC.gz crawls of news pages (id = the record's target URI). HTML (decoded by its declared
charset) becomes article text in the worker, with service.html, as in the API. A record that
cannot be read becomes a Failure and the stream goes on.
"""
from __future__ import annotations

import base64
import csv
import datetime
import decimal
import gzip
import io
import json
import math
import os
import re
import sys
import zlib
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from ..html import decode_html
from .records import Article, Failure

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_SUFFIXES = (".html", ".htm")
HTML_TYPES = ("text/html", "application/xhtml+xml")
STDIN = "-"
MAX_INT_DIGITS = 4300   # Python's limit for int(str): longer JSON integers are kept as strings
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def input_format(path: str) -> str:
    """jsonl | csv | parquet | txt | html | txtdir | warc, from the path's name (or its being a
    directory)."""
    name = path.lower()
    if path == STDIN or name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    for fmt in ("csv", "parquet", "txt"):
        if name.endswith("." + fmt):
            return fmt
    if Path(path).is_dir():
        return "txtdir"
    raise ValueError(f"{path}: unknown input format (expected .jsonl, .csv, .parquet, .txt, .html, "
                     f".warc, .warc.gz, a directory of .txt and .html files, or - for stdin)")


def input_problem(path: str) -> str | None:
    """Why an input cannot be read at all -- missing, unreadable, of unknown format, a CSV or
    Parquet file without id and text columns -- or None. (Bad records inside a readable file are
    the readers' Failures instead.)"""
    if path == STDIN:
        return None
    try:
        fmt = input_format(path)
    except ValueError as exc:
        return str(exc) if os.path.exists(path) else f"{path}: no such file or directory"
    if not os.path.exists(path):
        return f"{path}: no such file or directory"
    if fmt != "txtdir" and os.path.isdir(path):
        return f"{path}: is a directory, not a {fmt} file"
    try:
        if fmt == "csv":
            return _csv_header_problem(path)
        if fmt == "parquet":
            return _parquet_columns_problem(path)
        if fmt != "txtdir":
            with open(path, "rb") as stream:
                stream.read(1)
        elif not os.access(path, os.R_OK | os.X_OK):
            return f"{path}: directory not readable"
    except OSError as exc:
        return f"{path}: cannot read: {exc.strerror or exc}"
    return None


def _csv_header_problem(path: str) -> str | None:
    with open(path, encoding="utf-8", errors="replace", newline="") as stream:
        header = next(csv.reader(stream), [])
    if not {"id", "text"} <= set(header):
        return f"{path}: CSV needs a header with id and text columns (found: {', '.join(header)[:200]})"
    return None


def _parquet_columns_problem(path: str) -> str | None:
    import pyarrow.lib
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except pyarrow.lib.ArrowException as exc:
        return f"{path}: not a readable Parquet file: {exc}"
    if not {"id", "text"} <= set(names):
        return f"{path}: Parquet input needs id and text columns (found: {', '.join(names)[:200]})"
    return None


def read_inputs(paths: Iterable[str]) -> Iterator[Article | Failure]:
    """Every record of every input, in order. An unreadable file is one Failure, not a crash."""
    readers = {"jsonl": read_jsonl, "csv": read_csv, "parquet": read_parquet, "txt": read_txt_file,
               "html": read_txt_file, "txtdir": read_txt_dir, "warc": read_warc}
    for path in paths:
        try:
            reader = readers[input_format(path)]
        except ValueError as exc:
            yield Failure(path, str(exc))
            continue
        try:
            yield from reader(path)
        except OSError as exc:
            yield Failure(path, f"cannot read file: {exc}")


# --- one record -> Article | Failure (also used by the Spark job) ---------------------------------

def article_from_fields(fields: object, where: str) -> Article | Failure:
    """A mapping with `id` and `text` or `html` -> Article (other fields become metadata, made
    JSON-safe). An integer id stays an integer (a CMS's article number comes back as it was given)."""
    if not isinstance(fields, dict):
        return Failure(where, "record is not an object with id and text")
    article_id = fields.get("id")
    if isinstance(article_id, bool) or not isinstance(article_id, (str, int)) or article_id == "":
        return Failure(where, "record has no usable id")
    if isinstance(article_id, str) and LONE_SURROGATE.search(article_id):
        return Failure(where, "id has an unpaired surrogate (not Unicode text)")
    body = "html" if "html" in fields else "text"
    if body == "html" and "text" in fields:
        return Failure(article_id, "record has both text and html (send one)")
    value = fields.get(body)
    if not isinstance(value, str) or isinstance(value, LongInteger):
        return Failure(article_id, f"record has no {body} (a string)")
    if not value.strip():
        return Failure(article_id, f"empty {body}")
    surrogate = LONE_SURROGATE.search(value)
    if surrogate:
        return Failure(article_id, f"{body} has an unpaired surrogate at offset {surrogate.start()} "
                                   "(not Unicode text)")
    meta = {json_safe(k): json_safe(v) for k, v in fields.items() if k not in ("id", body)}
    if body == "html":
        return Article(article_id, None, meta, html=value)   # its text is extracted in the worker
    return Article(article_id, value, meta)


def json_safe(value):
    """Metadata as JSON can carry it, whatever the input format held: NaN and infinities become
    null, dates and times ISO strings, decimals strings (no precision lost), bytes base64, lone
    surrogates U+FFFD; containers are converted all the way down."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", str(value))
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, int)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(json_safe(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value) if value.is_finite() else None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return json_safe(str(value))


class LongInteger(str):
    """A JSON integer too long for int(), kept as its digits (written back out as a string)."""


def _int_or_digits(digits: str) -> int | str:
    return int(digits) if len(digits.lstrip("-")) <= MAX_INT_DIGITS else LongInteger(digits)


def parse_jsonl_line(line: bytes | str, where: str) -> Article | Failure:
    """One JSONL line -> Article, or Failure naming `where` (file:line) when it is malformed."""
    try:
        if isinstance(line, bytes):
            line = line.decode("utf-8")
        fields = json.loads(line, parse_int=_int_or_digits)
    except UnicodeDecodeError as exc:
        return Failure(where, f"not UTF-8: {exc.reason} at byte {exc.start}")
    except json.JSONDecodeError as exc:
        return Failure(where, f"malformed JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return Failure(where, "malformed JSON: nested too deeply to be an article")
    return article_from_fields(fields, where)


# --- formats --------------------------------------------------------------------------------------

def _open_binary(path: str) -> BinaryIO:
    if path == STDIN:
        return sys.stdin.buffer
    if path.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def read_jsonl(path: str) -> Iterator[Article | Failure]:
    name = "<stdin>" if path == STDIN else path
    if path != STDIN and path.lower().endswith(".gz"):
        problem = gzip_problem(path)
        if problem:  # a damaged member can decompress to garbage before its checksum fails
            yield Failure(name, f"corrupt gzip file, none of its records read: {problem}")
            return
    stream = _open_binary(path)
    try:
        for lineno, line in enumerate(stream, start=1):
            if line.strip():
                yield parse_jsonl_line(line, f"{name}:{lineno}")
    except (EOFError, gzip.BadGzipFile, OSError, zlib.error) as exc:  # truncated or corrupt .gz
        yield Failure(name, f"cannot read the rest of the file: {exc}")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def gzip_problem(path: str) -> str | None:
    """Why a gzip file cannot be trusted (its checksums are only at the end of each member), or None."""
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(1 << 20):
                pass
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def read_csv(path: str) -> Iterator[Article | Failure]:
    csv.field_size_limit(2**31 - 1)  # article texts are longer than csv's 128 KiB default
    # utf-8-sig: a byte-order mark (as spreadsheets write) is not part of the first column's name.
    with open(path, encoding="utf-8-sig", newline="") as stream:
        try:
            # strict: a quoted field that is never closed is an error at the end of the file, not
            # one last record that quietly swallows all those after it.
            rows = csv.DictReader(stream, strict=True)
            if not rows.fieldnames or not {"id", "text"} <= set(rows.fieldnames):
                yield Failure(path, "CSV needs a header with id and text columns")
                return
            for row in rows:
                yield article_from_fields(row, f"{path}:{rows.line_num}")
        except UnicodeDecodeError as exc:
            yield Failure(path, f"not UTF-8 from byte {exc.start} on; rest of file skipped")
        except csv.Error as exc:
            yield Failure(path, f"malformed CSV in the record ending at line {rows.line_num}: {exc} "
                                "(a quoted field never closed?); rest of file skipped")


def read_parquet(path: str) -> Iterator[Article | Failure]:
    import pyarrow.lib
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
        if not {"id", "text"} <= set(table.schema_arrow.names):
            yield Failure(path, "Parquet input needs id and text columns")
            return
        number = 0  # across batches: the row's place in the file
        for batch in table.iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                yield article_from_fields(row, f"{path}:row {number}")
                number += 1
    except pyarrow.lib.ArrowException as exc:
        yield Failure(path, f"not a readable Parquet file: {exc}")


def html_file_article(data: bytes, article_id: str) -> Article:
    """An .html file's bytes (decoded by the charset the page declares) as an Article whose text
    is extracted in the worker (also how the Spark job reads .html files)."""
    return Article(article_id, None, {}, html=decode_html(data))


def _txt_article(path: Path, article_id: str) -> Article | Failure:
    try:
        if path.suffix.lower() in HTML_SUFFIXES:
            return html_file_article(path.read_bytes(), article_id)
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return Failure(article_id, f"not UTF-8: {exc.reason} at byte {exc.start}")
    except OSError as exc:
        return Failure(article_id, f"cannot read file: {exc}")
    if not text.strip():
        return Failure(article_id, "empty text")
    return Article(article_id, text, {})


def read_txt_file(path: str) -> Iterator[Article | Failure]:
    yield _txt_article(Path(path), Path(path).name)


def read_txt_dir(path: str) -> Iterator[Article | Failure]:
    root = Path(path)
    for file in sorted(p for p in root.rglob("*") if p.is_file()
                       and p.suffix.lower() in (".txt", *HTML_SUFFIXES)):
        yield _txt_article(file, file.relative_to(root).as_posix())


def read_warc(path: str) -> Iterator[Article | Failure]:
    with open(path, "rb") as stream:
        yield from warc_articles(stream, path)


def warc_articles(stream: BinaryIO, source: str) -> Iterator[Article | Failure]:
    """HTML pages of a WARC (plain or gzipped) as Articles carrying the page; other records skipped."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        for record in ArchiveIterator(stream):
            page = _html_page(record)
            if not _read_to_end(record):  # an interrupted download: never yield half a page
                yield Failure(source, "truncated WARC: the file ends inside a record; rest skipped")
                return
            if page is not None:
                yield page
    except Exception as exc:  # warcio raises all sorts (even AttributeError) on damaged bytes
        yield Failure(source, f"corrupt WARC, rest of file skipped: {type(exc).__name__}: {exc}")
        return
    # warcio also stops quietly when the file ends inside a record's header.
    if stream.seekable() and not _warc_complete(stream):
        yield Failure(source, "truncated WARC: the file ends inside a record; rest skipped")


def _read_to_end(record) -> bool:
    """Reads what is left of a record; False when the file ended before its Content-Length."""
    while record.raw_stream.read(1 << 16):
        pass
    return getattr(record.raw_stream, "limit", 0) == 0


def _warc_complete(stream: BinaryIO) -> bool:
    """A gzipped WARC must decompress to its end-of-stream marker; a plain one must end with the
    blank lines that close every record."""
    stream.seek(0)
    if stream.read(2) == b"\x1f\x8b":
        stream.seek(0)
        try:
            with gzip.GzipFile(fileobj=stream) as members:
                while members.read(1 << 20):
                    pass
        except (EOFError, OSError):
            return False
        return True
    size = stream.seek(0, io.SEEK_END)
    stream.seek(max(0, size - 4))
    return stream.read() == b"\r\n\r\n"


def _declared_charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type)
    return match.group(1) if match else None


def _html_page(record) -> Article | None:
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    if headers is None:
        return None
    if record.rec_type == "response" and not (headers.get_statuscode() or "").startswith("2"):
        return None
    content_type = (headers.get_header("Content-Type") or "").lower()
    if not content_type.startswith(HTML_TYPES):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    meta = {"url": uri, "warc_date": record.rec_headers.get_header("WARC-Date")}
    page = decode_html(record.content_stream().read(), _declared_charset(content_type))
    return Article(uri, None, meta, html=page)


def warc_bytes_articles(data: bytes, source: str) -> Iterator[Article | Failure]:
    """`warc_articles` over a whole file already in memory (how Spark's binaryFiles hands it over)."""
    return warc_articles(io.BytesIO(data), source)
