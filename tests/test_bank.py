"""The quote bank on one machine: normalisation, the exact pair checks, speaker resolution,
clusters and ids, and the `quotewire bank` command with its three tables."""
from __future__ import annotations

import json
import random

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from service.bank import build_bank
from service.bank.files import summary_lines
from service.bank.speakers import resolve_speakers
from service.bank.tables import INPUT_COLUMNS, SCHEMAS
from service.bank.text import is_fragment, is_near_duplicate, text_key
from service.cli import main
from service.nlp.serialize import ROW_COLUMNS

PARTNER = ("We regard Iran as a very important partner in the region, and we will keep "
           "working with Tehran on every track of the Syrian settlement")
PARTNER_TYPO = PARTNER.replace("important", "importnat")
PARTNER_FRAGMENT = "a very important partner in the region"
TALKS = "The talks will give us an opportunity to compare notes before the conference opens"
OTHER = "Nobody in this building wants another year of sanctions without a plan to lift them"
EMAILS = "I did not send classified material on my personal email account, not once"


def test_normalisation_folds_case_marks_dashes_and_punctuation():
    variants = ['“We regard Iran — as a “very important” partner,”',
                '"we regard IRAN - as a \'very important\' partner"',
                "We  regard Irán as a very important partner..."]
    assert len({text_key(v) for v in variants}) == 1
    assert text_key("Don’t go") == text_key("Dont go") == "dont go"
    assert text_key("We regard Iran as a partner") != text_key("We regard Iraq as a partner")


def test_near_duplicates_are_edited_copies_not_other_quotes():
    assert is_near_duplicate(text_key(PARTNER), text_key(PARTNER_TYPO))
    dropped = PARTNER.replace(" very", "")
    assert is_near_duplicate(text_key(PARTNER), text_key(dropped))
    assert not is_near_duplicate(text_key(PARTNER), text_key(TALKS))
    assert not is_near_duplicate(text_key(PARTNER), text_key(PARTNER))  # the same: not a pair


def test_fragments_are_whole_word_runs_of_a_longer_quote():
    assert is_fragment(text_key(PARTNER_FRAGMENT), text_key(PARTNER))
    assert not is_fragment(text_key("very important"), text_key(PARTNER))  # too short
    assert not is_fragment(text_key("partner in Iran"), text_key(PARTNER))  # not one run
    assert not is_fragment(text_key("ran as a very"), text_key(PARTNER))  # not whole words
    assert not is_fragment(text_key(PARTNER), text_key(PARTNER_FRAGMENT))


def person_counts(*names: str) -> dict:
    return {(name, "person"): 1 for name in names}


def test_name_variants_of_one_person_are_one_speaker():
    variants = ("Lavrov", "Sergei Lavrov", "Foreign Minister Sergei Lavrov", "Sergey Lavrov",
                "S. Lavrov", "Mr. Lavrov")
    resolution = resolve_speakers(person_counts(*variants))
    ids = {resolution.by_name[(name, "person")] for name in variants}
    assert len(ids) == 1
    assert resolution.speakers[ids.pop()].name in ("Sergei Lavrov", "Sergey Lavrov")


def test_people_sharing_a_surname_are_never_merged():
    resolution = resolve_speakers(person_counts("Hillary Clinton", "Bill Clinton", "Clinton",
                                                "George W. Bush", "George H. W. Bush",
                                                "George Bush"))
    ids = {name: resolution.by_name[(name, "person")] for name in
           ("Hillary Clinton", "Bill Clinton", "Clinton", "George W. Bush", "George H. W. Bush",
            "George Bush")}
    assert len(set(ids.values())) == len(ids)
    assert resolution.speakers[ids["Clinton"]].ambiguous


def test_an_ambiguous_surname_is_placed_by_its_article_then_by_its_cluster():
    counts = person_counts("Hillary Clinton", "Bill Clinton", "Clinton")
    resolution = resolve_speakers(counts,
                                  article_names=[("a1", "Bill Clinton", "person"),
                                                 ("a1", "Clinton", "person"),
                                                 ("a2", "Clinton", "person")],
                                  cluster_names=[("k", "Hillary Clinton", "person"),
                                                 ("k", "Clinton", "person")])
    bill = resolution.by_name[("Bill Clinton", "person")]
    hillary = resolution.by_name[("Hillary Clinton", "person")]
    assert resolution.speaker_of("a1", "k", "Clinton", "person") == bill
    assert resolution.speaker_of("a2", "k", "Clinton", "person") == hillary
    assert resolution.speaker_of("a2", "other", "Clinton", "person") == \
        resolution.by_name[("Clinton", "person")]


def test_a_surname_with_swapped_letters_is_a_typo_of_the_more_frequent_one():
    counts = {("Hillary Clinton", "person"): 5, ("Clniton", "person"): 1,
              ("Hillary Clniton", "person"): 1, ("Jon Snow", "person"): 1, ("Jon Sonw", "person"): 1}
    resolution = resolve_speakers(counts)
    hillary = resolution.by_name[("Hillary Clinton", "person")]
    assert resolution.by_name[("Clniton", "person")] == hillary
    assert resolution.by_name[("Hillary Clniton", "person")] == hillary
    assert resolution.by_name[("Jon Snow", "person")] != resolution.by_name[("Jon Sonw", "person")]


def test_organizations_fold_case_and_a_leading_the():
    resolution = resolve_speakers({("the Kremlin", "organization"): 2,
                                   ("Kremlin", "organization"): 1,
                                   ("Kremlin", "person"): 1})
    assert resolution.by_name[("the Kremlin", "organization")] == \
        resolution.by_name[("Kremlin", "organization")]
    assert resolution.speakers[resolution.by_name[("Kremlin", "organization")]].name == "the Kremlin"


# --- the bank over rows ---------------------------------------------------------------------------

def quote_row(article: str, number: int, text: str, speaker: str | None, kind: str = "person",
              source: str | None = None, date: str | None = None, quote_type: str = "direct",
              fragments: list[str] | None = None) -> dict:
    cell = json.dumps([{"text": part} for part in fragments]) if fragments else "[]"
    return {"article_id": article, "quote_id": f"q{number}", "type": quote_type, "text": text,
            "fragments": cell,
            "speaker_name": speaker, "speaker_kind": kind if speaker else None,
            "speaker_title": None, "article_url": f"https://{source}/{article}" if source else None,
            "article_date": date, "source": source}


def syndicated_rows() -> list[dict]:
    """A wire quote carried by four outlets (straight marks, a typo, a trimmed partial quote),
    another quote, an unrelated one from the same speaker, and a quote outlets disagree on."""
    return [
        quote_row("wire-1", 1, f"“{PARTNER},”", "Mikhail Bogdanov", source="wire", date="2013-06-03"),
        quote_row("wire-1", 2, TALKS, "Bogdanov", source="wire", date="2013-06-03"),
        quote_row("site-a", 1, f'"{PARTNER}"', "Deputy Foreign Minister Mikhail Bogdanov",
                  source="a.example", date="2013-06-04"),
        quote_row("site-b", 1, PARTNER_TYPO, "Bogdanov", source="b.example", date="2013-06-05"),
        quote_row("site-c", 3, f'Iran is "{PARTNER_FRAGMENT}', "Mikhail Bogdanov",
                  source="c.example", date="2013-06-06", quote_type="mixed"),
        quote_row("site-c", 4, OTHER, "Mikhail Bogdanov", source="c.example", date="2013-06-06"),
        quote_row("blog-1", 1, EMAILS, "Hillary Clinton", source="d.example", date="2015-03-10"),
        quote_row("blog-2", 1, EMAILS.upper(), "Bill Clinton", source="e.example", date="2015-03-11"),
        quote_row("blog-3", 1, EMAILS, "Clinton", source="f.example", date="2015-03-09"),
        quote_row("blog-3", 2, "no comment at this stage", None),
    ]


def as_columns(rows: list[dict]) -> dict[str, list]:
    return {column: [row[column] for row in rows] for column in INPUT_COLUMNS}


def member_clusters(bank) -> dict[tuple, str]:
    members = bank.members
    return {(a, q): c for a, q, c in zip(members["article_id"], members["quote_id"],
                                         members["cluster_id"])}


def test_copies_typos_and_fragments_of_one_quote_are_one_cluster():
    bank = build_bank(as_columns(syndicated_rows()))
    clusters = member_clusters(bank)
    partner = {clusters[k] for k in [("wire-1", "q1"), ("site-a", "q1"), ("site-b", "q1"),
                                     ("site-c", "q3")]}
    assert len(partner) == 1
    assert len({clusters[("wire-1", "q2")], clusters[("site-c", "q4")], *partner}) == 3
    (record,) = [q for q in bank.quotes if q["cluster_id"] in partner]
    assert record["text"] in (f"“{PARTNER},”", f'"{PARTNER}"')  # the longest form, not the typo
    assert record["speaker_name"] == "Mikhail Bogdanov"
    assert (record["n_quotes"], record["n_articles"], record["n_sources"]) == (4, 4, 4)
    assert (record["first_date"], record["last_date"]) == ("2013-06-03", "2013-06-06")
    assert record["article_ids"] == ["site-a", "site-b", "site-c", "wire-1"]
    assert "https://wire/wire-1" in record["article_urls"]
    assert not record["conflict"]


def test_outlets_disagreeing_on_the_person_is_a_conflict():
    bank = build_bank(as_columns(syndicated_rows()))
    (emails,) = [q for q in bank.quotes if q["n_quotes"] == 3 and "email" in q["text"]]
    assert emails["conflict"]
    assert {v["name"] for v in emails["speakers"]} == {"Hillary Clinton", "Bill Clinton", "Clinton"}
    (partner,) = [q for q in bank.quotes if q["n_quotes"] == 4]
    assert not partner["conflict"]  # "Bogdanov" and the titled name are the same man


def test_a_fragment_of_two_different_quotes_joins_neither():
    rows = [quote_row("a", 1, "we will keep working with Tehran on every track", "Lavrov"),
            quote_row("b", 1, "we will keep working with Tehran on every track, he said", "Lavrov"),
            quote_row("c", 1, "sanctions will not stop us: we will keep working with Tehran", "Lavrov"),
            quote_row("d", 1, "keep working with Tehran", "Lavrov")]
    clusters = member_clusters(build_bank(as_columns(rows)))
    assert clusters[("a", "q1")] == clusters[("b", "q1")]  # a fragment of one quote's copies
    assert clusters[("d", "q1")] not in (clusters[("a", "q1")], clusters[("c", "q1")])
    assert clusters[("a", "q1")] != clusters[("c", "q1")]


def test_a_mixed_quote_is_compared_by_its_words_in_marks():
    from service.bank.text import quoted_words

    assert quoted_words('the talks would "give us an opportunity', "mixed") == "give us an opportunity"
    assert quoted_words('a “b c” and “d e”', "mixed") == "b c d e"
    assert quoted_words('the reporter\'s words only', "mixed") == "the reporter's words only"
    assert quoted_words('He said "no"', "direct") == 'He said "no"'


def test_an_interrupted_quote_is_compared_by_its_fragments_not_its_attribution():
    first, second = "We will not give in to this pressure,", "and we will keep fighting it"
    rows = [quote_row("a", 1, f'{first}" Mikhail Bogdanov, the deputy foreign minister, told '
                      f'reporters on Monday, "{second}',
                      "Mikhail Bogdanov", fragments=[first, second]),
            quote_row("b", 1, f'{first}" he said, "{second}', "Bogdanov", fragments=[first, second]),
            quote_row("c", 1, f"{first} {second}", "Bogdanov"),
            quote_row("d", 1, "give in to this pressure, and we", "Bogdanov")]
    bank = build_bank(as_columns(rows))
    clusters = member_clusters(bank)
    assert len({clusters[(article, "q1")] for article in "abcd"}) == 1
    (record,) = bank.quotes
    assert "told reporters" not in record["text"] and "said" not in record["text"]


def test_rows_without_words_are_in_no_cluster():
    rows = [quote_row("a", 1, "", "Mikhail Bogdanov"), quote_row("b", 1, "", "John Kerry"),
            quote_row("c", 1, '""', "Hillary Clinton"), quote_row("c", 2, TALKS, "Bogdanov")]
    bank = build_bank(as_columns(rows))
    assert bank.members["cluster_id"][:3] == [None, None, None]
    assert bank.members["cluster_id"][3] is not None and all(bank.members["speaker_id"])
    assert len(bank.quotes) == 1 and not bank.quotes[0]["conflict"]
    assert {s["name"]: s["n_clusters"] for s in bank.speakers}["John Kerry"] == 0
    assert "3 rows without words" in "\n".join(summary_lines(bank.quotes, bank.speakers, 4, 3))


def test_a_fragment_from_another_speaker_is_not_joined():
    rows = [quote_row("a", 1, PARTNER, "Mikhail Bogdanov"),
            quote_row("b", 1, PARTNER_FRAGMENT, "John Kerry")]
    clusters = member_clusters(build_bank(as_columns(rows)))
    assert clusters[("a", "q1")] != clusters[("b", "q1")]


def test_speakers_table_counts_quotes_articles_and_variants():
    bank = build_bank(as_columns(syndicated_rows()))
    (bogdanov,) = [s for s in bank.speakers if s["name"] == "Mikhail Bogdanov"]
    assert (bogdanov["n_quotes"], bogdanov["n_articles"], bogdanov["n_clusters"]) == (6, 4, 3)
    assert {v["name"] for v in bogdanov["variants"]} == {
        "Mikhail Bogdanov", "Bogdanov", "Deputy Foreign Minister Mikhail Bogdanov"}
    assert "Deputy Foreign Minister" in bogdanov["titles"]
    assert (bogdanov["first_date"], bogdanov["last_date"]) == ("2013-06-03", "2013-06-06")
    people = {s["name"] for s in bank.speakers}
    assert {"Hillary Clinton", "Bill Clinton", "Clinton"} <= people


def test_every_row_is_a_member_and_ids_do_not_depend_on_row_order():
    rows = syndicated_rows()
    bank = build_bank(as_columns(rows))
    assert len(bank.members["cluster_id"]) == len(rows)
    assert None not in bank.members["cluster_id"]
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    again = build_bank(as_columns(shuffled))
    assert member_clusters(again) == member_clusters(bank)
    assert again.quotes == bank.quotes and again.speakers == bank.speakers


def test_summary_names_the_clusters_speakers_and_conflicts():
    bank = build_bank(as_columns(syndicated_rows()))
    text = "\n".join(summary_lines(bank.quotes, bank.speakers, 10))
    assert text.startswith(f"10 quote rows -> {len(bank.quotes)} quote clusters")
    assert "1 conflicts" in text
    assert "Hillary Clinton x1" in text and "Bill Clinton x1" in text
    assert "Mikhail Bogdanov (person)" in text


# --- the command ----------------------------------------------------------------------------------

def write_quote_rows(path, rows: list[dict]) -> None:
    """Rows as `quotewire extract -o X.parquet` writes them (its columns), plus the metadata."""
    full = [{column: row.get(column) for column in ROW_COLUMNS} | row for row in rows]
    pq.write_table(pa.Table.from_pylist(full), path)


def test_bank_command_writes_three_tables_that_join_back(tmp_path):
    rows = syndicated_rows()
    write_quote_rows(tmp_path / "part1.parquet", rows[:5])
    write_quote_rows(tmp_path / "part2.parquet", rows[5:])
    result = CliRunner().invoke(main, ["bank", str(tmp_path / "part1.parquet"),
                                       str(tmp_path / "part2.parquet"), "-o", str(tmp_path / "bank")])
    assert result.exit_code == 0, result.output
    assert "10 quote rows" in result.stdout and "0 inputs skipped" in result.stderr
    tables = {name: pq.read_table(tmp_path / "bank" / name) for name in SCHEMAS}
    for name, schema in SCHEMAS.items():
        assert tables[name].schema.equals(schema())
    members = tables["members.parquet"].to_pylist()
    quotes = {q["cluster_id"]: q for q in tables["quotes.parquet"].to_pylist()}
    speakers = {s["speaker_id"] for s in tables["speakers.parquet"].to_pylist()}
    assert len(members) == len(rows)
    assert all(m["cluster_id"] in quotes for m in members)
    assert all(m["speaker_id"] in speakers for m in members if m["speaker_id"])
    assert sum(q["n_quotes"] for q in quotes.values()) == len(rows)


def test_bank_command_reports_unreadable_inputs(tmp_path):
    rows = syndicated_rows()
    write_quote_rows(tmp_path / "good.parquet", rows)
    jsonl = tmp_path / "results.jsonl"
    jsonl.write_text(json.dumps({"id": "x", "quotes": [], "speakers": [], "meta": {}}) + "\n"
                     + '{"id": "broken", "quotes": [\n' + '{"no": "quotes"}\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    result = CliRunner().invoke(main, ["bank", str(tmp_path / "good.parquet"), str(jsonl),
                                       str(tmp_path / "notes.txt"), str(tmp_path / "bad.parquet"),
                                       "-o", str(tmp_path / "bank")])
    assert result.exit_code == 0, result.output
    assert f"skipped {jsonl}:2:" in result.stderr
    assert f"skipped {jsonl}:3: not a quotewire result object" in result.stderr
    assert f"skipped {tmp_path / 'notes.txt'}: expected quote rows" in result.stderr
    assert f"skipped {tmp_path / 'bad.parquet'}:" in result.stderr
    assert "4 inputs skipped" in result.stderr
    assert pq.read_table(tmp_path / "bank" / "members.parquet").num_rows == len(rows)


def test_bank_command_needs_an_output(tmp_path):
    result = CliRunner().invoke(main, ["bank", str(tmp_path / "x.parquet")])
    assert result.exit_code == 2 and "--output" in result.output


def datasketch_minhash(shingle_set):
    from datasketch import MinHash

    from service.bank.local import MINHASH_SEED, NUM_PERM

    expected = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
    expected.update_batch([s.encode("utf-8") for s in shingle_set])
    return expected.hashvalues


def test_signatures_are_datasketch_minhashes_and_bands_find_edited_copies():
    import numpy as np

    from service.bank.local import band_candidates, key_signatures, minhashes, telling_bands
    from service.bank.text import shingles

    keys = [text_key(t) for t in (PARTNER, PARTNER_TYPO, TALKS, OTHER, "yes")]
    for key, signature in zip(keys, minhashes([shingles(k) for k in keys])[0]):
        assert np.array_equal(signature, datasketch_minhash(shingles(key)))
    signatures, common, _ = key_signatures(keys)
    candidates = {(keys[i], keys[j])
                  for i, j in band_candidates(signatures, telling_bands(common)).tolist()}
    assert (keys[0], keys[1]) in candidates  # the typo'd copy (Jaccard 0.87)
    assert (keys[0], keys[2]) not in candidates  # another quote (Jaccard 0.03)


def test_minhash_values_of_function_word_shingles_are_marked():
    import numpy as np

    from service.bank.local import minhashes
    from service.bank.text import shingles, telling_shingles

    groups = [shingles(text_key(t)) for t in (PARTNER, "we will not do it", "yes")]
    signatures, common = minhashes(groups)
    for group, signature, marked in zip(groups, signatures, common):
        told = telling_shingles(group)
        # a value is marked exactly where no telling shingle gives it
        assert np.array_equal(marked, signature != datasketch_minhash(told))
    assert common[0].any() and not common[0].all()
    assert not common[1].any()  # function words only: all its shingles tell
    assert telling_shingles(groups[1]) == groups[1]
    assert "of the" not in telling_shingles(groups[0]) and "the region" in telling_shingles(groups[0])


def test_texts_sharing_only_function_word_shingles_are_no_candidates():
    from service.bank.local import band_candidates, key_signatures, telling_bands
    from service.bank.text import shingles, telling_shingles

    rng = random.Random(3)
    function_words = "the a of to and in we is that it will not".split()
    content = [f"word{n}" for n in range(300)]
    keys = sorted({" ".join(rng.choice(function_words) if rng.random() < 0.7 else rng.choice(content)
                            for _ in range(12)) for _ in range(300)})
    told = [telling_shingles(shingles(key)) for key in keys]
    signatures, common, _ = key_signatures(keys)
    every_band = {tuple(pair) for pair in band_candidates(signatures).tolist()}
    skipping = {tuple(pair) for pair in band_candidates(signatures, telling_bands(common)).tolist()}
    assert skipping <= every_band
    assert all(told[i] & told[j] for i, j in skipping)
    # what skipping leaves out: pairs of these unrelated texts alike in function words only
    assert len([1 for i, j in every_band if not told[i] & told[j]]) > 100
