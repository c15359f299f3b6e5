"""The whole chain on a small syndicated corpus: `quotewire extract` -> `quotewire bank`, and the
Spark extraction -> the Spark bank; both banks identical, and right about who said what where.

The corpus: the two seed wire stories, republished by outlets with marks and dashes changed, a
typo, a paragraph dropped, a partial quote in the outlet's own words and one quote given to
someone else."""
from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from bulk_data import ROOT, seed_texts, write_jsonl
from service.bank.tables import SCHEMAS
from test_spark import spark  # noqa: F401  (the session-wide local[2] Spark)

pytestmark = pytest.mark.slow

REFUSE = "They did not refuse to come to Moscow, they are studying our invitation"
PARTNER = "We regard Iran as a very important partner in all Middle Eastern affairs"


def curl(text: str) -> str:
    """Straight double quotes to curly pairs, spaced hyphens to dashes."""
    pieces = text.split('"')
    out = pieces[0]
    for number, piece in enumerate(pieces[1:]):
        out += ("“" if number % 2 == 0 else "”") + piece
    return out.replace(" - ", " — ")


def syndicated_articles() -> list[dict]:
    wire_000, wire_003 = seed_texts().values()
    cut = wire_000.index("But Lavrov added")
    outlet_b = (wire_000[:cut].replace("Russia steps up", "Moscow presses on with", 1)
                + '\n\nLavrov said the opposition "did not refuse to come to Moscow".'
                + f'\n\n"{PARTNER}," U.S. Secretary of State John Kerry said.')
    def meta(source: str, day: int, name: str) -> dict:
        return {"source": source, "date": f"2013-11-{day:02d}T09:00:00Z",
                "url": f"https://{source}/world/{name}"}
    return [
        {"id": "wire-000", "text": wire_000, **meta("wire.example", 18, "000")},
        {"id": "wire-003", "text": wire_003, **meta("wire.example", 19, "003")},
        {"id": "a-000", "text": curl(wire_000).replace("did not refuse", "did not refsue"),
         **meta("a.example", 19, "000")},
        {"id": "a-003", "text": curl(wire_003), **meta("a.example", 20, "003")},
        {"id": "b-000", "text": outlet_b, **meta("b.example", 21, "000")},
    ]


def run(argv: list[str]) -> str:
    done = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def read_tables(folder) -> dict[str, list[dict]]:
    return {name: pq.read_table(folder / name, schema=SCHEMAS[name]()).to_pylist()
            for name in SCHEMAS}


def as_sorted(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


@pytest.fixture(scope="module")
def banks(tmp_path_factory, spark):  # noqa: F811
    from service.bank.spark_job import run_bank_job
    from service.spark import run_job

    folder = tmp_path_factory.mktemp("chain")
    source = write_jsonl(folder / "articles.jsonl", syndicated_articles())
    run(["-m", "service.cli", "extract", str(source), "-o", str(folder / "rows.parquet"),
         "-w", "1", "--no-progress"])
    summary = run(["-m", "service.cli", "bank", str(folder / "rows.parquet"),
                   "-o", str(folder / "cli-bank")])
    run_job(spark, str(source), str(folder / "spark-rows"))
    run_bank_job(spark, [str(folder / "spark-rows")], str(folder / "spark-bank"))
    return read_tables(folder / "cli-bank"), read_tables(folder / "spark-bank"), summary


def cluster_with(quotes: list[dict], words: str) -> dict:
    (found,) = [q for q in quotes if words in q["text"]]
    return found


def test_cli_and_spark_chains_give_the_same_bank(banks):
    cli, spark_bank, _ = banks
    for name in SCHEMAS:
        assert cli[name] and as_sorted(spark_bank[name]) == as_sorted(cli[name]), name


def test_copies_typos_and_a_partial_quote_are_one_quote_with_its_articles(banks):
    quotes = banks[0]["quotes.parquet"]
    refuse = cluster_with(quotes, "they are studying our invitation")
    assert refuse["speaker_name"] == "Sergei Lavrov"
    assert refuse["article_ids"] == ["a-000", "b-000", "wire-000"]  # typo'd copy, partial quote
    assert refuse["sources"] == ["a.example", "b.example", "wire.example"]
    assert (refuse["first_date"], refuse["last_date"]) == ("2013-11-18", "2013-11-21")
    assert "https://wire.example/world/000" in refuse["article_urls"]
    assert not refuse["conflict"]
    rouhani = cluster_with(quotes, "I think today everyone has accepted")
    assert rouhani["article_ids"] == ["a-003", "wire-003"]


def test_a_quote_given_to_someone_else_is_a_conflict(banks):
    cli, _, summary = banks
    partner = cluster_with(cli["quotes.parquet"], "very important partner")
    assert partner["conflict"] and partner["speaker_name"] == "Mikhail Bogdanov"
    assert {v["name"] for v in partner["speakers"]} >= {"Mikhail Bogdanov", "John Kerry"}
    assert "conflicts (copies disagree on who said it):" in summary
    assert [q for q in cli["quotes.parquet"] if q["conflict"]] == [partner]


def test_every_row_joins_its_cluster_and_speaker(banks):
    cli = banks[0]
    clusters = {q["cluster_id"] for q in cli["quotes.parquet"]}
    speakers = {s["speaker_id"]: s for s in cli["speakers.parquet"]}
    assert all(m["cluster_id"] in clusters for m in cli["members.parquet"])
    assert sum(q["n_quotes"] for q in cli["quotes.parquet"]) == len(cli["members.parquet"])
    (lavrov,) = [s for s in speakers.values() if s["name"] == "Sergei Lavrov"]  # both stories
    assert (lavrov["n_articles"], lavrov["kind"]) == (5, "person")
    assert lavrov["n_quotes"] == sum(1 for m in cli["members.parquet"]
                                     if m["speaker_id"] == lavrov["speaker_id"])
