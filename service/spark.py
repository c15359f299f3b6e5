"""Quote harvesting at cluster scale: the CLI's extraction as a PySpark job.

    python -m service.spark --input crawl/*.warc.gz --output s3a://bucket/quotes [--master URL]
    python -m service.spark bank --input s3a://bucket/quotes --output s3a://bucket/bank
    spark-submit service/spark.py --input articles.jsonl --output quotes.parquet

Reads JSONL (id, text), Parquet (id/text columns) or WARC[.gz] from any path Spark can read,
extracts inside `mapPartitions` (the model loaded once per executor Python process, articles
batched through nlp.pipe; see service.bulk.partitions), and writes the same flat Parquet rows as
`quotewire extract --output X.parquet`, with an explicit schema. Records that cannot be read or
extracted go to an errors output (JSON lines: id, reason) instead of failing the job.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter

from service import limits
from service.bulk.partitions import ERROR, ROW, WARNING, PartitionCounts, extract_partition, totals
from service.bulk.readers import (HTML_SUFFIXES, JSONL_SUFFIXES, WARC_SUFFIXES, article_from_fields,
                                  html_file_article, parse_jsonl_line, warc_bytes_articles)
from service.bulk.schema import spark_schema
from service.nlp import DEFAULT_BATCH_SIZE
from service.nlp.kinds import KINDS_LIST, KINDS_REPEATED, left_out_summary, parse_kinds_option

FORMATS = ("jsonl", "parquet", "warc", "html")
PARTITIONS_PER_CORE = 4          # small tasks balance the load; the model is cached per process
MAX_ROWS_PER_FILE = 1_000_000    # keeps output files a manageable size on big runs
DEFAULT_ARTICLE_TIMEOUT = 10.0   # seconds per article, as in the API and the CLI


def guess_format(path: str) -> str:
    """jsonl | parquet | warc | html from the path's name, or from the files in a local directory."""
    names = [path.lower().rstrip("/")]
    if os.path.isdir(path):
        names = sorted(n.lower() for n in os.listdir(path) if not n.startswith(("_", ".")))
    for name in names:
        if name.endswith(WARC_SUFFIXES):
            return "warc"
        if name.endswith(".parquet"):
            return "parquet"
        if name.endswith(HTML_SUFFIXES):
            return "html"
        if name.endswith(JSONL_SUFFIXES + (".json", ".json.gz")):
            return "jsonl"
    raise ValueError(f"{path}: cannot tell the input format from its name; pass --format")


def html_file_id(uri: str, root: str) -> str:
    """The id of an .html file read by Spark: its path inside the input directory `root`, or its
    name when the input was the file itself (as `quotewire extract` names them)."""
    local = uri.removeprefix("file://") if uri.startswith("file:///") else uri.removeprefix("file:")
    prefix = root.rstrip("/") + "/"
    return local[len(prefix):] if local.startswith(prefix) else local.rsplit("/", 1)[-1]


def read_records(spark, path: str, fmt: str):
    """An RDD of Article / Failure records from the input."""
    if fmt == "jsonl":
        from pyspark.sql.functions import input_file_name

        lines = spark.read.text(path).select(input_file_name().alias("file"), "value").rdd
        return (lines.filter(lambda row: row.value.strip())
                .map(lambda row: parse_jsonl_line(row.value, f"{row.file}: {row.value[:60]}")))
    if fmt == "parquet":
        from pyspark.sql.functions import col, input_file_name

        table = spark.read.parquet(path)
        frame = table.select(input_file_name().alias("file"), col("id").cast("string").alias("id"),
                             col("text"))
        return frame.rdd.map(lambda row: article_from_fields(
            {"id": row.id, "text": row.text}, row.file))
    if fmt == "warc":
        files = spark.sparkContext.binaryFiles(path)
        return files.flatMap(lambda pair: warc_bytes_articles(pair[1], pair[0]))
    if fmt == "html":   # ids as the CLI gives them: the path inside the input directory
        root = os.path.abspath(path) if "://" not in path else path.rstrip("/")
        files = spark.sparkContext.binaryFiles(path)
        return (files.filter(lambda pair: pair[0].lower().endswith(HTML_SUFFIXES))
                .map(lambda pair: html_file_article(pair[1], html_file_id(pair[0], root))))
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def run_job(spark, input_path: str, output_path: str, errors_path: str | None = None,
            fmt: str | None = None, partitions: int | None = None,
            batch_size: int = DEFAULT_BATCH_SIZE,
            article_timeout: float = DEFAULT_ARTICLE_TIMEOUT,
            kinds: tuple[str, ...] | None = None) -> dict:
    """Extract quotes from input_path into output_path (Parquet); returns row, error and
    not-English counts (articles not in English are listed in the errors output with the warning)
    and, with `kinds`, the quotes of other kinds it left out, by kind ("left_out").
    An article that takes longer than `article_timeout` seconds (per 100,000 characters; 0: no
    limit) is stopped and listed with the errors."""
    from pyspark import StorageLevel

    fmt = fmt or guess_format(input_path)
    errors_path = errors_path or output_path.rstrip("/") + "_errors"
    records = read_records(spark, input_path, fmt)
    wanted = partitions or spark.sparkContext.defaultParallelism * PARTITIONS_PER_CORE
    if records.getNumPartitions() < wanted:
        records = records.repartition(wanted)  # one gzipped file or WARC is one split: spread it out

    counts = spark.sparkContext.accumulator({}, PartitionCounts())

    def extract(index, partition):   # counted as it is extracted: the totals need no second pass
        tally = Counter()
        yield from extract_partition(partition, batch_size, article_timeout, kinds, tally)
        counts.add({index: tally})

    outcomes = (records.mapPartitionsWithIndex(extract)
                .persist(StorageLevel.MEMORY_AND_DISK))  # written twice: rows, then errors
    try:
        rows = outcomes.filter(lambda kv: kv[0] == ROW).map(lambda kv: kv[1])
        (spark.createDataFrame(rows, spark_schema()).write.mode("overwrite")
         .option("maxRecordsPerFile", MAX_ROWS_PER_FILE).parquet(output_path))
        # the errors output lists every article that gave no rows for a reason: failed, or not English
        errors = outcomes.filter(lambda kv: kv[0] in (ERROR, WARNING)).map(lambda kv: kv[1])
        error_frame = spark.createDataFrame(errors, "id string, reason string")
        error_frame.coalesce(1).write.mode("overwrite").json(errors_path)
    finally:
        outcomes.unpersist()
    tallies, left_out = totals(counts.value)   # counted as the rows were made, in the same pass
    result = {"rows": tallies[ROW], "errors": tallies[ERROR], "not_english": tallies[WARNING]}
    return {**result, "left_out": left_out} if kinds else result


def build_session(master: str | None = None, app_name: str = "quotewire", conf: dict | None = None):
    """A SparkSession; under spark-submit the master comes from there unless --master is given."""
    from pyspark.sql import SparkSession

    # Executors run the same Python as the driver unless the cluster says otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m service.spark", description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="JSONL, Parquet or WARC path (globs, dirs, s3a://...)")
    parser.add_argument("--output", required=True, help="Parquet output path (one row per quote)")
    parser.add_argument("--errors", default=None, help="errors output (default: OUTPUT_errors)")
    parser.add_argument("--format", choices=FORMATS, default=None, help="input format (default: by name)")
    parser.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's or local[*])")
    parser.add_argument("--partitions", type=limits.argparse_type(limits.partitions), default=None,
                        help=f"spread input over at least this many tasks, 1 to {limits.MAX_PARTITIONS:,} "
                             f"(default: cores x {PARTITIONS_PER_CORE})")
    parser.add_argument("--batch-size", type=limits.argparse_type(limits.batch_size),
                        default=DEFAULT_BATCH_SIZE,
                        help=f"texts per nlp.pipe batch (1 to {limits.MAX_BATCH_SIZE})")
    parser.add_argument("--article-timeout", type=limits.argparse_type(limits.article_timeout),
                        default=DEFAULT_ARTICLE_TIMEOUT,
                        help="seconds one article may take (per 100,000 characters); an article "
                             "over it goes to the errors output. 0: no limit, at most "
                             f"{limits.MAX_ARTICLE_TIMEOUT_S:,} (default: %(default)s)")
    parser.add_argument("--kinds", type=limits.argparse_type(parse_kinds_option), action=KindsOnce,
                        default=None, help=f"keep only quotes of these kinds, comma-separated in one --kinds "
                             f"({KINDS_LIST}; default: all); the summary counts the quotes left out")
    return parser.parse_args(argv)


class KindsOnce(argparse.Action):
    """--kinds may be given once: a repeat is a usage error, neither an override nor a merge."""

    def __call__(self, parser, namespace, values, option_string=None):
        if getattr(namespace, self.dest) is not None:
            parser.error(f"{option_string} {KINDS_REPEATED}")
        setattr(namespace, self.dest, values)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bank"]:  # the quote bank over the rows (service.bank.spark_job)
        from service.bank.spark_job import main as bank_main

        return bank_main(argv[1:])
    args = parse_args(argv)
    started = time.perf_counter()
    spark = build_session(args.master)
    running = time.perf_counter()
    try:
        counts = run_job(spark, args.input, args.output, args.errors, args.format,
                         args.partitions, args.batch_size, args.article_timeout, args.kinds)
    finally:
        spark.stop()
    done = time.perf_counter()
    print(f"quotewire spark: {counts['rows']} quote rows{left_out_summary(counts.get('left_out', {}))}, "
          f"{counts['errors']} errors, "
          f"{counts['not_english']} articles not English -> {args.output} "
          f"(start-up {running - started:.1f} s, job {done - running:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
