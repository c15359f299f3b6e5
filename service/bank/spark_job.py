"""The bank as a Spark job: the same clusters, speakers and ids as `quotewire bank`.

    python -m service.spark bank --input quotes/ --output bank/ [--master local[2]]

Executors do the per-row and per-pair work: normalising texts, the MinHash signatures of the word
shingles of every distinct text and their LSH bands (the one-machine door's own functions, so
both doors check exactly the same candidate pairs; `pyspark.ml.feature.MinHashLSH`, with its own
hash functions, found a slightly different set near the threshold and so, now and then, a
different cluster), the band join, the exact check of every candidate pair, the fragment anchor
join, and building and writing the rows of the three tables. The driver links the checked pairs
into clusters and resolves speakers, with the same functions as the one-machine door, over what
it collects: the checked pairs (a text without a near-duplicate or fragment is its own cluster
and is not collected), one entry per distinct speaker name, per (article, person name) and per
(cluster, person name) — much less than the quote rows on a syndicated crawl, but the last two
grow with the articles and have to fit in the driver's memory.
"""
from __future__ import annotations

import os

import numpy as np

from .clusters import (attach_fragments, base_clusters, cluster_id, cluster_record,
                       speaker_record)
from .files import jsonl_line_rows
from .local import BAND_ROWS, key_signatures, telling_bands
from .speakers import PERSON, parse_person, resolve_speakers
from .tables import INPUT_COLUMNS, MEMBERS, QUOTES, REQUIRED_COLUMNS, SCHEMAS, SPEAKERS
from .text import fragment_anchor, is_fragment, is_near_duplicate, quoted_words, text_key, word_pairs

def _udf(function, return_type: str):
    """A plain Python UDF (the Arrow kind needs pandas, which the project does not install)."""
    from pyspark.sql import functions as F

    return F.udf(function, return_type, useArrow=False)


def spark_schema(name: str):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(SCHEMAS[name]())


def _jsonl_rows(line: str) -> list[tuple] | None:
    """The rows of one JSONL result line (INPUT_COLUMNS order); None when it is not one."""
    try:
        rows = jsonl_line_rows(line)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return [tuple(None if row.get(c) is None else str(row.get(c)) for c in INPUT_COLUMNS)
            for row in rows]


def read_rows(spark, paths: list[str]):
    """Quote rows (INPUT_COLUMNS, strings) from Parquet paths and JSONL result files, and the
    number of JSONL lines that were not result objects."""
    from pyspark.sql import functions as F

    frames, skipped = [], 0
    jsonl = [p for p in paths if p.lower().endswith((".jsonl", ".ndjson"))]
    parquet = [p for p in paths if p not in jsonl]
    if parquet:
        table = spark.read.parquet(*parquet)
        missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
        if missing:
            raise ValueError(f"{', '.join(parquet)}: not quote rows (no {', '.join(missing)} column)")
        frames.append(table.select(*[(F.col(c) if c in table.columns else F.lit(None))
                                     .cast("string").alias(c) for c in INPUT_COLUMNS]))
    if jsonl:
        lines = spark.read.text(jsonl).rdd.map(lambda r: r.value).filter(lambda v: v.strip())
        parsed = lines.map(_jsonl_rows).cache()
        skipped = parsed.filter(lambda rows: rows is None).count()
        rows = parsed.flatMap(lambda rows: rows or [])
        frames.append(spark.createDataFrame(rows, ", ".join(f"{c} string" for c in INPUT_COLUMNS)))
    frame = frames[0]
    for other in frames[1:]:
        frame = frame.unionByName(other)
    return frame, skipped


def candidate_pairs(spark, keys_frame):
    """(a, b) key pairs, a < b, whose MinHash signatures share a band: the one-machine door's
    signatures (datasketch's MinHash, made per partition a batch at a time by the same function)
    and its 32 bands of 4 less those of function-word shingles (`telling_bands`), joined on the
    band's values — so both doors check the same candidates."""
    from pyspark.sql import functions as F

    def bands(partition):
        keys = [row.key for row in partition]
        if not keys:
            return
        signatures, common, _ = key_signatures(keys)
        for key, signature, bucketed in zip(keys, signatures, telling_bands(common)):
            for band in np.flatnonzero(bucketed).tolist():
                yield band, signature[band * BAND_ROWS:(band + 1) * BAND_ROWS].tobytes().hex(), key

    buckets = spark.createDataFrame(keys_frame.rdd.mapPartitions(bands),
                                    "band int, bucket string, key string")
    left, right = buckets.alias("l"), buckets.alias("r")
    return (left.join(right, (F.col("l.band") == F.col("r.band"))
                      & (F.col("l.bucket") == F.col("r.bucket")) & (F.col("l.key") < F.col("r.key")))
            .select(F.col("l.key").alias("a"), F.col("r.key").alias("b")).distinct())


def fragment_pairs(spark, key_speakers):
    """(fragment key, containing key) pairs from distinct (key, speaker_id) rows: each possible
    fragment's anchor word pair joined to the word pairs of every text of the same speaker."""
    from pyspark.sql import functions as F

    anchors = key_speakers.withColumn("pair", _udf(fragment_anchor, "string")("key")) \
        .where(F.col("pair").isNotNull()).select("speaker_id", "pair", F.col("key").alias("short"))
    pairs = key_speakers.withColumn(
        "pair", F.explode(_udf(lambda k: sorted(set(word_pairs(k))), "array<string>")("key"))) \
        .select("speaker_id", "pair", F.col("key").alias("long"))
    joined = anchors.join(pairs, ["speaker_id", "pair"]).select("short", "long").distinct()
    return joined.where(_udf(is_fragment, "boolean")("short", "long"))


def run_bank_job(spark, inputs: list[str], output: str) -> dict:
    """Build the bank of the quote rows in `inputs` into the `output` directory; returns counts."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    rows, skipped = read_rows(spark, inputs)
    rows = (rows.withColumn("quoted", _udf(quoted_words, "string")("text", "type", "fragments"))
            .withColumn("key", _udf(text_key, "string")("quoted"))
            .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        keys = rows.select("key").distinct().where(F.col("key") != "") \
            .persist(StorageLevel.MEMORY_AND_DISK)
        near = [(r.a, r.b) for r in candidate_pairs(spark, keys)
                .where(_udf(is_near_duplicate, "boolean")("a", "b")).collect()]
        keys.unpersist()
        # Only texts with a near-duplicate are in `base`; every other text is a cluster of its own.
        base = base_clusters({key for pair in near for key in pair}, near)
        shared_base = spark.sparkContext.broadcast(base)

        people = rows.where(F.col("speaker_name").isNotNull())
        name_counts = {(r.speaker_name, r.speaker_kind): r["count"] for r in
                       people.groupBy("speaker_name", "speaker_kind").count().collect()}
        persons = people.where(F.col("speaker_kind") == PERSON)
        article_names = [tuple(r) for r in
                         persons.select("article_id", "speaker_name", "speaker_kind").distinct().collect()]
        cluster_names = set(persons.where(F.col("key") != "").select(
            "key", "speaker_name", "speaker_kind").rdd.map(lambda r: (
                shared_base.value.get(r.key, r.key), r.speaker_name, r.speaker_kind))
            .distinct().collect())
        resolution = resolve_speakers(name_counts, article_names, cluster_names)
        # Each table is broadcast once, and read by every step that needs it.
        shared_resolution = spark.sparkContext.broadcast(resolution)

        def with_speaker(partition):
            base_of, resolved = shared_base.value, shared_resolution.value
            for r in partition:
                yield r.key, resolved.speaker_of(r.article_id, base_of.get(r.key, r.key),
                                                 r.speaker_name, r.speaker_kind)

        key_speakers = spark.createDataFrame(
            rows.where(F.col("speaker_name").isNotNull() & (F.col("key") != "")).select(
                "key", "article_id", "speaker_name", "speaker_kind").rdd.mapPartitions(with_speaker),
            "key string, speaker_id string").where(F.col("speaker_id").isNotNull()).distinct()
        fragments = [(r.short, r.long) for r in fragment_pairs(spark, key_speakers).collect()]
        final = attach_fragments(dict({key: key for pair in fragments for key in pair}, **base),
                                 fragments)
        counts = _write_tables(spark, rows, shared_base, spark.sparkContext.broadcast(final),
                               shared_resolution, output)
    finally:
        rows.unpersist()
    return dict(counts, skipped=skipped)


def _write_tables(spark, rows, shared_base, shared_final, shared_resolution, output: str) -> dict:
    titles_of: dict = {}

    def enrich(partition):
        base, final, resolved = shared_base.value, shared_final.value, shared_resolution.value
        for r in partition:
            row = r.asDict()
            key = row["key"]
            root = final.get(key, key) or None   # None: a row without words, in no cluster
            name = row["speaker_name"]
            if name and name not in titles_of:
                parsed = parse_person(name)
                titles_of[name] = parsed.titles if parsed else ""
            row.update(root=root, cluster_id=root and cluster_id(root), name_title=titles_of.get(name),
                       speaker_id=resolved.speaker_of(row["article_id"], base.get(key, key) or None,
                                                      name, row["speaker_kind"]))
            yield row

    enriched = rows.rdd.mapPartitions(enrich).cache()
    try:
        speakers_info = shared_resolution.value.speakers
        quotes = (enriched.filter(lambda r: r["root"]).map(lambda r: (r["root"], r)).groupByKey()
                  .map(lambda kv: cluster_record(kv[0], list(kv[1]), speakers_info)))
        speakers = (enriched.filter(lambda r: r["speaker_id"]).map(lambda r: (r["speaker_id"], r))
                    .groupByKey().map(lambda kv: speaker_record(kv[0], list(kv[1]),
                                                                speakers_info[kv[0]])))
        member_columns = SCHEMAS[MEMBERS]().names
        members = enriched.map(lambda r: {c: r[c] for c in member_columns})
        written = {}
        for name, records in ((QUOTES, quotes), (SPEAKERS, speakers), (MEMBERS, members)):
            frame = spark.createDataFrame(records, spark_schema(name))
            frame.write.mode("overwrite").parquet(os.path.join(output, name))
            written[name] = spark.read.parquet(os.path.join(output, name)).count()
    finally:
        enriched.unpersist()
    return {"clusters": written[QUOTES], "speakers": written[SPEAKERS], "rows": written[MEMBERS]}



def parse_args(argv: list[str] | None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m service.spark bank",
                                     description="The quote bank of quote rows, as a Spark job.")
    parser.add_argument("--input", nargs="+", required=True,
                        help="quote rows: Parquet files or directories, JSONL results")
    parser.add_argument("--output", required=True,
                        help="bank directory (quotes.parquet, speakers.parquet, members.parquet)")
    parser.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    import sys
    import time

    from service.spark import PARTITIONS_PER_CORE, build_session

    args = parse_args(argv)
    started = time.perf_counter()
    spark = build_session(args.master, "quotewire-bank")
    # Shuffles sized to the cluster rather than Spark's fixed 200 (tiny tasks on a small bank).
    spark.conf.set("spark.sql.shuffle.partitions",
                   str(spark.sparkContext.defaultParallelism * PARTITIONS_PER_CORE))
    try:
        counts = run_bank_job(spark, args.input, args.output)
    finally:
        spark.stop()
    print(f"quotewire spark bank: {counts['rows']} quote rows -> {counts['clusters']} clusters, "
          f"{counts['speakers']} speakers, {counts['skipped']} input lines skipped -> {args.output} "
          f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0
