"""What an integrator hits first with `quotewire extract`: inputs that cannot be read are usage
errors before any output, integer ids come back as integers, CSV output has the Parquet and page
columns, and JSONL `meta` keeps the engine's fields with the input's under `meta.input`."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from bulk_data import seed_articles, seed_texts, write_jsonl
from service.cli import main
from service.nlp import extract
from service.nlp.serialize import ROW_COLUMNS, engine_meta, quote_rows


@pytest.fixture(scope="module")
def articles():
    return seed_articles()[:4]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _unknown_json(tmp_path):
    path = tmp_path / "articles.json"
    path.write_text('[{"id": "a", "text": "x"}]', encoding="utf-8")
    return path


def _csv_without_text(tmp_path):
    path = tmp_path / "no_text.csv"
    path.write_text("id,body\n1,\"Hello,\" he said.\n", encoding="utf-8")
    return path


def _parquet_without_id(tmp_path):
    path = tmp_path / "no_id.parquet"
    pq.write_table(pa.table({"text": ["x"]}), path)
    return path


def _not_parquet(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not parquet at all")
    return path


def _directory_named_jsonl(tmp_path):
    path = tmp_path / "dir.jsonl"
    path.mkdir()
    return path


@pytest.mark.parametrize("make_input, says", [
    (lambda tmp: tmp / "nosuch.jsonl", "no such file"),
    (lambda tmp: tmp / "nosuch", "no such file"),
    (lambda tmp: tmp / "missing-dir" / "a.csv", "no such file"),
    (_unknown_json, "unknown input format"),
    (_csv_without_text, "id and text columns"),
    (_parquet_without_id, "id and text columns"),
    (_not_parquet, "not a readable Parquet file"),
    (_directory_named_jsonl, "is a directory"),
])
def test_an_input_that_cannot_be_read_is_a_usage_error_before_any_output(tmp_path, articles,
                                                                          make_input, says):
    good = write_jsonl(tmp_path / "good.jsonl", articles[:1])
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    bad = make_input(tmp_path)
    result = run("extract", str(good), str(bad), "-o", str(out), "-w", "1")
    assert result.exit_code == 2
    assert says in result.output and str(bad) in result.output
    assert out.read_text(encoding="utf-8") == "previous results\n"   # not truncated, not written


def test_every_bad_input_is_named_at_once(tmp_path):
    result = run("extract", str(tmp_path / "a.jsonl"), str(_unknown_json(tmp_path)), "-o", "-")
    assert result.exit_code == 2
    assert "a.jsonl: no such file" in result.output and "articles.json: unknown input format" in result.output
    assert result.stdout == ""


def test_bad_records_inside_a_readable_file_are_still_skipped_and_reported(tmp_path, articles):
    source = write_jsonl(tmp_path / "in.jsonl", articles[:1], extra_lines=(b'{"id": 5}',))
    result = run("extract", str(source), "-o", str(tmp_path / "out.jsonl"), "-w", "1")
    assert result.exit_code == 0 and "skipped 5: record has no text" in result.stderr


def test_integer_ids_come_back_as_integers(tmp_path, articles):
    records = [dict(article, id=number) for number, article in enumerate(articles, start=17)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    result = run("extract", str(source), "-o", str(tmp_path / "out.jsonl"), "-w", "1")
    assert result.exit_code == 0, result.output
    assert [line["id"] for line in read_lines(tmp_path / "out.jsonl")] == [17, 18, 19, 20]
    parquet = run("extract", str(source), "-o", str(tmp_path / "out.parquet"), "-w", "1")
    assert parquet.exit_code == 0, parquet.output
    assert set(pq.read_table(tmp_path / "out.parquet").column("article_id").to_pylist()) <= {"17", "18", "19", "20"}


def test_resume_recognises_integer_ids(tmp_path, articles):
    records = [dict(article, id=number) for number, article in enumerate(articles)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    write_jsonl(tmp_path / "first.jsonl", records[:2])
    assert run("extract", str(tmp_path / "first.jsonl"), "-o", str(out), "-w", "1").exit_code == 0
    resumed = run("extract", str(source), "-o", str(out), "--resume", "-w", "1")
    assert resumed.exit_code == 0 and "2 already in output" in resumed.stderr
    assert [line["id"] for line in read_lines(out)] == [0, 1, 2, 3]


def test_jsonl_meta_keeps_the_engine_meta_and_the_input_fields(tmp_path, articles, nlp):
    records = [dict(article, section="world", tags=["syria"]) for article in articles[:2]]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    assert run("extract", str(source), "-o", str(tmp_path / "out.jsonl"), "-w", "1").exit_code == 0
    for line, record in zip(read_lines(tmp_path / "out.jsonl"), records):
        assert line["meta"] == {**engine_meta(nlp), "input": {"source": record["source"],
                                                              "section": "world", "tags": ["syria"]}}
        assert line["meta"]["model"].startswith("en_core_web_sm")


def test_csv_output_has_the_parquet_rows_in_the_pages_columns(tmp_path, articles, nlp):
    tricky = dict(articles[0], id="=cmd", text='"=1+1, he said," Lavrov said. ' + articles[0]["text"])
    records = [tricky, *articles[1:]]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    result = run("extract", str(source), "-o", str(tmp_path / "out.csv"), "-w", "1")
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "out.csv").read_bytes().decode("utf-8")
    assert raw.startswith(",".join(ROW_COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    expected = [row for record, res in zip(records, extract(nlp, [r["text"] for r in records]))
                for row in quote_rows(record["id"], res, record)]  # url/date/source from it
    assert len(rows) == len(expected) >= 3
    for row, want in zip(rows, expected):
        for column in ROW_COLUMNS:
            value = want[column]
            if value is None:
                value = ""
            elif isinstance(value, str) and value[:1] in "=+-@":
                value = "'" + value   # spreadsheet formula guard, as the page's export
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            assert row[column] == str(value), (column, row[column], value)
    assert rows[0]["article_id"] == "'=cmd"


def test_csv_output_cannot_be_resumed(tmp_path, articles):
    source = write_jsonl(tmp_path / "in.jsonl", articles[:1])
    result = run("extract", str(source), "-o", str(tmp_path / "out.csv"), "--resume")
    assert result.exit_code == 2 and "--resume works with .jsonl and .parquet" in result.output


def test_html_files_and_jsonl_html_records_are_read_like_the_api_reads_html(tmp_path, nlp):
    from html_pages import page_text, news_page
    from service.html import render_text

    story = seed_texts()["003_170491cf43bdc58c"]   # has non-ASCII characters
    page = news_page(story)
    legacy = page.replace('charset="utf-8"', 'charset="windows-1252"')
    with pytest.raises(UnicodeDecodeError):   # the file is not UTF-8: its declared charset counts
        legacy.encode("cp1252").decode("utf-8")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "story.html").write_bytes(legacy.encode("cp1252"))
    (tmp_path / "single.html").write_text(page, encoding="utf-8")
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": 9, "html": page, "section": "world"},
                                                 {"id": 10, "html": "<nav>Home</nav>"},
                                                 {"id": 11, "html": page, "text": "both"}])
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = run("extract", str(source), str(tmp_path / "single.html"), str(tmp_path / "pages"),
                 "-o", str(out), "--errors", str(errors), "-w", "1")
    assert result.exit_code == 0, result.output
    lines = read_lines(out)
    assert [line["id"] for line in lines] == [9, "single.html", "story.html"]
    (plain,) = extract(nlp, [page_text(story)])
    for line, html in zip(lines, [page, page, legacy]):
        assert line["text"] == page_text(story) and line["title"] == story.split("\n")[0]
        assert [q["text"] for q in line["quotes"]] == [q["text"] for q in plain["quotes"]]
        for quote in line["quotes"]:
            for span in [quote] + [quote[role] for role in ("speaker", "cue", "agency", "addressee") if quote[role]]:
                assert render_text(html[span["html_start"]:span["html_end"]]) == span["text"]
    assert lines[0]["meta"]["input"] == {"section": "world"}
    reported = {e["id"]: e["reason"] for e in read_lines(errors)}
    assert reported == {10: "no article text found in the HTML page",
                        11: "record has both text and html (send one)"}
