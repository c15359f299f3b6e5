"""The `quotewire` command: bulk extraction, evaluation against gold data, and the API server.

    quotewire extract articles.jsonl crawl.warc.gz --output quotes.parquet --workers 4
    quotewire bank quotes.parquet --output bank/
    quotewire evaluate gold.jsonl
    quotewire serve --port 8000
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import click

from service import limits
from service.bulk.extraction import Extracted
from service.bulk.readers import input_problem, read_inputs
from service.bulk.records import Article, Failure
from service.bulk.runner import CHUNK_SIZE, WorkerError, run_chunks
from service.bulk.writers import open_writer, refuse_overwriting_inputs, refuse_unwritable
from service.nlp import DEFAULT_BATCH_SIZE
from service.nlp.kinds import (KINDS_LIST, KINDS_REPEATED, UnknownKinds, left_out_counts,
                               left_out_summary, parse_kinds_option)


@click.group()
def main() -> None:
    """Quotewire: who said what in news articles."""


class _Checked:
    """A click number range whose values a service.limits function checks, so that the error
    past a bound says why there is one; a range so that --help shows it."""

    def __init__(self, check, low, high):
        super().__init__(min=low, max=high)
        self.check = check

    def convert(self, value, param, ctx):
        try:
            return self.check(value)
        except limits.BadNumber as exc:
            self.fail(str(exc), param, ctx)


class CheckedInt(_Checked, click.IntRange):
    """Whole numbers, e.g. CheckedInt(limits.batch_size, 1, limits.MAX_BATCH_SIZE)."""


class CheckedFloat(_Checked, click.FloatRange):
    """Numbers, e.g. CheckedFloat(limits.article_timeout, 0, limits.MAX_ARTICLE_TIMEOUT_S)."""


# --- extract --------------------------------------------------------------------------------------

def kinds_option(ctx, values: tuple[str, ...]) -> tuple[str, ...] | None:
    """--kinds speech,thought, checked against the kinds (a usage error names the unknown ones).
    Given twice it is a usage error too: a user may mean the last one or both."""
    if len(values) > 1:
        raise click.UsageError(f"--kinds {KINDS_REPEATED}", ctx)
    if not values:
        return None
    try:
        return parse_kinds_option(values[0])
    except UnknownKinds as exc:
        raise click.BadParameter(str(exc), param_hint="--kinds") from None


class ErrorLog:
    """Failures go to stderr (above the progress bar) and, with --errors, to a JSONL file."""

    def __init__(self, path: str | None, append: bool, echo):
        self.count = 0
        self._echo = echo
        self._file = open(path, "a" if append else "w", encoding="utf-8") if path else None

    def report(self, failure: Failure) -> None:
        self.count += 1
        self._echo(f"skipped {failure.id}: {failure.reason}")
        if self._file:
            self._file.write(json.dumps({"id": failure.id, "reason": failure.reason},
                                        ensure_ascii=False) + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file:
            self._file.close()


@dataclass
class Tally:
    articles: int = 0
    quotes: int = 0
    already_done: int = 0   # skipped by --resume
    not_english: int = 0    # read, but not English: no quotes (the warning is in their meta)
    left_out: Counter = field(default_factory=Counter)   # quotes --kinds left out, by kind



def skip_done(items, done_ids, tally: Tally):
    """Drop articles already in the output (for --resume; writers give their ids as strings),
    counting them."""
    for item in items:
        if isinstance(item, Article) and str(item.id) in done_ids:
            tally.already_done += 1
            continue
        yield item


def summary(tally: Tally, errors: int, elapsed: float, workers: int, output: str, resume: bool) -> str:
    rate = tally.articles / elapsed if elapsed else 0.0
    resumed = f", {tally.already_done} already in output" if resume else ""
    foreign = f", {tally.not_english} not English" if tally.not_english else ""
    filtered = left_out_summary(tally.left_out)
    return (f"quotewire: {tally.articles} articles{foreign}, {tally.quotes} quotes{filtered}, {errors} skipped as "
            f"errors{resumed}, in {elapsed:.1f} s ({rate:.2f} articles/s, {workers} workers) "
            f"-> {output}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True,
              help="OUT.jsonl (one result object per article), OUT.parquet or OUT.csv (one row "
                   "per quote), or - for JSONL on stdout.")
@click.option("-w", "--workers", type=CheckedInt(limits.workers, 1, limits.MAX_WORKERS),
              default=None,
              help="Worker processes (default: number of cores). Output does not depend on it.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), default=None,
              help="Also write skipped records (JSONL: id, reason) to this file.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any record was skipped.")
@click.option("--resume", is_flag=True,
              help="Keep OUT and skip the articles already in it (after an interruption).")
@click.option("--batch-size", type=CheckedInt(limits.batch_size, 1, limits.MAX_BATCH_SIZE),
              default=DEFAULT_BATCH_SIZE, show_default=True, help="Texts per nlp.pipe batch.")
@click.option("--article-timeout", default=10.0, show_default=True,
              type=CheckedFloat(limits.article_timeout, 0, limits.MAX_ARTICLE_TIMEOUT_S),
              help="Seconds one article may take (per 100,000 characters for longer texts); an "
                   "article over it is reported and skipped. 0: no limit.")
@click.option("--checkpoint-every", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Parquet output: save progress every N articles (what --resume picks up).")
@click.option("--model", default=None, help="spaCy model (default: $QUOTEWIRE_MODEL or en_core_web_sm).")
@click.option("--kinds", multiple=True, callback=lambda ctx, param, values: kinds_option(ctx, values),
              help=f"Keep only quotes of these kinds, comma-separated in one --kinds "
                   f"({KINDS_LIST}); default: all. JSONL results say what was left out in "
                   "meta.kinds, the summary counts it.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Progress bar on stderr.")
def extract(inputs, output, workers, errors_path, strict, resume, batch_size, article_timeout,
            checkpoint_every, model, kinds, progress):
    """Extract quotes from INPUT files (JSONL, CSV, Parquet, .txt directory, WARC[.gz]; - = stdin).

    Bad records are reported and skipped; the run goes on.
    """
    from tqdm import tqdm

    workers = workers or os.cpu_count() or 1
    problems = [problem for problem in map(input_problem, inputs) if problem]
    if problems:   # before the output is opened: a mistyped name must not truncate anything
        raise click.UsageError("cannot read the input:\n  " + "\n  ".join(problems))

    def echo(message: str) -> None:
        tqdm.write(message, file=sys.stderr)

    try:
        refuse_overwriting_inputs(output, inputs, errors_path)
        refuse_unwritable("--errors", errors_path)   # before the output is opened and emptied
        writer = open_writer(output, resume, checkpoint_every)
        errors = ErrorLog(errors_path, append=resume, echo=echo)
    except (ValueError, OSError) as exc:
        raise click.UsageError(str(exc)) from exc

    bar = tqdm(desc="extracting", unit=" articles", file=sys.stderr, disable=not progress,
               dynamic_ncols=True)
    tally = Tally()
    started = time.perf_counter()
    records = skip_done(read_inputs(inputs), writer.done_ids, tally)
    try:
        for outcomes in run_chunks(records, workers=workers, model=model, chunk_size=CHUNK_SIZE,
                                   batch_size=batch_size, article_timeout=article_timeout,
                                   kinds=kinds, notify=echo):
            done = [o for o in outcomes if isinstance(o, Extracted)]
            for outcome in done:   # filtered by the workers; what they left out is in the meta
                tally.left_out.update(left_out_counts(outcome.meta.get("kinds")))
            failures = [o for o in outcomes if isinstance(o, Failure)]
            unwritable = writer.write(done)
            for failure in failures + unwritable:
                errors.report(failure)
            written = [o for o in done if o.id not in {f.id for f in unwritable}]
            tally.articles += len(written)
            tally.quotes += sum(len(o.result["quotes"]) for o in written)
            for warned in (o for o in written if o.meta.get("warning")):
                tally.not_english += 1
                echo(f"no quotes in {warned.id}: {warned.meta['warning']}")
            bar.update(len(written))
            bar.set_postfix(quotes=tally.quotes, errors=errors.count, refresh=False)
        writer.close()
    except KeyboardInterrupt:
        writer.checkpoint()
        bar.close()
        click.echo(f"quotewire: interrupted after {tally.articles} articles; rerun with --resume "
                   f"to go on", err=True)
        sys.exit(130)
    except WorkerError as exc:
        writer.checkpoint()
        raise click.ClickException(f"{exc}; rerun with --resume to go on") from exc
    finally:
        bar.close()
        errors.close()

    click.echo(summary(tally, errors.count, time.perf_counter() - started, workers, output, resume),
               err=True)
    if strict and errors.count:
        sys.exit(1)


# --- bank -----------------------------------------------------------------------------------------

@main.command()
@click.argument("quotes", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="BANK_DIR for quotes.parquet, speakers.parquet and members.parquet.")
def bank(quotes, output):
    """Cluster the QUOTES rows of `quotewire extract` (.parquet files or directories, .jsonl) into
    a quote bank: each quote once, with the articles that carried it and who said it."""
    from service.bank import build_bank
    from service.bank.files import read_quote_rows, summary_lines, write_bank

    started = time.perf_counter()
    skipped = []

    def report(item) -> None:
        skipped.append(item)
        click.echo(f"skipped {item.where}: {item.reason}", err=True)

    columns = read_quote_rows(quotes, report)
    result = build_bank(columns)
    write_bank(result, output)
    wordless = result.members["cluster_id"].count(None)
    for line in summary_lines(result.quotes, result.speakers, len(columns["article_id"]), wordless):
        click.echo(line)
    click.echo(f"quotewire bank: {len(skipped)} inputs skipped, {time.perf_counter() - started:.1f} s "
               f"-> {output}", err=True)


# --- evaluate -------------------------------------------------------------------------------------

@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N articles.")
@click.option("--errors", "show_errors", is_flag=True,
              help="Also list missed, spurious and wrong-speaker quotes with context.")
@click.option("--by-rule", is_flag=True,
              help="Also score each rule: quotes, precision, share of true positives, missed cues.")
@click.option("--exact", is_flag=True,
              help="Also print exact-span F1 per role (content, source, cue), trimmed.")
@click.option("--kind-table", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Also print kind accuracy and its confusion table on this table of hand-labelled "
                   "kinds of GOLD's attributions (e.g. tests/data/gum/gum_kinds.jsonl).")
def evaluate(gold, limit, show_errors, by_rule, exact, kind_table):
    """Score the engine against a GOLD JSONL file (precision, recall, F1, speaker accuracy)."""
    from service import evaluate as evaluation
    from service.nlp import load_pipeline

    nlp = load_pipeline()    # one model, and one engine pass, for the scores and the kinds
    scores = evaluation.evaluate_file(gold, nlp=nlp, limit=limit)
    click.echo(evaluation.full_report(scores, errors=show_errors, by_rule=by_rule, exact=exact))
    if kind_table:
        from service.evaluate_kinds import evaluate_kinds, format_kinds
        try:
            kinds = evaluate_kinds(kind_table, gold, nlp=nlp, results=dict(
                zip((a["id"] for a in scores["gold_articles"]), scores["results"])))
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        click.echo("\n" + "\n".join(format_kinds(kinds, errors=show_errors)))


# --- serve ----------------------------------------------------------------------------------------

@main.command()
@click.option("--port", type=int, default=None, help="Port (default: $PORT, else 8000).")
@click.option("--workers", type=CheckedInt(limits.serve_workers, 1, limits.MAX_WORKERS), default=None,
              help="gunicorn workers.")
def serve(port, workers):
    """Run the API as in production: nginx in front of gunicorn (service/frontdoor.py)."""
    argv = [sys.executable, "-m", "service.frontdoor"]
    if port is not None:
        argv += ["--port", str(port)]
    if workers is not None:
        argv += ["--workers", str(workers)]
    os.execv(sys.executable, argv)


if __name__ == "__main__":
    main()
