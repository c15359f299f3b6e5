"""Readers: every input format to Article / Failure records, in file order, bad records isolated."""
from __future__ import annotations

import csv
import gzip
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bulk_data import seed_articles, seed_texts, seed_warc, write_jsonl, write_warc
from service.bulk.extraction import with_text
from service.bulk.readers import input_format, parse_jsonl_line, read_inputs
from service.bulk.records import Article, Failure


def ids(records):
    return [r.id for r in records]


def test_jsonl_keeps_order_and_carries_other_fields_as_metadata(tmp_path):
    articles = seed_articles()
    records = list(read_inputs([str(write_jsonl(tmp_path / "a.jsonl", articles))]))
    assert ids(records) == [a["id"] for a in articles]
    assert all(isinstance(r, Article) for r in records)
    assert records[0].text == articles[0]["text"]
    assert records[0].meta == {"source": articles[0]["source"]}


def test_gzipped_jsonl_reads_like_plain(tmp_path):
    articles = seed_articles()[:3]
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(__import__("json").dumps(a) + "\n" for a in articles)
    assert [(r.id, r.text) for r in read_inputs([str(path)])] == [(a["id"], a["text"]) for a in articles]


@pytest.mark.parametrize("line, reason", [
    (b'{"id": "x", "text": ', "malformed JSON"),
    (b'{"id": "x", "text": "caf\xe9"}', "not UTF-8"),
    (b'{"text": "no id here"}', "no usable id"),
    (b'{"id": "x", "text": 42}', "no text"),
    (b'{"id": "x", "text": "   "}', "empty text"),
    (b'["id", "text"]', "not an object"),
])
def test_a_malformed_jsonl_line_is_a_failure_with_a_reason(line, reason):
    record = parse_jsonl_line(line, "f.jsonl:7")
    assert isinstance(record, Failure)
    assert reason in record.reason
    assert record.id in ("f.jsonl:7", "x")


def test_bad_lines_do_not_stop_the_file(tmp_path):
    articles = seed_articles()[:4]
    path = write_jsonl(tmp_path / "a.jsonl", articles, extra_lines=(b"{oops", b'{"id": 3, "text": "Fine."}'))
    records = list(read_inputs([str(path)]))
    assert isinstance(records[0], Failure) and records[0].id == f"{path}:1"
    assert records[1] == Article(3, "Fine.", {})  # numeric ids stay numbers (returned as given)
    assert ids(records[2:]) == [a["id"] for a in articles]


def test_csv_with_id_and_text_columns(tmp_path):
    articles = seed_articles()[:5]
    path = tmp_path / "a.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=["id", "source", "text"])
        writer.writeheader()
        writer.writerows(articles)
    records = list(read_inputs([str(path)]))
    assert [(r.id, r.text, r.meta) for r in records] == [
        (a["id"], a["text"], {"source": a["source"]}) for a in articles]


def test_csv_without_text_column_is_reported(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,body\n1,hello\n")
    (record,) = read_inputs([str(path)])
    assert isinstance(record, Failure) and "id and text columns" in record.reason


def test_parquet_input_with_id_and_text(tmp_path):
    articles = seed_articles()[:5]
    path = tmp_path / "a.parquet"
    pq.write_table(pa.Table.from_pylist(articles), path)
    assert [(r.id, r.text) for r in read_inputs([str(path)])] == [(a["id"], a["text"]) for a in articles]


def test_directory_of_txt_files_sorted_with_file_names_as_ids(tmp_path):
    for name, text in seed_texts().items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article")
    (tmp_path / "zz_latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    records = list(read_inputs([str(tmp_path)]))
    assert ids(records) == [f"{name}.txt" for name in seed_texts()] + ["zz_latin1.txt"]
    assert records[0].text == next(iter(seed_texts().values()))
    assert isinstance(records[-1], Failure) and "not UTF-8" in records[-1].reason


def test_warc_html_pages_become_article_text(tmp_path):
    path = seed_warc(tmp_path / "crawl.warc.gz")
    records = list(read_inputs([str(path)]))
    # request, warcinfo and the image response are skipped; the two pages remain, with their URIs
    assert ids(records) == [f"http://example.org/news/{name}" for name in seed_texts()]
    assert all(r.text is None and r.html and r.meta["warc_date"] for r in records)
    article = with_text(records[1])
    body = " ".join(seed_texts()["003_170491cf43bdc58c"].split())
    assert "Russian Deputy Foreign Minister Mikhail Bogdanov" in article.text
    assert body[-80:] in " ".join(article.text.split())
    assert "All rights reserved" not in article.text and "Home" not in article.text.split()


def test_warc_page_without_article_text_is_a_failure(tmp_path):
    path = write_warc(tmp_path / "empty.warc.gz", [("http://example.org/blank", b"<html><body></body></html>")])
    (record,) = read_inputs([str(path)])
    outcome = with_text(record)
    assert outcome == Failure("http://example.org/blank", "no article text found in the HTML page")


def record_spans(warc: bytes) -> list[tuple[int, int]]:
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(io.BytesIO(warc))
    spans = []
    for _ in records:
        records.read_to_end()
        spans.append((records.get_record_offset(), records.get_record_length()))
    return spans


@pytest.mark.parametrize("compressed", [True, False], ids=["gzip", "plain"])
def test_a_warc_cut_inside_any_record_is_reported_not_raised(tmp_path, compressed):
    # A failed download stops anywhere: in a gzip member, a WARC header, an HTTP header, a page.
    good = seed_warc(tmp_path / "good.warc.gz").read_bytes()
    whole = good if compressed else gzip.decompress(good)
    path = tmp_path / ("broken.warc.gz" if compressed else "broken.warc")
    cuts = [offset + int(length * f) for offset, length in record_spans(whole) for f in (0.05, 0.5, 0.95)]
    assert len(cuts) >= 18  # warcinfo, 2 records per page, an image
    for cut in cuts:
        path.write_bytes(whole[:cut])
        records = list(read_inputs([str(path)]))
        assert isinstance(records[-1], Failure) and records[-1].id == str(path), cut
        assert all(isinstance(r, Article) and r.html.rstrip().endswith("</html>") for r in records[:-1]), cut


def test_unknown_or_missing_inputs_are_failures(tmp_path):
    records = list(read_inputs([str(tmp_path / "a.docx"), str(tmp_path / "missing.jsonl")]))
    assert [type(r) for r in records] == [Failure, Failure]
    assert "unknown input format" in records[0].reason
    assert "cannot read file" in records[1].reason


def test_format_by_name():
    assert [input_format(p) for p in ("-", "a.JSONL", "b.ndjson", "c.warc.gz", "d.warc", "e.csv",
                                      "f.parquet", "g.txt")] == [
        "jsonl", "jsonl", "jsonl", "warc", "warc", "csv", "parquet", "txt"]



# ---- records that used to stop a run or come out garbled (issue 11, items 8 and 10) -------------

@pytest.mark.parametrize("line, reason", [
    (b'{"id": "deep", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    (b'{"id": "x", "text": ' + b"7" * 5000 + b"}", "no text"),
    (b'{"id": "\\ud800", "text": "He said hi."}', "unpaired surrogate"),
    (b'{"id": "x", "text": "He said \\udfff hi."}', "unpaired surrogate"),
])
def test_records_that_used_to_raise_are_failures(line, reason):
    record = parse_jsonl_line(line, "f.jsonl:3")
    assert isinstance(record, Failure) and reason in record.reason, record


def test_metadata_is_made_json_safe():
    line = (b'{"id": ' + b"1" * 5000 + b', "text": "He said hi.", "big": ' + b"9" * 4400 +
            b', "score": NaN, "inf": -Infinity, "who": "\\udc00x", "nested": {"n": [NaN, 1.5]}}')
    record = parse_jsonl_line(line, "f.jsonl:1")
    assert isinstance(record, Article) and record.id == "1" * 5000
    assert record.meta == {"big": "9" * 4400, "score": None, "inf": None, "who": "\ufffdx",
                           "nested": {"n": [None, 1.5]}}
    __import__("json").dumps(record.meta, allow_nan=False).encode("utf-8")  # strict JSON, encodable


def test_parquet_timestamps_decimals_and_bytes_become_json_values(tmp_path):
    import datetime
    import decimal
    path = tmp_path / "typed.parquet"
    pq.write_table(pa.table({
        "id": ["a"], "text": ['"Hi," he said.'],
        "published": pa.array([datetime.datetime(2026, 11, 30, 12, 5)], pa.timestamp("ms")),
        "price": pa.array([decimal.Decimal("12.345")], pa.decimal128(10, 3)),
        "raw": pa.array([b"\x00\xff"], pa.binary()),
    }), path)
    (record,) = read_inputs([str(path)])
    assert record.meta == {"published": "2026-11-30T12:05:00", "price": "12.345", "raw": "AP8="}


def test_parquet_row_numbers_count_across_batches(tmp_path):
    path = tmp_path / "many.parquet"
    texts = ["He said hi."] * 3000
    texts[2500] = "   "
    pq.write_table(pa.table({"id": [str(i) for i in range(3000)], "text": texts}), path)
    rows = list(read_inputs([str(path)]))
    assert len(rows) == 3000 and isinstance(rows[2500], Failure) and rows[2500].id == "2500"
    no_id = tmp_path / "noid.parquet"
    pq.write_table(pa.table({"id": [str(i) for i in range(2000)] + [""], "text": ["Hi."] * 2001}), no_id)
    assert list(read_inputs([str(no_id)]))[-1].id == f"{no_id}:row 2000"


def test_csv_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,text\n1,\"\"\"Hi,\"\" he said.\"\n".encode("utf-8"))
    assert [(r.id, r.text) for r in read_inputs([str(path)])] == [("1", '"Hi," he said.')]


def test_csv_field_without_closing_quote_is_reported_not_swallowed(tmp_path):
    path = tmp_path / "open.csv"
    path.write_text('id,text\n1,fine\n2,"never closed\n3,lost\n4,lost too\n', encoding="utf-8")
    records = list(read_inputs([str(path)]))
    assert records[0] == Article("1", "fine", {})
    assert isinstance(records[-1], Failure) and "never closed" in records[-1].reason
    assert not [r for r in records if isinstance(r, Article) and "lost" in r.text]


def test_gzip_corrupt_mid_file_yields_no_garbled_records(tmp_path):
    articles = [{"id": str(i), "text": f'"Line {i}," he said. ' + "word " * 200} for i in range(200)]
    path = tmp_path / "bad.jsonl.gz"
    data = bytearray(gzip.compress("".join(__import__("json").dumps(a) + "\n" for a in articles).encode()))
    for offset in range(len(data) // 2, len(data) // 2 + 40):
        data[offset] ^= 0x55  # damage in the middle of the deflate stream
    path.write_bytes(bytes(data))
    records = list(read_inputs([str(path)]))
    assert len(records) == 1 and isinstance(records[0], Failure)
    assert "corrupt gzip" in records[0].reason
