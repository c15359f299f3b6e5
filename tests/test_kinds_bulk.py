"""--kinds of `quotewire extract` and of the Spark job: the same filter as the API's "kinds"."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from bulk_data import ROOT, write_jsonl
from service.cli import main

# invented sentences, one attribution of each of four kinds per article
ARTICLES = [
    {"id": "a", "text": '"We will not give in," the mayor said. Researchers found that the river had '
                        'risen. The governor criticized the plan.'},
    {"id": "b", "text": "The council plans to build a new bridge. The mayor said it would open in May."},
]


def extract(tmp_path, *args: str):
    source = write_jsonl(tmp_path / "in.jsonl", ARTICLES)
    return CliRunner().invoke(main, ["extract", str(source), "-w", "1", "--no-progress", *args])


def test_cli_keeps_the_kinds_named_and_says_what_it_left_out(tmp_path):
    result = extract(tmp_path, "-o", str(tmp_path / "out.jsonl"), "--kinds", "speech, stance")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [[q["kind"] for q in line["quotes"]] for line in lines] == [["speech", "stance"], ["speech"]]
    assert lines[0]["meta"]["kinds"] == {"kept": ["speech", "stance"], "left_out": 1,
                                         "found": {"speech": 1, "stance": 1, "evidence": 1}}
    assert lines[1]["meta"]["kinds"]["found"] == {"speech": 1, "intention": 1}
    assert "3 quotes (2 more left out by --kinds: " in result.output
    assert "evidence 1" in result.output and "intention 1" in result.output


def test_cli_parquet_rows_are_the_kept_quotes_only(tmp_path):
    result = extract(tmp_path, "-o", str(tmp_path / "out.parquet"), "--kinds", "intention")
    assert result.exit_code == 0, result.output
    rows = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [(r["article_id"], r["kind"], r["cue_text"]) for r in rows] == [("b", "intention", "plans")]


def test_cli_without_kinds_writes_every_kind(tmp_path):
    result = extract(tmp_path, "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert sorted(q["kind"] for line in lines for q in line["quotes"]) == [
        "evidence", "intention", "speech", "speech", "stance"]
    assert all("kinds" not in line["meta"] for line in lines) and "left out" not in result.output


@pytest.mark.parametrize("value, message", [
    ("speech,rumour", "Unknown kind 'rumour': the kinds are speech, thought, stance"),
    (",", "Name at least one kind"),
])
def test_cli_unknown_kinds_are_a_usage_error_before_anything_is_written(tmp_path, value, message):
    result = extract(tmp_path, "-o", str(tmp_path / "out.jsonl"), "--kinds", value)
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "--kinds" in output and message in output, output
    assert not (tmp_path / "out.jsonl").exists()


def test_spark_unknown_kinds_are_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "service.spark", "--input", "x.jsonl", "--output", "y",
                           "--kinds", "speech,gossip"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--kinds" in done.stderr and "Unknown kind 'gossip'" in done.stderr


@pytest.mark.slow
def test_spark_kinds_give_the_clis_rows_and_count_what_was_left_out(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", ARTICLES)
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    done = subprocess.run([sys.executable, "-m", "service.spark", "--input", str(source), "--output",
                           str(tmp_path / "spark"), "--master", "local[1]", "--kinds", "stance,intention"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2 quote rows (3 more left out by --kinds: " in done.stderr
    assert "speech 2" in done.stderr and "evidence 1" in done.stderr
    rows = pq.read_table(tmp_path / "spark").to_pylist()
    cli = extract(tmp_path, "-o", str(tmp_path / "cli.parquet"), "--kinds", "stance,intention")
    assert cli.exit_code == 0, cli.output
    cli_rows = pq.read_table(tmp_path / "cli.parquet").to_pylist()
    key = lambda r: (r["article_id"], r["quote_id"])  # noqa: E731
    assert sorted(rows, key=key) == sorted(cli_rows, key=key)
    assert sorted((r["article_id"], r["kind"]) for r in rows) == [("a", "stance"), ("b", "intention")]


def test_the_workers_hand_on_only_the_kinds_kept():
    """--kinds is applied in the worker processes, where the quotes are made (as the API applies
    it where it makes its results): what comes back through the pipe is already filtered."""
    from service.bulk.extraction import Extracted
    from service.bulk.records import Article
    from service.bulk.runner import run_chunks

    records = [Article(a["id"], a["text"], {}) for a in ARTICLES]
    outcomes = [o for chunk in run_chunks(records, workers=2, chunk_size=1, kinds=("speech",)) for o in chunk]
    assert [type(o) for o in outcomes] == [Extracted, Extracted]
    assert [[q["kind"] for q in o.result["quotes"]] for o in outcomes] == [["speech"], ["speech"]]
    assert [o.meta["kinds"]["left_out"] for o in outcomes] == [2, 1]
    assert all(q["quotes"] and set(q["quotes"]) <= {quote["id"] for quote in o.result["quotes"]}
               for o in outcomes for q in o.result["speakers"])
