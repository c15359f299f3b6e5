"""The command lines' numbers and files are checked before any work starts: a worker count, a
batch size or a time limit past its bound, an --errors file that cannot be written and a repeated
--kinds are usage errors (exit status 2, saying the bound and why), at the CLI and the Spark job.

The inputs here are mostly missing on purpose: a value the CLI accepts then stops at the input
check (exit 2, "cannot read the input") before any worker or model is started, so a bound that
regressed cannot start 100,000 processes from a test."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from bulk_data import ROOT, seed_articles, write_jsonl
from service import limits
from service.cli import main

QUOTEWIRE = [sys.executable, "-m", "service.cli"]


def extract(tmp_path, *args: str):
    """`quotewire extract` on a missing input: only the options are read."""
    return CliRunner().invoke(main, ["extract", str(tmp_path / "missing.jsonl"), *args])


def reached_the_input_check(result) -> bool:
    return result.exit_code == 2 and "cannot read the input" in result.output


# --- --workers ------------------------------------------------------------------------------------

def test_too_many_workers_is_a_usage_error_that_says_the_limit_and_why(tmp_path):
    result = extract(tmp_path, "-w", "100000")
    assert result.exit_code == 2
    assert f"100000 is more than {limits.MAX_WORKERS}" in result.output
    assert "its own copy of the spaCy model" in result.output


def test_the_most_workers_allowed_are_accepted(tmp_path):
    assert limits.MAX_WORKERS >= max(8, os.cpu_count() or 1)   # the default (the cores) fits
    assert reached_the_input_check(extract(tmp_path, "-w", str(limits.MAX_WORKERS)))
    assert "more than" in extract(tmp_path, "-w", str(limits.MAX_WORKERS + 1)).output


def test_the_runner_refuses_too_many_workers_before_starting_any():
    from service.bulk.runner import run_chunks

    with pytest.raises(ValueError, match=f"more than {limits.MAX_WORKERS}"):
        next(run_chunks(iter([]), workers=limits.MAX_WORKERS + 1))


def test_too_many_serve_workers_is_a_usage_error_before_anything_starts():
    # A subprocess, as `serve` execs the front door; with a bad setting the front door stops
    # before it starts gunicorn, so even a regressed bound starts no workers here.
    env = dict(os.environ, QUOTEWIRE_MAX_BODY_BYTES="not a number")
    done = subprocess.run([*QUOTEWIRE, "serve", "--workers", "100000"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert f"100000 is more than {limits.MAX_WORKERS}" in done.stderr
    assert "gunicorn worker" in done.stderr


def test_too_many_front_door_workers_is_a_usage_error_before_anything_starts():
    done = subprocess.run([sys.executable, "-m", "service.frontdoor", "--workers", "100000"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"100000 is more than {limits.MAX_WORKERS}" in done.stderr


@pytest.mark.parametrize("value, says", [("100000", f"100000 is more than {limits.MAX_WORKERS}"),
                                         ("0", "0 is less than 1"), ("abc", "'abc' is not a whole number")])
def test_a_web_concurrency_past_the_bound_stops_gunicorns_config(value, says):
    """gunicorn.conf.py itself, run as gunicorn reads it: a bad WEB_CONCURRENCY stops startup."""
    env = dict(os.environ, WEB_CONCURRENCY=value, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", "import runpy; runpy.run_path('gunicorn.conf.py')"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and f"WEB_CONCURRENCY: {says}" in done.stderr


# --- --batch-size ---------------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["99999999999999999999", str(limits.MAX_BATCH_SIZE + 1)])
def test_a_huge_batch_size_is_a_usage_error(tmp_path, size):
    result = extract(tmp_path, "--batch-size", size)
    assert result.exit_code == 2
    assert f"{size} is more than {limits.MAX_BATCH_SIZE}" in result.output


def test_the_largest_batch_size_is_accepted(tmp_path):
    assert reached_the_input_check(extract(tmp_path, "--batch-size", str(limits.MAX_BATCH_SIZE)))


# --- --article-timeout ----------------------------------------------------------------------------

@pytest.mark.parametrize("seconds, says", [
    ("inf", "more than 86,400 seconds"),
    ("1e308", "more than 86,400 seconds"),
    ("86401", "more than 86,400 seconds"),
    ("nan", "'nan' is not a number of seconds"),
    ("-1", "less than 0"),
])
def test_an_article_timeout_past_a_day_or_not_finite_is_a_usage_error(tmp_path, seconds, says):
    result = extract(tmp_path, "--article-timeout", seconds)
    assert result.exit_code == 2
    assert says in result.output


@pytest.mark.parametrize("seconds", ["0", "0.5", "86400"])
def test_article_timeouts_from_none_to_a_day_are_accepted(tmp_path, seconds):
    assert reached_the_input_check(extract(tmp_path, "--article-timeout", seconds))


# --- --errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("make_errors_path, says", [
    (lambda tmp: tmp / "no-such-dir" / "errors.jsonl", "there is no directory"),
    (lambda tmp: tmp / "in.jsonl" / "errors.jsonl", "there is no directory"),   # under a file
])
def test_an_errors_file_that_cannot_be_written_is_a_usage_error_before_any_output(
        tmp_path, make_errors_path, says):
    source = write_jsonl(tmp_path / "in.jsonl", seed_articles()[:1])
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    errors_path = make_errors_path(tmp_path)
    result = CliRunner().invoke(main, ["extract", str(source), "-o", str(out),
                                       "--errors", str(errors_path), "-w", "1", "--no-progress"])
    assert result.exit_code == 2, result.output
    assert f"--errors {errors_path}: {says}" in result.output
    assert out.read_text(encoding="utf-8") == "previous results\n"   # not truncated


# --- --kinds --------------------------------------------------------------------------------------

def test_kinds_given_twice_is_a_usage_error_not_a_silent_override(tmp_path):
    result = extract(tmp_path, "--kinds", "speech", "--kinds", "thought")
    assert result.exit_code == 2
    assert "--kinds given more than once" in result.output
    assert "--kinds speech,thought" in result.output   # how to say it


def test_kinds_given_once_still_reaches_the_run(tmp_path):
    assert reached_the_input_check(extract(tmp_path, "--kinds", "speech,thought"))


# --- the Spark job's command line (parsed only: no Spark is started) ----------------------------

def spark_args(*args: str):
    from service.spark import parse_args

    return parse_args(["--input", "in.jsonl", "--output", "out", *args])


@pytest.mark.parametrize("args, says", [
    (("--batch-size", "99999999999999999999"), f"is more than {limits.MAX_BATCH_SIZE}"),
    (("--batch-size", "0"), "less than 1"),
    (("--article-timeout", "inf"), "more than 86,400 seconds"),
    (("--article-timeout", "nan"), "not a number of seconds"),
    (("--article-timeout", "-5"), "less than 0"),
    (("--kinds", "speech", "--kinds", "thought"), "--kinds given more than once"),
    (("--partitions", "-3"), "less than 1"),
    (("--partitions", "10000000"), f"is more than {limits.MAX_PARTITIONS}"),
])
def test_the_spark_job_refuses_the_same_values_as_a_usage_error(capsys, args, says):
    with pytest.raises(SystemExit) as stopped:
        spark_args(*args)
    assert stopped.value.code == 2
    assert says in capsys.readouterr().err


def test_the_spark_job_takes_values_within_the_bounds():
    args = spark_args("--batch-size", str(limits.MAX_BATCH_SIZE), "--article-timeout", "0",
                      "--kinds", "thought,speech")
    assert (args.batch_size, args.article_timeout, args.kinds) == (limits.MAX_BATCH_SIZE, 0.0,
                                                                   ("speech", "thought"))
    assert spark_args().article_timeout == 10.0 and spark_args().kinds is None
