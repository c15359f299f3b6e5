"""`quotewire extract / evaluate / serve`: ordering, worker-independence, errors, resume, crash safety.

These test the bulk machinery around the real engine, not the engine's accuracy."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest
import requests
from click.testing import CliRunner

from bulk_data import (ROOT, dense_quotes_text, long_prose_text, seed_articles, seed_texts,
                       seed_warc, write_jsonl, write_warc)
from service.cli import main
from service.nlp import extract
from service.nlp.serialize import ROW_COLUMNS, article_result, engine_meta, quote_rows

QUOTEWIRE = [sys.executable, "-m", "service.cli"]


@pytest.fixture(scope="module")
def articles():
    return seed_articles()


@pytest.fixture(scope="module")
def many_articles(articles):
    """More than two chunks' worth, so several chunks are in flight at once."""
    return [dict(a, id=f"{a['id']}#{copy}") for copy in range(3) for a in articles]


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_output_is_the_api_result_object_per_article(tmp_path, articles, nlp):
    source = write_jsonl(tmp_path / "in.jsonl", articles)
    result = run("extract", str(source), "-o", str(tmp_path / "out.jsonl"), "-w", "1")
    assert result.exit_code == 0, result.output
    lines = read_lines(tmp_path / "out.jsonl")
    expected = [article_result(a["id"], r, {**engine_meta(nlp), "input": {"source": a["source"]}})
                for a, r in zip(articles, extract(nlp, [a["text"] for a in articles]))]
    assert lines == expected
    assert all(q["rule"] for line in lines for q in line["quotes"] if q["speaker"])
    assert f"{len(articles)} articles" in result.stderr


def test_output_does_not_depend_on_the_number_of_workers(tmp_path, many_articles):
    source = write_jsonl(tmp_path / "in.jsonl", many_articles)
    for workers in ("1", "2", "3"):
        result = run("extract", str(source), "-o", str(tmp_path / f"out{workers}.jsonl"),
                     "-w", workers, "--no-progress")
        assert result.exit_code == 0, result.output
    one = (tmp_path / "out1.jsonl").read_bytes()
    assert [line["id"] for line in read_lines(tmp_path / "out1.jsonl")] == [a["id"] for a in many_articles]
    assert (tmp_path / "out2.jsonl").read_bytes() == one
    assert (tmp_path / "out3.jsonl").read_bytes() == one


def test_parquet_rows_are_the_quote_rows_of_the_jsonl_results(tmp_path, articles):
    source = write_jsonl(tmp_path / "in.jsonl", articles)
    assert run("extract", str(source), "-o", str(tmp_path / "out.jsonl"), "-w", "1").exit_code == 0
    assert run("extract", str(source), "-o", str(tmp_path / "out.parquet"), "-w", "2").exit_code == 0
    table = pq.read_table(tmp_path / "out.parquet")
    assert tuple(table.column_names) == ROW_COLUMNS
    expected = [row for line in read_lines(tmp_path / "out.jsonl")
                for row in quote_rows(line["id"], line)]
    assert expected, "the seed articles should yield some quotes"
    assert table.to_pylist() == expected
    assert all(row["rule"] for row in expected if row["speaker_name"])
    assert [p.name for p in tmp_path.iterdir() if "parts" in p.name or p.suffix == ".tmp"] == []


def test_article_not_in_english_has_the_warning_in_its_meta_and_the_summary(tmp_path, articles):
    german = {"id": "de", "text": "„Wir schaffen das“, sagte Merkel."}
    source = write_jsonl(tmp_path / "in.jsonl", [german, articles[0]])
    result = run("extract", str(source), "-o", str(tmp_path / "out.jsonl"), "-w", "1")
    assert result.exit_code == 0, result.output
    de, en = read_lines(tmp_path / "out.jsonl")
    assert de["quotes"] == [] and "German, not English" in de["meta"]["warning"]
    assert en["quotes"] and "warning" not in en["meta"]
    assert "no quotes in de: The text looks like German" in result.stderr
    assert "2 articles, 1 not English," in result.stderr


def test_progress_bar_and_summary_on_stderr(tmp_path, articles):
    source = write_jsonl(tmp_path / "in.jsonl", articles[:3])
    result = run("extract", str(source), "-o", str(tmp_path / "out.jsonl"), "-w", "1")
    quotes = sum(len(line["quotes"]) for line in read_lines(tmp_path / "out.jsonl"))
    assert "articles/s" in result.stderr and f"quotes={quotes}" in result.stderr
    assert f"3 articles, {quotes} quotes, 0 skipped" in result.stderr


def test_bad_records_are_reported_and_skipped(tmp_path, articles):
    source = write_jsonl(tmp_path / "in.jsonl", articles[:3],
                         extra_lines=(b'{"id": "broken", "text": "unterminated', b'{"id": "notext"}'))
    blank_page = write_warc(tmp_path / "blank.warc.gz", [("http://example.org/blank", b"<html><body></body></html>")])
    txt_dir = tmp_path / "txt"
    txt_dir.mkdir()
    (txt_dir / "latin1.txt").write_bytes("Caf\xe9 said \"hello\".".encode("latin-1"))
    (txt_dir / "good.txt").write_text(articles[3]["text"], encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"

    result = run("extract", str(source), str(blank_page), str(txt_dir), "-o", str(out),
                 "--errors", str(errors), "-w", "2")
    assert result.exit_code == 0
    assert [line["id"] for line in read_lines(out)] == [a["id"] for a in articles[:3]] + ["good.txt"]
    reported = {e["id"]: e["reason"] for e in read_lines(errors)}
    assert set(reported) == {f"{source}:1", "notext", "http://example.org/blank", "latin1.txt"}
    assert "malformed JSON" in reported[f"{source}:1"]
    assert reported["http://example.org/blank"] == "no article text found in the HTML page"
    assert "not UTF-8" in reported["latin1.txt"]
    for article_id in reported:
        assert f"skipped {article_id}: " in result.stderr
    assert "4 skipped as errors" in result.stderr

    strict = run("extract", str(source), "-o", str(out), "--strict", "-w", "1", "--no-progress")
    assert strict.exit_code == 1


def test_resume_after_a_torn_write_loses_nothing(tmp_path, many_articles):
    source = write_jsonl(tmp_path / "in.jsonl", many_articles)
    reference, out = tmp_path / "reference.jsonl", tmp_path / "out.jsonl"
    assert run("extract", str(source), "-o", str(reference), "-w", "2").exit_code == 0
    lines = reference.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:30]) + lines[30][:25])  # as if cut off in the middle of line 31

    result = run("extract", str(source), "-o", str(out), "--resume", "-w", "2")
    assert result.exit_code == 0
    assert out.read_bytes() == reference.read_bytes()
    assert f"{len(many_articles) - 30} articles" in result.stderr
    assert "30 already in output" in result.stderr


def _kill_when(process: subprocess.Popen, ready, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, "the run finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow
def test_killed_jsonl_run_resumes_to_the_same_output(tmp_path, many_articles):
    articles = many_articles * 2
    articles = [dict(a, id=f"{a['id']}@{i}") for i, a in enumerate(articles)]
    source = write_jsonl(tmp_path / "in.jsonl", articles)
    reference, out = tmp_path / "reference.jsonl", tmp_path / "out.jsonl"
    assert run("extract", str(source), "-o", str(reference), "-w", "2").exit_code == 0

    process = subprocess.Popen([*QUOTEWIRE, "extract", str(source), "-o", str(out), "-w", "2",
                                "--no-progress"], cwd=ROOT, stderr=subprocess.DEVNULL)
    _kill_when(process, lambda: out.exists() and out.stat().st_size > 0)
    written = len(out.read_bytes().splitlines())
    assert 0 < written < len(articles)

    result = run("extract", str(source), "-o", str(out), "--resume", "-w", "1")
    assert result.exit_code == 0
    assert out.read_bytes() == reference.read_bytes()


@pytest.mark.slow
def test_killed_parquet_run_leaves_no_corrupt_file_and_resumes(tmp_path, many_articles):
    source = write_jsonl(tmp_path / "in.jsonl", many_articles)
    reference, out = tmp_path / "reference.parquet", tmp_path / "out.parquet"
    assert run("extract", str(source), "-o", str(reference), "-w", "2").exit_code == 0
    parts = tmp_path / "out.parquet.parts"

    process = subprocess.Popen([*QUOTEWIRE, "extract", str(source), "-o", str(out), "-w", "1",
                                "--checkpoint-every", "10", "--no-progress"],
                               cwd=ROOT, stderr=subprocess.DEVNULL)
    _kill_when(process, lambda: parts.exists() and any(parts.glob("part-*.parquet")))
    assert not out.exists()  # nothing half-written under the final name
    for part in parts.glob("part-*.parquet"):
        pq.read_table(part)  # every saved part is a complete Parquet file

    result = run("extract", str(source), "-o", str(out), "--resume", "-w", "2")
    assert result.exit_code == 0
    assert "already in output" in result.stderr and "0 already in output" not in result.stderr
    assert pq.read_table(out).to_pylist() == pq.read_table(reference).to_pylist()
    assert not parts.exists()

    # resuming a finished file keeps it whole and adds only what is new
    extra = write_jsonl(tmp_path / "extra.jsonl", [dict(many_articles[0], id="new-1")])
    assert run("extract", str(source), str(extra), "-o", str(out), "--resume", "-w", "1").exit_code == 0
    rows = pq.read_table(out).to_pylist()
    old = pq.read_table(reference).to_pylist()
    assert rows[:len(old)] == old
    assert [r["article_id"] for r in rows[len(old):]] == ["new-1"] * (len(rows) - len(old))


@pytest.mark.slow
def test_ctrl_c_saves_a_checkpoint_that_resume_continues_from(tmp_path, many_articles):
    source = write_jsonl(tmp_path / "in.jsonl", many_articles)
    reference, out = tmp_path / "reference.parquet", tmp_path / "out.parquet"
    assert run("extract", str(source), "-o", str(reference), "-w", "1").exit_code == 0

    process = subprocess.Popen([*QUOTEWIRE, "extract", str(source), "-o", str(out), "-w", "2"],
                               cwd=ROOT, stderr=subprocess.PIPE, text=True)
    progress = []
    reader = threading.Thread(target=lambda: progress.extend(iter(lambda: process.stderr.read(1), "")))
    reader.start()
    deadline = time.monotonic() + 120
    while not re.search(r"extracting: ([1-9]\d*) articles", "".join(progress)):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130
    reader.join()
    assert "rerun with --resume" in "".join(progress)
    assert any((tmp_path / "out.parquet.parts").glob("part-*.parquet")) and not out.exists()

    result = run("extract", str(source), "-o", str(out), "--resume", "-w", "2")
    assert result.exit_code == 0 and "0 already in output" not in result.stderr
    assert pq.read_table(out).to_pylist() == pq.read_table(reference).to_pylist()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_articles_over_the_time_limit_are_reported_and_the_run_goes_on(tmp_path, articles, workers):
    """No article can be parsed in 0.1 ms: every one is stopped, reported and skipped."""
    source = write_jsonl(tmp_path / "in.jsonl", articles[:5])
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = run("extract", str(source), "-o", str(out), "--errors", str(errors), "-w", workers,
                 "--article-timeout", "0.0001", "--no-progress")
    assert result.exit_code == 0, result.output
    assert out.read_text() == ""
    reported = read_lines(errors)
    assert [e["id"] for e in reported] == [a["id"] for a in articles[:5]]
    assert all(e["reason"].startswith("timed out: took longer than the 0.0001 s time limit")
               for e in reported)
    assert f"skipped {articles[0]['id']}: timed out" in result.stderr
    assert "0 articles, 0 quotes, 5 skipped as errors" in result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_only_the_slow_article_of_a_stopped_batch_fails(tmp_path, articles, workers):
    """A batch stopped by the limit is rerun article by article: its fast articles come back, in
    their places, and only the slow one (seconds, against a 0.25 s limit) is skipped."""
    normal = articles[:12]
    slow = {"id": "slow", "text": dense_quotes_text(), "source": "test"}
    source = write_jsonl(tmp_path / "in.jsonl", normal[:5] + [slow] + normal[5:])
    reference = write_jsonl(tmp_path / "normal.jsonl", normal)
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    assert run("extract", str(reference), "-o", str(tmp_path / "reference.jsonl"), "-w", "1",
               "--no-progress").exit_code == 0

    result = run("extract", str(source), "-o", str(out), "--errors", str(errors), "-w", workers,
                 "--batch-size", "2", "--article-timeout", "0.25", "--no-progress")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (tmp_path / "reference.jsonl").read_bytes()
    (failure,) = read_lines(errors)
    assert failure["id"] == "slow"
    assert failure["reason"] == ("timed out: took longer than the 0.25 s time limit for an "
                                 "article of 99,000 characters")
    assert "12 articles" in result.stderr and "1 skipped as errors" in result.stderr


def test_html_extraction_is_under_the_time_limit_too(tmp_path):
    warc = seed_warc(tmp_path / "crawl.warc.gz")
    errors = tmp_path / "errors.jsonl"
    result = run("extract", str(warc), "-o", str(tmp_path / "out.jsonl"), "--errors", str(errors),
                 "-w", "1", "--article-timeout", "0.0001", "--no-progress")
    assert result.exit_code == 0, result.output
    reported = read_lines(errors)
    assert [e["id"] for e in reported] == [f"http://example.org/news/{n}" for n in seed_texts()]
    assert {e["reason"] for e in reported} == {
        "timed out: HTML extraction took longer than the 0.0001 s time limit"}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_model_that_does_not_load_stops_the_run_with_a_message(tmp_path, articles, workers):
    source = write_jsonl(tmp_path / "in.jsonl", articles[:2])
    result = CliRunner().invoke(main, ["extract", str(source), "-o", str(tmp_path / "out.jsonl"),
                                       "-w", workers, "--model", "no_such_model", "--no-progress"])
    assert result.exit_code == 1
    assert "could not load the model: OSError" in result.stderr
    assert "no_such_model" in result.stderr and "Traceback" not in result.stderr


def test_no_time_limit_with_zero(tmp_path, articles):
    source = write_jsonl(tmp_path / "in.jsonl", articles[:3])
    result = run("extract", str(source), "-o", str(tmp_path / "out.jsonl"), "-w", "1",
                 "--article-timeout", "0", "--no-progress")
    assert result.exit_code == 0 and "3 articles" in result.stderr
    assert "0 skipped" in result.stderr


def reference_run(source: Path, out: Path) -> None:
    """The expected output, from a fresh process like the run it is compared with (so both read
    the same engine code and data from disk)."""
    done = subprocess.run([*QUOTEWIRE, "extract", str(source), "-o", str(out), "-w", "1",
                           "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def _workers_of(run_process: subprocess.Popen) -> list[psutil.Process]:
    return psutil.Process(run_process.pid).children()


@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_its_articles_retried(tmp_path, many_articles):
    articles = [dict(a, id=f"{a['id']}@{i}") for i in range(4) for a in many_articles]
    source = write_jsonl(tmp_path / "in.jsonl", articles)
    reference, out = tmp_path / "reference.jsonl", tmp_path / "out.jsonl"
    reference_run(source, reference)

    process = subprocess.Popen([*QUOTEWIRE, "extract", str(source), "-o", str(out), "-w", "2",
                                "--no-progress"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (out.exists() and out.stat().st_size > 0):  # the workers are at work
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    victim = _workers_of(process)[0]
    victim.kill()  # as the OOM killer would
    _, stderr = process.communicate(timeout=300)

    assert process.returncode == 0, stderr[-2000:]
    assert f"worker process {victim.pid} died (killed by SIGKILL)" in stderr
    assert out.read_bytes() == reference.read_bytes()  # nothing lost, nothing out of order
    assert f"{len(articles)} articles" in stderr and "0 skipped" in stderr


class MemoryCap(threading.Thread):
    """Stands in for the OOM killer: SIGKILLs any worker of `run_process` whose resident memory
    passes `limit_mb`."""

    def __init__(self, run_process: subprocess.Popen, limit_mb: int):
        super().__init__(daemon=True)
        self.run_process, self.limit = run_process, limit_mb * 2**20
        self.killed: list[int] = []

    def run(self) -> None:
        while self.run_process.poll() is None:
            try:
                for worker in _workers_of(self.run_process):
                    if worker.memory_info().rss > self.limit:
                        worker.kill()
                        self.killed.append(worker.pid)
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.02)


@pytest.mark.slow
def test_an_article_that_kills_its_worker_twice_is_reported_and_the_run_goes_on(tmp_path, articles):
    """A 300,000-character article takes about 1 GB to parse; a worker seed article, a few hundred
    MB. Killing every worker above 700 MB kills the big article's worker, then the fresh worker
    it is retried in: it is reported, and every other article comes out in its place."""
    normal = articles[:20]
    huge = {"id": "huge", "text": long_prose_text(300_000), "source": "test"}
    source = write_jsonl(tmp_path / "in.jsonl", normal[:7] + [huge] + normal[7:])
    reference = write_jsonl(tmp_path / "normal.jsonl", normal)
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    reference_run(reference, tmp_path / "reference.jsonl")

    process = subprocess.Popen([*QUOTEWIRE, "extract", str(source), "-o", str(out), "-w", "2",
                                "--errors", str(errors), "--article-timeout", "0", "--no-progress"],
                               cwd=ROOT, stderr=subprocess.PIPE, text=True)
    cap = MemoryCap(process, limit_mb=700)
    cap.start()
    _, stderr = process.communicate(timeout=600)
    cap.join()

    assert process.returncode == 0, stderr[-2000:]
    assert len(cap.killed) == 2, stderr[-2000:]  # the first try and the retry
    assert out.read_bytes() == (tmp_path / "reference.jsonl").read_bytes()
    (failure,) = read_lines(errors)
    assert failure["id"] == "huge"
    assert failure["reason"].startswith("worker died: its process was killed by SIGKILL")
    assert "retrying its 16 records one by one" in stderr
    assert "20 articles" in stderr and "1 skipped as errors" in stderr


def test_stdin_to_stdout_through_the_console_script(tmp_path, articles):
    lines = "".join(json.dumps(a) + "\n" for a in articles[:3])
    done = subprocess.run([str(Path(sys.executable).parent / "quotewire"), "extract", "-", "-w", "1"],
                          input=lines, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [a["id"] for a in articles[:3]]
    assert "3 articles" in done.stderr


def test_warc_csv_and_txt_inputs_together(tmp_path, articles):
    warc = seed_warc(tmp_path / "crawl.warc.gz")
    csv_file = tmp_path / "a.csv"
    csv_file.write_text('id,text\nc1,"' + articles[0]["text"].replace('"', '""') + '"\n', encoding="utf-8")
    txt = tmp_path / "txt"
    txt.mkdir()
    (txt / "one.txt").write_text(articles[1]["text"], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("extract", str(warc), str(csv_file), str(txt), "-o", str(out), "-w", "2")
    assert result.exit_code == 0, result.output
    lines = read_lines(out)
    assert [line["id"] for line in lines] == [f"http://example.org/news/{n}" for n in seed_texts()] + ["c1", "one.txt"]
    assert lines[0]["meta"]["input"]["warc_date"]
    assert any(q["text"].startswith("We regard Iran") for q in lines[0]["quotes"])


def test_output_format_must_be_known(tmp_path, articles):
    source = write_jsonl(tmp_path / "in.jsonl", articles[:1])
    result = run("extract", str(source), "-o", str(tmp_path / "out.xml"))
    assert result.exit_code == 2 and ".jsonl, .parquet or .csv" in result.output


def test_evaluate_scores_a_gold_file(tmp_path):
    text = seed_texts()["000_434039b970fa378d"]
    quote = "We regard Iran as a very important partner"
    start = text.index(quote)
    gold = {"id": "seed-000", "text": text, "quotes": [{
        "start": start, "end": start + len(quote), "text": quote, "type": "direct",
        "speaker": "Mikhail Bogdanov", "speaker_start": None, "speaker_end": None, "cue": "quoted"}]}
    write_jsonl(tmp_path / "gold.jsonl", [gold])
    result = run("evaluate", str(tmp_path / "gold.jsonl"))
    assert result.exit_code == 0, result.output
    assert "articles: 1" in result.output
    all_row = next(line for line in result.output.splitlines() if line.startswith("all"))
    assert all_row.split()[1] == "1"  # one gold quote counted
    detailed = run("evaluate", str(tmp_path / "gold.jsonl"), "--by-rule", "--exact")
    assert detailed.exit_code == 0, detailed.output
    assert "exact-span (trimmed) per role:" in detailed.output
    assert "missed gold quotes: 0;" in detailed.output   # the seed quote is found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_runs_the_api_behind_nginx():
    port = _free_port()
    server = subprocess.Popen([*QUOTEWIRE, "serve", "--port", str(port), "--workers", "1"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, "quotewire serve exited"
            try:
                if requests.get(f"http://127.0.0.1:{port}/health/live", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the API did not come up"
            time.sleep(0.5)
        answer = requests.post(f"http://127.0.0.1:{port}/v1/quotes",
                               json={"text": 'He said: "This works."', "id": "t"}, timeout=60)
        assert answer.status_code == 200 and answer.json()["id"] == "t"
        assert answer.headers["Server"] == "nginx"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def test_records_that_used_to_stop_the_run_are_skipped_and_the_run_goes_on(tmp_path, articles):
    source = write_jsonl(tmp_path / "in.jsonl", articles[:2], extra_lines=(
        b'{"id": "deep", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"id": "bigint", "text": "\\"Hi,\\" he said.", "n": ' + b"5" * 5000 + b"}",
        b'{"id": "\\ud800", "text": "\\"Hi,\\" he said."}',
        b'{"id": "nan", "text": "\\"Hi,\\" he said.", "score": NaN, "who": "\\udfff"}',
    ))
    for out in (tmp_path / "out.jsonl", tmp_path / "out.parquet"):
        errors = tmp_path / f"errors-{out.suffix[1:]}.jsonl"
        result = run("extract", str(source), "-o", str(out), "--errors", str(errors), "-w", "1", "--no-progress")
        assert result.exit_code == 0, result.stderr
        reported = [e["id"] for e in read_lines(errors)]
        assert reported == [f"{source}:1", f"{source}:3"]
    lines = {line["id"]: line for line in read_lines(tmp_path / "out.jsonl")}
    assert list(lines) == ["bigint", "nan"] + [a["id"] for a in articles[:2]]
    assert "NaN" not in (tmp_path / "out.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("same", ["name", "hard-link", "symlink"])
def test_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path, articles, same):
    source = write_jsonl(tmp_path / "in.jsonl", articles[:2])
    before = source.read_bytes()
    target = {"name": source, "hard-link": tmp_path / "link.jsonl", "symlink": tmp_path / "sym.jsonl"}[same]
    if same == "hard-link":
        os.link(source, target)
    elif same == "symlink":
        target.symlink_to(source)
    result = CliRunner().invoke(main, ["extract", str(source), "-o", str(target), "--no-progress"])
    assert result.exit_code == 2 and "also an input" in result.output
    assert source.read_bytes() == before
    errors_too = CliRunner().invoke(main, ["extract", str(source), "--errors", str(source), "--no-progress"])
    assert errors_too.exit_code == 2 and source.read_bytes() == before
