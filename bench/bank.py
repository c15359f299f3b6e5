"""The quote bank: quality on a syndication corpus, and time and memory at scale.

    .venv/bin/python bench/bank.py quality [--workers 2] [--max-copies 30]
    .venv/bin/python bench/bank.py scale [--sizes 100000 300000 1000000] [--spark-sizes 100000]
    .venv/bin/python bench/bank.py lsh [--size 100000] [--tables 5 10]

quality: a syndication corpus built at run time from the GUM news texts, the seed stories and,
where present, ../shared/data/polnear_dev.jsonl (read here only, never written into the project).
Each article is published by a wire and republished 2-30 times with the edits syndication makes:
the headline rewritten, paragraphs dropped, quote marks and dashes changed, a typo in a quote, a
quote trimmed to a partial quote in the outlet's own paragraph (with the speaker's surname or
title), and now and then a quote given to someone else (a planted conflict). Articles that quote
the same speakers saying other things — and other people with the same surnames — are mixed in.
The whole chain runs: `quotewire extract` on all articles, then `quotewire bank` on the rows.
Truth: every quote row of a copy is traced back, through the known edits, to the quote of the
original it came from. Figures: pairwise clustering precision and recall over traced rows
(floors 0.98 / 0.95), speaker merge precision (floor 0.99; rows whose person is known: the
planted speakers, their name variants and their namesakes), and planted conflicts found (all).

scale: synthetic quote rows (syndicated copies with the same kinds of edits; no engine), the bank
step alone on 100k, 300k and 1M rows with the CLI (time, peak memory of the process), and the
Spark job in local[2] on the sizes asked, checked to give the same clusters and speakers. Floors:
1M rows in <= 10 minutes and <= 4 GB; time per row growing no worse than n log n. The machine is
shared: figures carry its load average.

lsh: on the distinct texts of synthetic rows, every pair that passes the bank's exact check (found
exactly, by a prefix filter) against the candidates of the CLI's banded MinHash (as it buckets
texts, and on every band, as it did before): recall, and rows whose cluster it changes. With
--tables, also Spark's pyspark.ml MinHashLSH with each number of hash tables given (slow: its
join takes minutes on 20k rows in local[2], half an hour on 100k).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.nlp.serialize import ROW_COLUMNS  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
GUM = DATA / "gum_news.jsonl"
POLNEAR_DEV = DATA / "polnear_dev.jsonl"
SEEDS = ROOT / "tests" / "data" / "seeds"
QUOTEWIRE = [sys.executable, "-m", "service.cli"]
SEED = 14
FLOORS = {"precision": 0.98, "recall": 0.95, "speaker_precision": 0.99}
OTHER_GIVEN_NAMES = ("Anna", "Thomas", "Maria", "Peter", "Laura", "David", "Helen", "Oscar")


def load_articles() -> list[dict]:
    articles = []
    for path in (GUM, POLNEAR_DEV):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                articles.append({"id": record["id"], "text": record["text"]})
    articles += [{"id": f"seed:{p.stem}", "text": p.read_text(encoding="utf-8")}
                 for p in sorted(SEEDS.glob("*.txt"))]
    return articles


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(predicted: list, truth: list) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering (predicted labels) against the truth."""
    both = sum(pairs(c) for c in Counter(zip(predicted, truth)).values())
    found = sum(pairs(c) for c in Counter(predicted).values())
    real = sum(pairs(c) for c in Counter(truth).values())
    return (both / found if found else 1.0), (both / real if real else 1.0)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


# --- peak memory of a child process ---------------------------------------------------------------

def run_measured(argv: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float, float,
                                                    float]:
    """Run a command; returns it, seconds, peak RSS in GB of it and its children (sampled), and
    the CPU seconds it used (less sensitive than wall time to other jobs on a shared machine)."""
    import resource

    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               **kwargs)
    peak = [0]

    def sample() -> None:
        watched = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                tree = [watched, *watched.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    done = subprocess.CompletedProcess(argv, process.returncode, out, err)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done, time.perf_counter() - started, peak[0] / 1e9, cpu


def read_bank(folder: Path) -> dict[str, list[dict]]:
    return {name: pq.read_table(folder / name).to_pylist()
            for name in ("quotes.parquet", "speakers.parquet", "members.parquet")}


def member_map(members: list[dict]) -> dict[tuple, tuple]:
    return {(m["article_id"], m["quote_id"]): (m["cluster_id"], m["speaker_id"]) for m in members}


# --- quality: the syndication corpus --------------------------------------------------------------

PARAGRAPH = re.compile(r"[^\n]+")
WORD = re.compile(r"[A-Za-z]{6,}")
OPENS_WITH_MARK = re.compile(r"\s*[\"“”'‘]")


@dataclass
class Segment:
    copy_start: int
    length: int
    original_start: int | None     # None: the outlet's own paragraph


@dataclass
class Planted:
    start: int                     # span of the planted quote words in the copy
    end: int
    label: tuple | None            # the original quote it repeats, or its own label
    person: str | None             # who the paragraph says it is
    conflict: bool = False


@dataclass
class Copy:
    id: str
    original: str
    text: str
    segments: list[Segment] = field(default_factory=list)
    planted: list[Planted] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def leaves_quote_open(paragraph: str) -> bool:
    """A paragraph whose last quote runs on into the next paragraph (no closing mark)."""
    return paragraph.count('"') % 2 == 1 or paragraph.count("“") > paragraph.count("”")


def insertion_points(pieces: list[tuple]) -> list[int]:
    """Where an outlet's own paragraph may go (after the headline): not before a paragraph that
    opens with a quote mark, which the newswire convention reads as the inserted paragraph's
    speaker going on (the truth would then be wrong), nor inside a quote running over paragraphs."""
    return [k for k in range(1, len(pieces) + 1)
            if (k == len(pieces) or not OPENS_WITH_MARK.match(pieces[k][0]))
            and not leaves_quote_open(pieces[k - 1][0])] or [len(pieces)]


def swap_marks(text: str, rng: random.Random) -> str:
    """Straight double quotes to curly pairs or back, and spaced hyphens to dashes (same length)."""
    if rng.random() < 0.5:
        opened = [False]

        def curl(_match):
            opened[0] = not opened[0]
            return "“" if opened[0] else "”"

        text = re.sub('"', curl, text)
    else:
        text = text.replace("“", '"').replace("”", '"')
    return text.replace(" - ", " — ") if rng.random() < 0.5 else text.replace(" — ", " - ")


def typo(text: str, start: int, end: int, rng: random.Random) -> str:
    """Two neighbouring letters of a long word inside [start, end) swapped (same length)."""
    words = [m for m in WORD.finditer(text, start, end)]
    if not words:
        return text
    word = rng.choice(words)
    i = rng.randrange(word.start() + 1, word.end() - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def full_name(name: str) -> bool:
    """A given name and a surname ("Mr. King" is not: a namesake "David King" would fit it)."""
    from service.bank.speakers import parse_person

    parsed = parse_person(name)
    return parsed is not None and parsed.is_full


def quoted_rows(rows: list[dict], min_words: int) -> list[dict]:
    """Quotes the corpus re-quotes: a person's, by full name, at least min_words, no marks inside."""
    return [r for r in rows if r["speaker_kind"] == "person" and r["speaker_name"]
            and full_name(r["speaker_name"])
            and all(word[0].isupper() for word in r["speaker_name"].split())
            and r["type"] in ("direct", "mixed")
            and len(r["text"].split()) >= min_words
            and not re.search(r"[\"“”\n]|''", r["text"])]   # no marks inside: one quote when re-quoted


def surname(name: str) -> str:
    return name.split()[-1]


def name_variant(row: dict, rng: random.Random) -> str:
    """How an outlet names the speaker: surname, title and full name, or a transliteration."""
    name, title = row["speaker_name"], row.get("speaker_title")
    given = name.split()[0]
    choices = [surname(name), f"{title} {name}" if title else f"Mr. {surname(name)}", name]
    if len(given) >= 5 and given[-1] in "iy":
        choices.append(f"{given[:-1]}{'y' if given[-1] == 'i' else 'i'} {' '.join(name.split()[1:])}")
    return rng.choice(choices)


class Corpus:
    def __init__(self, originals: list[dict], rows_by_article: dict[str, list[dict]],
                 max_copies: int, rng: random.Random):
        self.originals = originals
        self.rows = rows_by_article
        self.max_copies = max_copies
        self.rng = rng
        self.copies: list[Copy] = []
        self.planted_conflicts: list[tuple] = []
        self.namesakes: dict[str, str] = {}    # planted namesake -> the real speaker's name

    def build(self) -> list[Copy]:
        for number, article in enumerate(self.originals):
            count = min(self.max_copies, 2 + int(self.rng.expovariate(1 / 4)))
            date = f"2016-{1 + number % 12:02d}-{1 + number % 27:02d}"
            self.copies.append(self.wire_copy(article, date))
            conflict_at = self.rng.randrange(count) if self.rng.random() < 0.5 else None
            for outlet in range(count):
                self.copies.append(self.republish(article, outlet, date, outlet == conflict_at))
        self.copies += self.unrelated_articles()
        return self.copies

    def wire_copy(self, article: dict, date: str) -> Copy:
        text = article["text"]
        return Copy(f"wire/{article['id']}", article["id"], text, [Segment(0, len(text), 0)],
                    meta={"source": "wire.example", "date": date,
                          "url": f"https://wire.example/{article['id']}"})

    def republish(self, article: dict, outlet: int, date: str, plant_conflict: bool) -> Copy:
        rng, text = self.rng, article["text"]
        rows = self.rows.get(article["id"], [])
        spans = [(m.start(), m.end()) for m in PARAGRAPH.finditer(text)]
        kept = [spans[0]] + [s for s in spans[1:] if rng.random() > 0.2] if spans else []
        pieces: list[tuple[str, int | None, Planted | None]] = []
        headline = re.sub(r"[\"“”]", "", text[spans[0][0]:spans[0][1]]) if spans else ""
        pieces.append((f"UPDATE {outlet + 1}: {' '.join(headline.split()[:8])}", None, None))
        typo_row = rng.choice(rows) if rows and rng.random() < 0.4 else None
        for start, end in kept[1:]:
            paragraph = swap_marks(text[start:end], rng)
            if typo_row and start <= typo_row["start"] and typo_row["end"] <= end:
                paragraph = typo(paragraph, typo_row["start"] - start, typo_row["end"] - start, rng)
            pieces.append((paragraph, start, None))
        candidates = quoted_rows(rows, 8)
        if candidates and rng.random() < 0.5:
            pieces.insert(rng.choice(insertion_points(pieces)), self.fragment_paragraph(
                article["id"], rng.choice(candidates)))
        if candidates and plant_conflict:
            pieces.insert(rng.choice(insertion_points(pieces)), self.conflict_paragraph(
                article["id"], rng.choice(candidates)))
        day = int(date[-2:]) + rng.randrange(0, 3)
        copy = Copy(f"outlet{outlet}/{article['id']}", article["id"], "",
                    meta={"source": f"outlet{outlet}.example", "date": f"{date[:-2]}{day:02d}",
                          "url": f"https://outlet{outlet}.example/news/{article['id']}"})
        return assemble(copy, pieces, "\n\n" if "\n\n" in text else "\n")

    def fragment_paragraph(self, article_id: str, row: dict) -> tuple:
        """A partial quote in the outlet's own words: 4-7 words of the quote."""
        words = row["text"].split()
        size = self.rng.randint(4, min(7, len(words) - 2))
        begin = self.rng.randrange(0, len(words) - size + 1)
        fragment = " ".join(words[begin:begin + size]).strip(",.;:!?")
        lead = f"{name_variant(row, self.rng)} said the plan was "
        planted = Planted(len(lead) + 1, len(lead) + 1 + len(fragment),
                          (article_id, row["quote_id"]), row["speaker_name"])
        return f'{lead}"{fragment}".', None, planted

    def conflict_paragraph(self, article_id: str, row: dict) -> tuple:
        """The whole quote, given to another person (a namesake or someone else)."""
        other = self.namesake(row["speaker_name"])
        quote = row["text"].strip()
        planted = Planted(1, 1 + len(quote), (article_id, row["quote_id"]), other, conflict=True)
        self.planted_conflicts.append((article_id, row["quote_id"]))
        return f'"{quote}" {other} said.', None, planted

    def namesake(self, name: str) -> str:
        given = name.split()[0]
        other = next(g for g in self.rng.sample(OTHER_GIVEN_NAMES, len(OTHER_GIVEN_NAMES))
                     if g[0] != given[0])
        planted = f"{other} {' '.join(name.split()[1:])}"
        self.namesakes[planted] = name
        return planted

    def unquoted_sentences(self, article: dict) -> list[str]:
        """Sentences of an original in which the engine found no quote (not even reported speech)."""
        quoted = [(r["start"], r["end"]) for r in self.rows.get(article["id"], [])]
        found = []
        for match in re.finditer(r"[^.!?\n]+[.!?]", article["text"]):
            if not any(start < match.end() and match.start() < end for start, end in quoted):
                found.append(match.group().strip())
        return found

    def unrelated_articles(self) -> list[Copy]:
        """The same speakers (and their namesakes) saying other things: narrative sentences of
        other articles, quoted."""
        speakers = sorted({r["speaker_name"]: r for rows in self.rows.values()
                           for r in quoted_rows(rows, 8)}.values(), key=lambda r: r["speaker_name"])
        sentences = [s for a in self.originals for s in self.unquoted_sentences(a)
                     if 10 <= len(s.split()) <= 30 and not re.search(r"[\"“”\n]", s)]
        copies = []
        for number, row in enumerate(speakers):
            pieces = [(f"Briefing {number}", None, None)]
            for person in (row["speaker_name"], self.namesake(row["speaker_name"])):
                sentence = self.rng.choice(sentences).rstrip(".!?")
                planted = Planted(1, 1 + len(sentence), ("unrelated", number, person), person)
                pieces.append((f'"{sentence}," {person} said.', None, planted))
            copy = Copy(f"briefing/{number}", "", "", meta={
                "source": "briefing.example", "date": "2016-12-31",
                "url": f"https://briefing.example/{number}"})
            copies.append(assemble(copy, pieces))
        return copies


def assemble(copy: Copy, pieces: list[tuple], separator: str = "\n\n") -> Copy:
    """Join paragraphs (as the original separates them), remembering where each came from and
    where planted quotes landed."""
    text = ""
    for paragraph, original_start, planted in pieces:
        if text:
            text += separator
        copy.segments.append(Segment(len(text), len(paragraph), original_start))
        if planted:
            copy.planted.append(Planted(len(text) + planted.start, len(text) + planted.end,
                                        planted.label, planted.person, planted.conflict))
        text += paragraph
    copy.text = text
    return copy


def overlaps(a: tuple[int, int], b: tuple[int, int], of=min) -> bool:
    """Overlap of at least half the shorter span (the project's matching rule), or with
    `of=max` of the longer one (each span mostly the other)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= 0.5 * of(a[1] - a[0], b[1] - b[0])


def original_clusters(folder: Path) -> dict[tuple, str]:
    """(article, quote id) -> cluster, in the bank of the original articles alone. Where the
    originals already repeat a quote (one article quoting a phrase twice, two articles quoting
    one speech), syndication cannot tell whether joining them is right: the truth for a copy is
    to land where its original landed."""
    run_cli(["bank", str(folder / "originals.parquet"), "-o", str(folder / "originals-bank")])
    members = read_bank(folder / "originals-bank")["members.parquet"]
    return {(m["article_id"], m["quote_id"]): m["cluster_id"] for m in members}


def trace(copy: Copy, row: dict, originals: dict[str, list[dict]]):
    """(label, person, planted) of a copy's quote row: the planted quote it is, or the original
    quote it came from (the same words, mostly the same span); None when it traces to neither."""
    span = (row["start"], row["end"])
    for planted in copy.planted:
        if overlaps(span, (planted.start, planted.end)):
            return planted.label, planted.person, True
    for segment in copy.segments:
        if segment.original_start is None:
            continue
        if segment.copy_start <= row["start"] < segment.copy_start + segment.length:
            shift = segment.original_start - segment.copy_start
            for original in originals.get(copy.original, []):
                # Mostly the same span: where the engine cut an edited copy into other quotes
                # than the original's, the row is left out (counted as not traced).
                if overlaps((span[0] + shift, span[1] + shift), (original["start"], original["end"]),
                            of=max):
                    return (copy.original, original["quote_id"]), original["speaker_name"], False
    return None


def run_cli(argv: list[str]) -> str:
    done = subprocess.run(QUOTEWIRE + argv, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"quotewire {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    return done.stdout + done.stderr


def extract_rows(folder: Path, name: str, articles: list[dict], workers: int) -> list[dict]:
    """The engine's quote rows of the articles (kept in a --workdir: a rerun on the same corpus
    only runs the bank again)."""
    source = folder / f"{name}.jsonl"
    lines = [json.dumps(article, ensure_ascii=False) + "\n" for article in articles]
    if (folder / f"{name}.parquet").exists() and source.read_text(encoding="utf-8") == "".join(lines):
        return pq.read_table(folder / f"{name}.parquet").to_pylist()
    source.write_text("".join(lines), encoding="utf-8")
    run_cli(["extract", str(source), "-o", str(folder / f"{name}.parquet"), "-w", str(workers),
             "--no-progress"])
    return pq.read_table(folder / f"{name}.parquet").to_pylist()


def person_key(name: str) -> tuple[str, str]:
    """A person as the corpus knows them: first given name and surname ("Donald J. Trump" and
    "Donald Trump" alike; "Anna Trump", a planted namesake, not)."""
    tokens = name.split()
    return tokens[0].casefold(), tokens[-1].casefold()


def speaker_person(row: dict, traced_person: str | None, planted: bool) -> tuple | None:
    """Who a row's speaker really is, where the corpus knows: the person an outlet's paragraph
    names (a variant of the original speaker, or a namesake), or the original speaker when the
    engine gives the copy's row the original's very name. Others are not scored."""
    if not traced_person or not row["speaker_name"] or len(traced_person.split()) < 2:
        return None
    if row["speaker_name"] == traced_person:
        return person_key(traced_person)
    words = row["speaker_name"].split()
    other_given = len(words) > 1 and not words[0].endswith(".") and \
        words[0].casefold() != person_key(traced_person)[0]
    # A planted paragraph's row is scored unless the engine named someone else's given name there.
    return person_key(traced_person) if planted and not other_given else None


def quality(args) -> None:
    rng = random.Random(SEED)
    originals = load_articles()
    print(f"originals: {len(originals)} articles (GUM news, seeds"
          f"{', PolNeAR dev' if POLNEAR_DEV.exists() else ''}); load {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bank-quality-") as tmp:
        folder = Path(args.workdir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        original_rows = extract_rows(folder, "originals", originals, args.workers)
        by_article = defaultdict(list)
        for row in original_rows:
            by_article[row["article_id"]].append(row)
        corpus = Corpus(originals, by_article, args.max_copies, rng)
        copies = corpus.build()
        rows = extract_rows(folder, "copies", [{"id": c.id, "text": c.text, **c.meta}
                                               for c in copies], args.workers)
        extracted = time.perf_counter() - started
        bank_started = time.perf_counter()
        summary = run_cli(["bank", str(folder / "copies.parquet"), "-o", str(folder / "bank")])
        bank_seconds = time.perf_counter() - bank_started
        bank = read_bank(folder / "bank")
        truth_of = original_clusters(folder)
    report_quality(corpus, copies, rows, by_article, bank, truth_of, extracted, bank_seconds,
                   summary)


def report_quality(corpus, copies, rows, by_article, bank, truth_of, extracted, bank_seconds,
                   summary):
    copy_of = {c.id: c for c in copies}
    members = member_map(bank["members.parquet"])
    quotes = {q["cluster_id"]: q for q in bank["quotes.parquet"]}
    predicted, truth, speaker_pairs, untraced = [], [], [], 0
    cluster_of_label = defaultdict(set)
    for row in rows:
        traced = trace(copy_of[row["article_id"]], row, by_article)
        cluster, speaker = members[(row["article_id"], row["quote_id"])]
        if traced is None:
            untraced += 1
            continue
        label, person, planted = traced
        label = truth_of.get(label, label)
        predicted.append(cluster)
        truth.append(label)
        cluster_of_label[label].add(cluster)
        known = speaker_person(row, person, planted)
        if known and speaker:
            speaker_pairs.append((speaker, known))
    precision, recall = pairwise_scores(predicted, truth)
    speaker_precision, _ = pairwise_scores([s for s, _ in speaker_pairs],
                                           [p for _, p in speaker_pairs])
    persons_per_id = defaultdict(set)
    for sid, person in speaker_pairs:
        persons_per_id[sid].add(person)
    merged_people = sum(1 for persons in persons_per_id.values() if len(persons) > 1)
    conflicts = {truth_of.get(label, label) for label in corpus.planted_conflicts}
    found = sum(1 for label in conflicts
                if any(quotes[c]["conflict"] for c in cluster_of_label.get(label, ())))
    print(f"corpus: {len(copies)} articles ({len(copies) - len(corpus.originals)} republished or "
          f"unrelated), {len(rows)} quote rows, {len(rows) - untraced} traced to their quote "
          f"({untraced} not traced: the engine read an edited copy differently)")
    print(f"extraction {extracted:.0f} s; bank {bank_seconds:.1f} s")
    print(summary.strip())
    print(f"pairwise clustering precision {precision:.4f} (floor {FLOORS['precision']}), "
          f"recall {recall:.4f} (floor {FLOORS['recall']})")
    print(f"speaker merge precision {speaker_precision:.4f} (floor {FLOORS['speaker_precision']}) "
          f"over {len(speaker_pairs)} rows of known person; ids holding two people: {merged_people}")
    print(f"planted conflicts found: {found} of {len(conflicts)}")


# --- scale: synthetic rows ------------------------------------------------------------------------

SYLLABLES = ("ka", "ro", "vin", "mi", "sha", "lev", "to", "dan", "el", "ber", "gu", "nor", "sil",
             "va", "rek", "os", "tam", "pri", "zu", "hal")
GIVEN = ("Sergei", "Anna", "Mikhail", "Laura", "Hassan", "Peter", "Maria", "John", "Helen",
         "David", "Olga", "Tomas", "Fatima", "Oscar", "Ines", "Marek")
FUNCTION_WORDS = ("the", "a", "of", "to", "and", "in", "we", "is", "that", "it", "will", "not")


def synthetic_words(count: int, rng: random.Random) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def synthetic_rows(size: int, seed: int = SEED) -> tuple[dict[str, list], list]:
    """About `size` quote rows: articles of 5 quotes by 1-3 people, each republished 1-30 times
    with marks changed, typos, trimmed partial quotes, surname-only or titled names and now and
    then another person; plus each row's true quote label."""
    rng = random.Random(seed)
    vocabulary = synthetic_words(max(2000, size // 20), rng)
    surnames = [w.capitalize() for w in synthetic_words(max(50, size // 400), rng)]
    people = [f"{rng.choice(GIVEN)} {rng.choice(surnames)}" for _ in range(max(100, size // 150))]
    columns = {c: [] for c in ROW_COLUMNS}
    labels = []
    article = 0
    while len(labels) < size:
        speakers = rng.sample(people, rng.randint(1, 3))
        quotes = [(" ".join(rng.choice(vocabulary) if rng.random() < 0.6 else
                            rng.choice(FUNCTION_WORDS) for _ in range(rng.randint(8, 30))),
                   rng.choice(speakers)) for _ in range(5)]
        for copy in range(min(30, 1 + int(rng.expovariate(1 / 5)))):
            for number, (text, speaker) in enumerate(quotes, start=1):
                if copy and rng.random() < 0.2:
                    continue  # paragraph dropped
                text_out, name = text, speaker
                if copy and rng.random() < 0.1:
                    words = text.split()
                    begin = rng.randrange(0, len(words) - 4)
                    text_out = " ".join(words[begin:begin + rng.randint(4, 6)])
                elif copy and rng.random() < 0.1:
                    text_out = typo(text, 0, len(text), rng)
                if rng.random() < 0.5:
                    text_out = f"“{text_out[0].upper()}{text_out[1:]},”"
                if copy and rng.random() < 0.3:
                    name = speaker.split()[-1] if rng.random() < 0.5 else f"Minister {speaker}"
                if copy and rng.random() < 0.01:
                    name = rng.choice(people)  # a conflict
                row = {"article_id": f"a{article}-{copy}", "quote_id": f"q{number}",
                       "text": text_out, "speaker_name": name, "speaker_kind": "person",
                       "type": "direct", "article_date": f"2020-01-{1 + copy % 28:02d}",
                       "source": f"outlet{copy}.example"}
                for column in ROW_COLUMNS:
                    columns[column].append(row.get(column))
                labels.append((article, number))
        article += 1
    return columns, labels


def write_rows(path: Path, columns: dict[str, list]) -> None:
    from service.bulk.schema import arrow_schema

    pq.write_table(pa.Table.from_pydict(columns, schema=arrow_schema()), path)


def scale(args) -> None:
    print(f"load {load_average()} (2 cores shared with other work: compare within one run)")
    results = []
    with tempfile.TemporaryDirectory(prefix="bank-scale-") as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            columns, labels = synthetic_rows(size)
            rows_path = folder / f"rows{size}.parquet"
            write_rows(rows_path, columns)
            del columns
            done, seconds, peak, cpu = run_measured(
                QUOTEWIRE + ["bank", str(rows_path), "-o", str(folder / f"cli{size}")], cwd=ROOT)
            if done.returncode != 0:
                sys.exit(f"bank on {size} rows failed:\n{done.stderr[-3000:]}")
            bank = read_bank(folder / f"cli{size}")
            members = bank["members.parquet"]
            precision, recall = pairwise_scores([m["cluster_id"] for m in members], labels)
            results.append((size, seconds, cpu))
            print(f"{size:>9,} rows: CLI {seconds:6.1f} s ({cpu:.1f} s CPU), peak {peak:.2f} GB, "
                  f"{len(bank['quotes.parquet']):,} clusters, {len(bank['speakers.parquet']):,} "
                  f"speakers; pairwise P {precision:.4f} R {recall:.4f}; load {load_average()}",
                  flush=True)
            if size in args.spark_sizes:
                compare_spark(folder, size, rows_path, members)
    base_size, base_seconds, base_cpu = results[0]
    for size, seconds, cpu in results[1:]:
        nlogn = size * math.log(size) / (base_size * math.log(base_size))
        print(f"{size:,} / {base_size:,} rows: time x{seconds / base_seconds:.2f}, CPU "
              f"x{cpu / base_cpu:.2f} (n log n: x{nlogn:.2f})")


def compare_spark(folder: Path, size: int, rows_path: Path, members: list[dict]) -> None:
    done, seconds, peak, _ = run_measured(
        [sys.executable, "-m", "service.spark", "bank", "--input", str(rows_path), "--output",
         str(folder / f"spark{size}"), "--master", "local[2]"], cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"Spark bank on {size} rows failed:\n{done.stderr[-3000:]}")
    spark_members = member_map(read_bank(folder / f"spark{size}")["members.parquet"])
    cli_members = member_map(members)
    same = sum(1 for key, value in cli_members.items() if spark_members.get(key) == value)
    print(f"{size:>9,} rows: Spark local[2] {seconds:6.1f} s (with start-up), peak {peak:.2f} GB "
          f"(driver, JVM and Python workers); same cluster and speaker as the CLI for {same:,} of "
          f"{len(cli_members):,} rows", flush=True)


# --- lsh: candidate recall of the two MinHash LSH schemes --------------------------------------------

def exact_near_duplicates(shingled) -> set[tuple[int, int]]:
    """Every pair (i < j) of keys (a text.ShingledKeys) that passes the bank's exact check, found
    without hashing: a prefix filter (rarest shingles first, prefix |S| - ceil(0.6 |S|) + 1 long;
    two sets with Jaccard >= 0.6 always share a prefix shingle), each pair sharing one then checked."""
    from service.bank.text import NEAR_DUPLICATE_JACCARD

    sets = [shingled.shingles(i) for i in range(len(shingled.keys))]
    counts = Counter(s for group in sets for s in group)
    index: dict[str, list[int]] = defaultdict(list)
    found = set()
    for j, group in enumerate(sets):
        ordered = sorted(group, key=lambda s: (counts[s], s))
        shared_at_least = math.ceil(round(NEAR_DUPLICATE_JACCARD * len(ordered), 9))
        prefix = ordered[:len(ordered) - shared_at_least + 1]
        for i in {i for s in prefix for i in index[s]}:
            if shingled.near_duplicates(i, j):
                found.add((i, j))
        for s in prefix:
            index[s].append(j)
    return found


def spark_minhashlsh_pairs(shingled, tables: int) -> tuple[set[tuple[int, int]], int, float]:
    """pyspark.ml.feature.MinHashLSH on binary shingle vectors (HashingTF) of the keys (a
    text.ShingledKeys): the pairs its approxSimilarityJoin returns within Jaccard distance 0.45
    (a little wider than the check, for hashed-feature collisions), then the bank's exact check;
    also how many it returned."""
    from pyspark.ml.feature import HashingTF, MinHashLSH
    from pyspark.sql import functions as F

    from service.spark import build_session

    spark = build_session("local[2]", "bank-lsh-recall")
    try:
        frame = spark.createDataFrame([(i, sorted(shingled.shingles(i))) for i in range(len(shingled.keys))],
                                      "id long, shingles array<string>")
        features = HashingTF(inputCol="shingles", outputCol="features", numFeatures=1 << 24,
                             binary=True).transform(frame)
        model = MinHashLSH(inputCol="features", outputCol="hashes", numHashTables=tables,
                           seed=1).fit(features)
        started = time.perf_counter()
        joined = model.approxSimilarityJoin(features, features, 0.45, distCol="distance") \
            .where(F.col("datasetA.id") < F.col("datasetB.id")) \
            .select(F.col("datasetA.id").alias("a"), F.col("datasetB.id").alias("b")).collect()
        seconds = time.perf_counter() - started
    finally:
        spark.stop()
    checked = {(r.a, r.b) for r in joined if shingled.near_duplicates(r.a, r.b)}
    return checked, len(joined), seconds


def rows_in_other_clusters(keys: list[str], row_keys: list[str], truth: set, found: set) -> int:
    """Rows whose cluster (near-duplicate groups alone) differs when only `found` of the true
    pairs are linked."""
    from service.bank.unionfind import UnionFind

    def groups(pairs):
        union = UnionFind(range(len(keys)))
        for i, j in pairs:
            union.union(i, j)
        return union.roots()

    full, partial = groups(truth), groups(found)
    position = {key: i for i, key in enumerate(keys)}
    return sum(1 for key in row_keys if key and full[position[key]] != partial[position[key]])


def lsh(args) -> None:
    from service.bank.local import band_candidates, key_signatures, telling_bands
    from service.bank.text import ShingledKeys, quoted_words, text_key

    columns, _ = synthetic_rows(args.size)
    row_keys = [text_key(quoted_words(t, k)) for t, k in zip(columns["text"], columns["type"])]
    keys = sorted(set(row_keys) - {""})
    print(f"{args.size:,} synthetic rows, {len(keys):,} distinct texts; load {load_average()}")
    started = time.perf_counter()
    shingled = ShingledKeys(keys)    # each text's shingles made once, for every check below
    truth = exact_near_duplicates(shingled)
    print(f"exact near-duplicate pairs (prefix filter, no hashing): {len(truth):,} "
          f"({time.perf_counter() - started:.0f} s)")
    started = time.perf_counter()
    signatures, common, _ = key_signatures(keys)
    seconds = time.perf_counter() - started
    found_by = {}
    for scheme, bucketed in (("bands of function-word shingles skipped", telling_bands(common)),
                             ("every band, as before", None)):
        started = time.perf_counter()
        cli = {tuple(pair) for pair in band_candidates(signatures, bucketed).tolist()}
        found_by[scheme] = truth & cli
        print(f"CLI (datasketch MinHash, 32 bands x 4; {scheme}): {len(cli):,} candidates "
              f"(signatures {seconds:.0f} s, bands {time.perf_counter() - started:.0f} s), recall "
              f"{len(found_by[scheme]) / max(len(truth), 1):.5f}; rows in another cluster than "
              f"with every true pair: {rows_in_other_clusters(keys, row_keys, truth, found_by[scheme])}",
              flush=True)
    found = found_by["bands of function-word shingles skipped"]
    for tables in args.tables:
        checked, returned, seconds = spark_minhashlsh_pairs(shingled, tables)
        print(f"Spark MinHashLSH, {tables} hash tables: {returned:,} pairs returned in {seconds:.0f} s "
              f"(local[2]), recall {len(checked & truth) / max(len(truth), 1):.5f}; rows in another "
              f"cluster than with every true pair: "
              f"{rows_in_other_clusters(keys, row_keys, truth, checked & truth)}; rows where it "
              f"and the CLI differ: {rows_in_other_clusters(keys, row_keys, found, checked & truth)}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    quality_args = commands.add_parser("quality", help="syndication corpus through extract and bank")
    quality_args.add_argument("--workers", type=int, default=2)
    quality_args.add_argument("--max-copies", type=int, default=30)
    quality_args.add_argument("--workdir", default=None,
                              help="keep the corpus, rows and bank here (reruns reuse the rows)")
    scale_args = commands.add_parser("scale", help="bank step on synthetic rows")
    scale_args.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    scale_args.add_argument("--spark-sizes", type=int, nargs="*", default=[100_000])
    lsh_args = commands.add_parser("lsh", help="candidate recall of the CLI's banding (and, with "
                                               "--tables, Spark's MinHashLSH) against every true pair")
    lsh_args.add_argument("--size", type=int, default=100_000)
    lsh_args.add_argument("--tables", type=int, nargs="*", default=[],
                          help="also Spark's MinHashLSH with these numbers of hash tables (slow; "
                               "default: the CLI's banding alone)")
    args = parser.parse_args()
    {"quality": quality, "scale": scale, "lsh": lsh}[args.command](args)


if __name__ == "__main__":
    main()
