"""The bank on one machine: quote rows (as columns) -> quotes, speakers and members records.

Candidates for near-duplicates come from MinHash LSH over the word shingles of each distinct
normalised text (exact copies are one text already): datasketch's MinHash signatures (its
affine32 scheme, its permutations for our seed, its SHA-1 shingle hash), computed for thousands
of texts at once with numpy — a test checks they equal datasketch's own, value for value — then
cut into 32 bands of 4 values; texts sharing a band are candidates. datasketch's MinHashLSH
index does the same banding one text at a time, which at a million rows costs more than the rest
of the bank together. Every candidate pair is then checked exactly (`text.is_near_duplicate`).
The rest is `clusters` and `speakers`, shared with the Spark job.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .clusters import (attach_fragments, base_clusters, cluster_id, cluster_record,
                       fragment_pairs, speaker_record)
from .speakers import PERSON, Resolution, parse_person, resolve_speakers
from .text import near_duplicate_shingles, quoted_words, shingles, text_key

NUM_PERM = 128
BANDS, BAND_ROWS = 32, 4     # P(candidate) = 1 - (1 - J^4)^32: 0.99 at J = 0.6, 0.9998 at J = 0.7
MINHASH_SEED = 1
SIGNATURE_BATCH = 4096       # texts per numpy batch (bounds the shingles x permutations array)
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)   # MurmurHash3's finalizer, as datasketch pre-mixes


@dataclass
class Bank:
    quotes: list[dict]
    speakers: list[dict]
    members: dict[str, list]     # columns of members.parquet, one entry per input row


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    from datasketch import MinHash

    a, b = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED).permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def _fmix32(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = (np.uint32(x) for x in _FMIX32)
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


def minhash_signatures(shingle_sets: list[set[str]]) -> np.ndarray:
    """(texts, NUM_PERM) uint32: datasketch's MinHash of each text's shingles."""
    from datasketch.hashfunc import sha1_hash32

    a, b = _permutations()
    shingle_hash: dict[str, int] = {}
    signatures = np.empty((len(shingle_sets), NUM_PERM), dtype=np.uint32)
    for first in range(0, len(shingle_sets), SIGNATURE_BATCH):
        batch = [sorted(group) for group in shingle_sets[first:first + SIGNATURE_BATCH]]
        flat = [shingle_hash.get(s) or shingle_hash.setdefault(s, sha1_hash32(s.encode("utf-8")))
                for group in batch for s in group]
        hashed = _fmix32(np.array(flat, dtype=np.uint32)).reshape(-1, 1)
        with np.errstate(over="ignore"):
            permuted = hashed * a + b           # uint32 arithmetic wraps: mod 2^32
        starts = np.cumsum([0] + [len(group) for group in batch[:-1]])
        signatures[first:first + len(batch)] = np.minimum.reduceat(permuted, starts, axis=0)
    return signatures


def band_candidates(signatures: np.ndarray) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) whose signatures agree on all values of at least one band."""
    for band in range(BANDS):
        values = np.ascontiguousarray(signatures[:, band * BAND_ROWS:(band + 1) * BAND_ROWS])
        buckets = values.view(np.dtype((np.void, values.dtype.itemsize * BAND_ROWS))).ravel()
        order = np.argsort(buckets, kind="stable")
        ordered = buckets[order]
        starts = np.concatenate(([0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1))
        ends = np.append(starts[1:], len(ordered))
        for start, end in zip(starts[ends - starts > 1].tolist(), ends[ends - starts > 1].tolist()):
            members = sorted(order[start:end].tolist())
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    yield i, j


def lsh_candidates(keys: list[str]) -> set[tuple[str, str]]:
    """Pairs of keys that are MinHash LSH candidates (each pair once)."""
    shingle_sets = [shingles(key) for key in keys]
    return {(keys[i], keys[j]) for i, j in _candidate_indexes(shingle_sets)}


def near_duplicate_pairs(keys: list[str]) -> list[tuple[str, str]]:
    """The LSH candidates that pass the exact check (`text.is_near_duplicate`, on shingles made
    once per text)."""
    shingle_sets = [shingles(key) for key in keys]
    sizes = [key.count(" ") + 1 for key in keys]
    return [(keys[i], keys[j]) for i, j in _candidate_indexes(shingle_sets)
            if near_duplicate_shingles(shingle_sets[i], shingle_sets[j], min(sizes[i], sizes[j]))]


def _candidate_indexes(shingle_sets: list[set[str]]) -> set[tuple[int, int]]:
    return set(band_candidates(minhash_signatures(shingle_sets))) if shingle_sets else set()


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
    quoted = [quoted_words(text, kind) for text, kind in zip(columns["text"], columns["type"])]
    keys = [text_key(text) for text in quoted]
    distinct = sorted(set(keys))
    near = near_duplicate_pairs([k for k in distinct if k])
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
        return dict(fields, key=keys[i], quoted=quoted[i], speaker_id=speaker_ids[i],
                    cluster_id=row_clusters[i],
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
