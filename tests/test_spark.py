"""The Spark job in local[2] against real Spark: the same rows as the CLI, errors kept aside,
the explicit schema, and the model loaded once per executor process."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bulk_data import ROOT, dense_quotes_text, seed_articles, seed_warc, write_jsonl
from service.bulk.schema import arrow_schema
from service.nlp.serialize import ROW_COLUMNS

pytestmark = pytest.mark.slow

BAD_LINES = (b'{"id": "broken", "text": ', b'{"id": "no-text"}')


@pytest.fixture(scope="session")
def spark():
    from service.spark import build_session

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = build_session("local[2]", "quotewire-tests", {
        "spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "2"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def jsonl_input(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spark-in")
    return write_jsonl(folder / "articles.jsonl", seed_articles(), extra_lines=BAD_LINES)


def sorted_rows(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(row[c] for c in ROW_COLUMNS) for row in rows)


def cli_rows(inputs, out) -> list[dict]:
    """The CLI's Parquet rows, from a fresh process (as the Spark workers are) so both sides run
    the same engine code."""
    done = subprocess.run([sys.executable, "-m", "service.cli", "extract", *map(str, inputs),
                           "-o", str(out), "-w", "1", "--no-progress"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return pq.read_table(out).to_pylist()


def spark_rows(path) -> list[dict]:
    return pq.read_table(path, schema=arrow_schema()).to_pylist()


def read_errors(path) -> dict[str, str]:
    records = [json.loads(line) for part in sorted(path.glob("part-*.json"))
               for line in part.read_text().splitlines()]
    return {r["id"]: r["reason"] for r in records}


def test_spark_writes_exactly_the_cli_rows_and_keeps_bad_records_aside(spark, jsonl_input, tmp_path):
    from service.spark import run_job

    expected = cli_rows([jsonl_input], tmp_path / "cli.parquet")
    counts = run_job(spark, str(jsonl_input), str(tmp_path / "quotes"))
    got = spark_rows(tmp_path / "quotes")
    assert expected and sorted_rows(got) == sorted_rows(expected)
    assert counts == {"rows": len(expected), "errors": 2, "not_english": 0}
    errors = read_errors(tmp_path / "quotes_errors")
    assert errors["no-text"] == "record has no text (a string)"
    (broken,) = [reason for key, reason in errors.items() if key != "no-text"]
    assert "malformed JSON" in broken


def test_an_article_not_in_english_gives_no_rows_and_is_listed_with_its_warning(spark, tmp_path):
    from service.spark import run_job

    source = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "de", "text": "„Wir schaffen das“, sagte Merkel."},
        {"id": "en", "text": '"It was a team effort," Kane said.'}])
    counts = run_job(spark, str(source), str(tmp_path / "quotes"))
    assert counts == {"rows": 1, "errors": 0, "not_english": 1}
    assert [row["article_id"] for row in spark_rows(tmp_path / "quotes")] == ["en"]
    (warning,) = read_errors(tmp_path / "quotes_errors").values()
    assert "German, not English" in warning


def test_output_has_the_flat_schema_with_explicit_types(spark, jsonl_input, tmp_path):
    from service.spark import run_job

    run_job(spark, str(jsonl_input), str(tmp_path / "quotes"), partitions=3)
    files = sorted((tmp_path / "quotes").glob("part-*.parquet"))
    assert files
    for file in files:
        schema = pq.read_schema(file)
        assert tuple(schema.names) == ROW_COLUMNS
        assert [f.type for f in schema] == [f.type for f in arrow_schema()]
    assert pa.types.is_int64(arrow_schema().field("start").type)


def test_parquet_input_gives_the_same_rows(spark, tmp_path):
    from service.spark import run_job

    articles = [{"id": a["id"], "text": a["text"]} for a in seed_articles()]
    pq.write_table(pa.Table.from_pylist(articles), tmp_path / "articles.parquet")
    expected = cli_rows([tmp_path / "articles.parquet"], tmp_path / "cli.parquet")
    run_job(spark, str(tmp_path / "articles.parquet"), str(tmp_path / "quotes"))
    assert sorted_rows(spark_rows(tmp_path / "quotes")) == sorted_rows(expected)


def test_warc_input_gives_the_same_rows(spark, tmp_path):
    from service.spark import run_job

    warc = seed_warc(tmp_path / "crawl.warc.gz")
    expected = cli_rows([warc], tmp_path / "cli.parquet")
    counts = run_job(spark, str(warc), str(tmp_path / "quotes"))
    assert expected and sorted_rows(spark_rows(tmp_path / "quotes")) == sorted_rows(expected)
    assert counts["errors"] == 0


def test_jsonl_html_records_with_integer_ids_give_the_same_rows(spark, tmp_path):
    from html_pages import news_page
    from service.spark import run_job

    from bulk_data import seed_texts
    records = [{"id": number, "html": news_page(text)} for number, text in enumerate(seed_texts().values())]
    source = write_jsonl(tmp_path / "pages.jsonl", records + [{"id": 99, "html": "<nav>Home</nav>"}])
    expected = cli_rows([source], tmp_path / "cli.parquet")
    counts = run_job(spark, str(source), str(tmp_path / "quotes"))
    assert len(expected) > 10 and sorted_rows(spark_rows(tmp_path / "quotes")) == sorted_rows(expected)
    assert {row["article_id"] for row in expected} == {"0", "1"}
    assert counts["errors"] == 1
    assert read_errors(tmp_path / "quotes_errors") == {"99": "no article text found in the HTML page"}


def test_a_directory_of_html_files_gives_the_clis_rows_and_ids(spark, tmp_path):
    from html_pages import news_page
    from service.spark import run_job

    from bulk_data import seed_texts
    pages = tmp_path / "pages"   # Spark reads a directory's own files (a glob for subdirectories)
    pages.mkdir()
    for number, text in enumerate(seed_texts().values()):
        (pages / f"story{number}.html").write_text(news_page(text), encoding="utf-8")
    (pages / "notes.txt").write_text("not a page", encoding="utf-8")
    expected = cli_rows([pages], tmp_path / "cli.parquet")
    run_job(spark, str(pages), str(tmp_path / "quotes"), fmt="html")
    got = spark_rows(tmp_path / "quotes")
    assert {row["article_id"] for row in got} == {"story0.html", "story1.html"}
    assert sorted_rows(got) == sorted_rows([row for row in expected if row["article_id"] != "notes.txt"])


def test_executors_apply_the_per_article_time_limit(spark, jsonl_input, tmp_path):
    """PySpark runs mapPartitions in its Python worker's main thread, where SIGALRM can stop an
    article: with a 0.1 ms limit every article is stopped and listed with the errors, and the job
    still succeeds (were the limit not applied, the articles would give rows)."""
    from service.spark import run_job

    counts = run_job(spark, str(jsonl_input), str(tmp_path / "quotes"), article_timeout=0.0001)
    articles = seed_articles()
    assert counts == {"rows": 0, "errors": len(articles) + len(BAD_LINES), "not_english": 0}
    errors = read_errors(tmp_path / "quotes_errors")
    for article in articles:
        assert errors[article["id"]].startswith("timed out: took longer than the 0.0001 s time limit")


def test_only_the_slow_article_is_stopped_on_an_executor(spark, tmp_path):
    from service.spark import run_job

    normal = [{"id": a["id"], "text": a["text"]} for a in seed_articles()[:8]]
    slow = {"id": "slow", "text": dense_quotes_text()}
    source = write_jsonl(tmp_path / "in.jsonl", normal[:3] + [slow] + normal[3:])
    expected = cli_rows([write_jsonl(tmp_path / "normal.jsonl", normal)], tmp_path / "cli.parquet")
    counts = run_job(spark, str(source), str(tmp_path / "quotes"), partitions=2, batch_size=2,
                     article_timeout=0.25)
    assert counts == {"rows": len(expected), "errors": 1, "not_english": 0}
    assert sorted_rows(spark_rows(tmp_path / "quotes")) == sorted_rows(expected)
    assert read_errors(tmp_path / "quotes_errors") == {"slow": (
        "timed out: took longer than the 0.25 s time limit for an article of 99,000 characters")}


def test_model_is_loaded_once_per_executor_process(spark):
    def load_and_report(_):
        import os as worker_os

        from service.bulk import partitions

        partitions.executor_pipeline()
        yield worker_os.getpid(), partitions.model_loads

    reports = spark.sparkContext.parallelize(range(12), 12).mapPartitions(load_and_report).collect()
    assert len(reports) == 12
    assert {loads for _, loads in reports} == {1}  # every process reused its model
    assert len({pid for pid, _ in reports}) < 12  # processes ran several tasks each


def test_command_line_job(jsonl_input, tmp_path):
    """`python -m service.spark` as a user runs it (its own Spark in local[2])."""
    out = tmp_path / "quotes"
    done = subprocess.run([sys.executable, "-m", "service.spark", "--input", str(jsonl_input),
                           "--output", str(out), "--master", "local[2]"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = spark_rows(out)
    assert f"{len(rows)} quote rows, 2 errors" in done.stderr
    assert "start-up" in done.stderr
    assert len(read_errors(tmp_path / "quotes_errors")) == 2


def test_the_counts_and_what_kinds_left_out_take_no_pass_of_their_own(spark, jsonl_input, tmp_path):
    """The totals are counted as the partitions are extracted (an accumulator), so the job runs
    the same Spark jobs with --kinds as without, and no more than its two writes need."""
    from service.spark import run_job

    def jobs_and_counts(name, **options):
        spark.sparkContext.setJobGroup(name, name)
        try:
            counts = run_job(spark, str(jsonl_input), str(tmp_path / name), **options)
        finally:
            spark.sparkContext.setJobGroup("", "")
        return len(spark.sparkContext.statusTracker().getJobIdsForGroup(name)), counts

    all_jobs, everything = jobs_and_counts("all")
    kinds_jobs, speech = jobs_and_counts("speech", kinds=("speech",))
    rows = spark_rows(tmp_path / "speech")
    assert kinds_jobs == all_jobs
    assert speech["rows"] == len(rows) and {row["kind"] for row in rows} == {"speech"}
    assert speech["rows"] + sum(speech["left_out"].values()) == everything["rows"]
    assert "speech" not in speech["left_out"] and speech["errors"] == everything["errors"] == 2
    print("Spark jobs per run:", all_jobs)
