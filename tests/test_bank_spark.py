"""The bank as a Spark job in local[2]: the same three tables as `quotewire bank` on the same rows."""
from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from bulk_data import ROOT, seed_articles, write_jsonl
from service.bank.tables import SCHEMAS
from service.cli import main
from test_bank import syndicated_rows, write_quote_rows
from test_spark import spark  # noqa: F401  (the session-wide local[2] Spark)

pytestmark = pytest.mark.slow


def table_rows(folder, name: str) -> list[dict]:
    return pq.read_table(folder / name, schema=SCHEMAS[name]()).to_pylist()


def sorted_rows(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def cli_bank(inputs, out) -> None:
    result = CliRunner().invoke(main, ["bank", *map(str, inputs), "-o", str(out)])
    assert result.exit_code == 0, result.output


def assert_same_bank(cli_folder, spark_folder) -> None:
    for name in SCHEMAS:
        expected = table_rows(cli_folder, name)
        assert expected and sorted_rows(table_rows(spark_folder, name)) == sorted_rows(expected), name


def test_spark_bank_is_the_cli_bank(spark, tmp_path, monkeypatch):  # noqa: F811
    from service.bank.spark_job import run_bank_job

    rows = syndicated_rows()
    write_quote_rows(tmp_path / "a.parquet", rows[:4])
    write_quote_rows(tmp_path / "b.parquet", rows[4:])
    inputs = [tmp_path / "a.parquet", tmp_path / "b.parquet"]
    cli_bank(inputs, tmp_path / "cli")
    broadcast, sent = spark.sparkContext.broadcast, []
    monkeypatch.setattr(spark.sparkContext, "broadcast", lambda value: sent.append(value) or broadcast(value))
    counts = run_bank_job(spark, [str(p) for p in inputs], str(tmp_path / "spark"))
    # The clusters, the final clusters and the speakers each go to the executors once.
    tables = [part for value in sent for part in (value if isinstance(value, tuple) else (value,))]
    assert len(tables) == len({id(table) for table in tables}) == 3
    assert_same_bank(tmp_path / "cli", tmp_path / "spark")
    assert counts["rows"] == len(rows) and counts["skipped"] == 0
    conflicts = [q for q in table_rows(tmp_path / "spark", "quotes.parquet") if q["conflict"]]
    assert len(conflicts) == 1 and "email" in conflicts[0]["text"]


def test_spark_bank_reads_jsonl_results_and_counts_bad_lines(spark, tmp_path):  # noqa: F811
    from service.bank.spark_job import run_bank_job

    articles = [dict(a, date="2013-11-18T09:00:00Z") for a in seed_articles()[:6]]
    source = write_jsonl(tmp_path / "articles.jsonl", articles)
    results = tmp_path / "results.jsonl"
    subprocess.run([sys.executable, "-m", "service.cli", "extract", str(source), "-o", str(results),
                    "-w", "1", "--no-progress"], cwd=ROOT, check=True, capture_output=True)
    with open(results, "a", encoding="utf-8") as out:
        out.write('{"id": "broken", \n')
    cli_bank([results], tmp_path / "cli")
    counts = run_bank_job(spark, [str(results)], str(tmp_path / "spark"))
    assert_same_bank(tmp_path / "cli", tmp_path / "spark")
    members = table_rows(tmp_path / "spark", "members.parquet")
    assert counts["skipped"] == 1 and counts["rows"] == len(members) > 5
    quotes = table_rows(tmp_path / "spark", "quotes.parquet")
    assert {q["first_date"] for q in quotes} == {"2013-11-18"}
    assert {s for q in quotes for s in q["sources"]} == {a["source"] for a in articles}


def test_command_line_bank_job(tmp_path):
    write_quote_rows(tmp_path / "rows.parquet", syndicated_rows())
    done = subprocess.run([sys.executable, "-m", "service.spark", "bank", "--input",
                           str(tmp_path / "rows.parquet"), "--output", str(tmp_path / "bank"),
                           "--master", "local[2]"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    clusters = len(table_rows(tmp_path / "bank", "quotes.parquet"))
    assert f"{len(syndicated_rows())} quote rows -> {clusters} clusters" in done.stderr
