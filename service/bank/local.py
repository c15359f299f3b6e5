"""The bank on one machine: quote rows (as columns) -> quotes, speakers and members records.

Candidates for near-duplicates come from datasketch's MinHash LSH over the word shingles of each
distinct normalised text (exact copies are one text already); every candidate pair is then
checked exactly (`text.is_near_duplicate`). The rest is `clusters` and `speakers`, shared with the
Spark job.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterator

from .clusters import (attach_fragments, base_clusters, cluster_id, cluster_record,
                       fragment_pairs, speaker_record)
from .speakers import PERSON, Resolution, parse_person, resolve_speakers
from .text import is_near_duplicate, shingles, text_key

NUM_PERM = 128
BANDS, BAND_ROWS = 32, 4     # P(candidate) = 1 - (1 - J^4)^32: 0.99 at J = 0.6, 0.9998 at J = 0.7
MINHASH_SEED = 1


@dataclass
class Bank:
    quotes: list[dict]
    speakers: list[dict]
    members: dict[str, list]     # columns of members.parquet, one entry per input row


def lsh_candidates(keys: list[str]) -> Iterator[tuple[str, str]]:
    """Pairs of keys whose MinHash signatures share a band: each key is looked up before it is
    added, so every pair comes once."""
    from datasketch import MinHash, MinHashLSH

    index = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, BAND_ROWS))
    signatures = MinHash.generator(([s.encode("utf-8") for s in shingles(key)] for key in keys),
                                   num_perm=NUM_PERM, seed=MINHASH_SEED)
    for number, signature in enumerate(signatures):
        for other in index.query(signature):
            yield keys[other], keys[number]
        index.insert(number, signature, check_duplication=False)


def name_titles(names) -> dict[str, str]:
    """Title words written in front of a person's name ("Foreign Minister Sergei Lavrov")."""
    titles = {}
    for name in names:
        parsed = parse_person(name)
        titles[name] = parsed.titles if parsed else ""
    return titles


def resolve(columns: dict, keys: list[str], base: dict[str, str]) -> Resolution:
    names, kinds = columns["speaker_name"], columns["speaker_kind"]
    named = [i for i, name in enumerate(names) if name]
    name_counts = Counter((names[i], kinds[i]) for i in named)
    article_names = {(columns["article_id"][i], names[i], kinds[i]) for i in named
                     if kinds[i] == PERSON}
    cluster_names = {(base[keys[i]], names[i], kinds[i]) for i in named if kinds[i] == PERSON}
    return resolve_speakers(name_counts, article_names, cluster_names)


def row_speaker_ids(columns: dict, keys: list[str], base: dict, resolution: Resolution) -> list:
    names, kinds, articles = columns["speaker_name"], columns["speaker_kind"], columns["article_id"]
    return [resolution.speaker_of(articles[i], base[keys[i]], names[i], kinds[i])
            for i in range(len(keys))]


def build_bank(columns: dict[str, list]) -> Bank:
    """columns: INPUT_COLUMNS -> one value per quote row."""
    keys = [text_key(text) for text in columns["text"]]
    distinct = sorted(set(keys))
    near = (pair for pair in lsh_candidates(distinct) if is_near_duplicate(*pair))
    base = base_clusters(distinct, near)
    resolution = resolve(columns, keys, base)
    speaker_ids = row_speaker_ids(columns, keys, base, resolution)

    key_speakers: dict[str, set] = defaultdict(set)
    for key, sid in zip(keys, speaker_ids):
        if sid:
            key_speakers[key].add(sid)
    final = attach_fragments(base, fragment_pairs(key_speakers))

    cluster_ids = {root: cluster_id(root) for root in set(final.values())}
    row_clusters = [cluster_ids[final[key]] for key in keys]
    titles = name_titles({name for name in columns["speaker_name"] if name})

    def row(i: int) -> dict:
        fields = {column: values[i] for column, values in columns.items()}
        name = fields["speaker_name"]
        return dict(fields, key=keys[i], speaker_id=speaker_ids[i], cluster_id=row_clusters[i],
                    name_title=titles.get(name) if name else None)

    by_cluster: dict[str, list[int]] = defaultdict(list)
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        by_cluster[final[key]].append(i)
        if speaker_ids[i]:
            by_speaker[speaker_ids[i]].append(i)
    quotes = [cluster_record(root, [row(i) for i in rows], resolution.speakers)
              for root, rows in by_cluster.items()]
    speakers = [speaker_record(sid, [row(i) for i in rows], resolution.speakers[sid])
                for sid, rows in by_speaker.items()]
    members = {"article_id": list(columns["article_id"]), "quote_id": list(columns["quote_id"]),
               "cluster_id": row_clusters, "speaker_id": speaker_ids}
    return Bank(sorted(quotes, key=lambda q: (-q["n_quotes"], q["cluster_id"])),
                sorted(speakers, key=lambda s: (-s["n_quotes"], s["speaker_id"])), members)
