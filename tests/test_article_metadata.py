"""Article metadata on the quote rows: article_url, article_date (ISO date) and source, from the
input's url / date / published / source fields, and from a WARC's target URI and date (or the
page's own published date)."""
from __future__ import annotations

import csv

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from bulk_data import news_page, seed_texts, write_jsonl, write_warc
from service.cli import main
from service.nlp.serialize import ARTICLE_COLUMNS, ROW_COLUMNS, article_metadata

TEXT = ('"We regard Iran as a very important partner," Deputy Foreign Minister Mikhail Bogdanov '
        'told reporters in Moscow on Monday.')


def test_fields_become_the_article_columns():
    assert article_metadata({"url": "https://www.example.com/a", "date": "2013-06-03T10:00:00Z",
                             "source": "Reuters"}) == {
        "article_url": "https://www.example.com/a", "article_date": "2013-06-03", "source": "Reuters"}
    assert article_metadata({"url": "https://www.example.com/a",
                             "published": "Mon, 03 Jun 2013 10:00:00 GMT"}) == {
        "article_url": "https://www.example.com/a", "article_date": "2013-06-03",
        "source": "example.com"}  # no source: the domain
    assert article_metadata({"published": "2013-06-04", "warc_date": "2013-07-01T00:00:00Z"}
                            )["article_date"] == "2013-06-04"
    assert article_metadata({"date": "last Tuesday"})["article_date"] is None
    assert article_metadata({}) == dict.fromkeys(ARTICLE_COLUMNS)
    assert ROW_COLUMNS[-3:] == ARTICLE_COLUMNS


def extract_rows(tmp_path, source) -> list[dict]:
    out = tmp_path / "rows.parquet"
    result = CliRunner().invoke(main, ["extract", str(source), "-o", str(out), "-w", "1",
                                       "--no-progress"])
    assert result.exit_code == 0, result.output
    return pq.read_table(out).to_pylist()


def article_columns(rows: list[dict]) -> set[tuple]:
    return {(r["article_id"], *(r[c] for c in ARTICLE_COLUMNS)) for r in rows}


def test_jsonl_csv_and_parquet_inputs_carry_their_metadata(tmp_path):
    records = [{"id": "a1", "text": TEXT, "url": "https://wire.example/a1", "date": "2013-06-03",
                "source": "Wire"},
               {"id": "a2", "text": TEXT, "url": "https://www.paper.example/story",
                "published": "2013-06-04T08:00:00+02:00"},
               {"id": "a3", "text": TEXT}]
    expected = {("a1", "https://wire.example/a1", "2013-06-03", "Wire"),
                ("a2", "https://www.paper.example/story", "2013-06-04", "paper.example"),
                ("a3", None, None, None)}
    jsonl = write_jsonl(tmp_path / "in.jsonl", records)
    assert article_columns(extract_rows(tmp_path, jsonl)) == expected

    with open(tmp_path / "in.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, ["id", "text", "url", "date", "published", "source"])
        writer.writeheader()
        writer.writerows(records)
    csv_rows = extract_rows(tmp_path, tmp_path / "in.csv")
    assert article_columns(csv_rows) == {(a, u or None, d, s) for a, u, d, s in expected}

    columns = ["id", "text", "url", "date", "published", "source"]
    pq.write_table(pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in records]),
                   tmp_path / "in.parquet")
    assert article_columns(extract_rows(tmp_path, tmp_path / "in.parquet")) == expected


def test_warc_pages_carry_their_uri_and_date(tmp_path):
    text = next(iter(seed_texts().values()))
    dated = news_page("Dated", text).replace(
        b"<title>", b'<meta property="article:published_time" content="2013-06-03T10:00:00Z">'
                    b"<title>")
    warc = write_warc(tmp_path / "crawl.warc.gz", [("http://news.example/dated", dated),
                                                   ("http://www.news.example/undated",
                                                    news_page("Undated", text))])
    from warcio.archiveiterator import ArchiveIterator

    with open(warc, "rb") as stream:
        crawled = {r.rec_headers.get_header("WARC-Target-URI"): r.rec_headers.get_header("WARC-Date")
                   for r in ArchiveIterator(stream) if r.rec_type == "response"}
    rows = extract_rows(tmp_path, warc)
    assert article_columns(rows) == {
        ("http://news.example/dated", "http://news.example/dated", "2013-06-03", "news.example"),
        ("http://www.news.example/undated", "http://www.news.example/undated",
         crawled["http://www.news.example/undated"][:10], "news.example")}
