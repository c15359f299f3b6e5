"""The bank on one machine: quote rows (as columns) -> quotes, speakers and members records.

Candidates for near-duplicates come from MinHash LSH over the word shingles of each distinct
normalised text (exact copies are one text already): datasketch's MinHash signatures (its
affine32 scheme, its permutations for our seed, its SHA-1 shingle hash), computed for thousands
of texts at once with numpy — a test checks they equal datasketch's own, value for value — then
cut into 32 bands of 4 values; texts sharing a band are candidates, except on a band whose
values all come from shingles of function words only (`telling_bands`). datasketch's MinHashLSH
index does the same banding one text at a time, which at a million rows costs more than the rest
of the bank together. Every candidate pair is then checked exactly (`text.is_near_duplicate`).
The rest is `clusters` and `speakers`, shared with the Spark job.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from .clusters import attach_fragments, cluster_id, cluster_record, fragment_pairs, speaker_record
from .speakers import PERSON, Resolution, parse_person, resolve_speakers
from .text import (NEAR_DUPLICATE_JACCARD, ShingledKeys, quoted_words, shingles, telling_shingles,
                   text_key)
from .unionfind import UnionFind

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


@lru_cache(maxsize=1)
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


def minhashes(shingle_sets: Sequence[set[str]]) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's MinHash of each text's shingles, (texts, NUM_PERM) uint32, and which of its
    values are the hash of a shingle of function words only, (texts, NUM_PERM) bool (none in a
    text of function words only: see `text.telling_shingles`)."""
    from datasketch.hashfunc import sha1_hash32

    a, b = _permutations()
    shingle_hash: dict[str, int] = {}
    signatures = np.empty((len(shingle_sets), NUM_PERM), dtype=np.uint32)
    common = np.empty((len(shingle_sets), NUM_PERM), dtype=bool)
    for first in range(0, len(shingle_sets), SIGNATURE_BATCH):
        runs = []   # each text's shingles in two runs: the telling ones, then the others
        for group in shingle_sets[first:first + SIGNATURE_BATCH]:
            telling = telling_shingles(group)
            runs += [telling, group - telling]
        flat = [shingle_hash.get(s) or shingle_hash.setdefault(s, sha1_hash32(s.encode("utf-8")))
                for run in runs for s in run]
        hashed = _fmix32(np.array(flat, dtype=np.uint32)).reshape(-1, 1)
        with np.errstate(over="ignore"):
            permuted = hashed * a + b           # uint32 arithmetic wraps: mod 2^32
        lowest = _run_minima(permuted, [len(run) for run in runs]).reshape(-1, 2, NUM_PERM)
        signatures[first:first + len(lowest)] = lowest.min(axis=1)
        common[first:first + len(lowest)] = lowest[:, 1] < lowest[:, 0]
    return signatures, common


def _run_minima(values: np.ndarray, lengths: list[int]) -> np.ndarray:
    """The minimum of each run of rows of `values` (runs of `lengths` rows, one after another);
    an empty run's is the largest uint32."""
    lengths = np.array(lengths)
    minima = np.full((len(lengths), values.shape[1]), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = lengths > 0
    if filled.any():
        minima[filled] = np.minimum.reduceat(values, (np.cumsum(lengths) - lengths)[filled], axis=0)
    return minima


def telling_bands(common: np.ndarray) -> np.ndarray:
    """(texts, BANDS) bool: the bands a text is bucketed on, those whose values are not all
    hashes of function-word shingles. "of the" or "we will" is in a large share of all quotes:
    a band of such minima puts unrelated quotes in one bucket, in numbers growing with the
    square of the texts, while near-duplicates share many other bands."""
    return ~common.reshape(len(common), BANDS, BAND_ROWS).all(axis=2)


def key_signatures(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`minhashes` of text keys and their numbers of shingles, the shingles made a batch at a
    time (never all at once)."""
    signatures = np.empty((len(keys), NUM_PERM), dtype=np.uint32)
    common = np.empty((len(keys), NUM_PERM), dtype=bool)
    sizes = np.empty(len(keys), dtype=np.int64)
    for first in range(0, len(keys), SIGNATURE_BATCH):
        batch = [shingles(key) for key in keys[first:first + SIGNATURE_BATCH]]
        done = slice(first, first + len(batch))
        signatures[done], common[done] = minhashes(batch)
        sizes[done] = [len(group) for group in batch]
    return signatures, common, sizes


def _pairs_within_groups(order: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                         n: int) -> np.ndarray:
    """Codes i * n + j (i < j) of every pair of members of each group order[start:end]."""
    sizes = ends - starts
    starts, sizes = starts[sizes > 1], sizes[sizes > 1]
    if not len(sizes):
        return np.empty(0, dtype=np.int64)
    # every position of a group, with how many later members it pairs with
    positions = np.repeat(starts, sizes) + np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    later = np.repeat(starts + sizes, sizes) - positions - 1
    left = np.repeat(positions, later)
    right = left + 1 + np.arange(later.sum()) - np.repeat(np.cumsum(later) - later, later)
    i, j = order[left].astype(np.int64), order[right].astype(np.int64)
    return np.minimum(i, j) * np.int64(n) + np.maximum(i, j)


def band_candidates(signatures: np.ndarray, bucketed: np.ndarray | None = None) -> np.ndarray:
    """(pairs, 2) index pairs (i < j), each once, in order, whose signatures agree on all values
    of at least one band both are `bucketed` on ((texts, BANDS) bool; default: every band)."""
    n = len(signatures)
    codes = []
    for band in range(BANDS):
        rows = np.arange(n) if bucketed is None else np.flatnonzero(bucketed[:, band])
        values = np.ascontiguousarray(signatures[rows, band * BAND_ROWS:(band + 1) * BAND_ROWS])
        buckets = values.view(np.dtype((np.void, values.dtype.itemsize * BAND_ROWS))).ravel()
        by_bucket = np.argsort(buckets, kind="stable")
        ordered = buckets[by_bucket]
        starts = np.concatenate(([0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1))
        ends = np.append(starts[1:], len(ordered))
        codes.append(_pairs_within_groups(rows[by_bucket], starts, ends, n))
    unique = np.unique(np.concatenate(codes)) if codes else np.empty(0, dtype=np.int64)
    n = max(n, 1)
    return np.stack((unique // n, unique % n), axis=1)


def near_duplicate_clusters(keys: list[str]) -> dict[str, str]:
    """Sorted distinct non-empty text keys -> the smallest key of their near-duplicate cluster:
    the connected groups of LSH candidate pairs that pass the exact check. A pair whose texts
    are already linked through others cannot change the groups, so it is not checked."""
    if not keys:
        return {}
    signatures, common, sizes = key_signatures(keys)
    candidates = band_candidates(signatures, telling_bands(common))
    left, right = sizes[candidates[:, 0]], sizes[candidates[:, 1]]
    possible = candidates[np.minimum(left, right) >= NEAR_DUPLICATE_JACCARD * np.maximum(left, right)]
    shingled = ShingledKeys(keys)
    groups = UnionFind(range(len(keys)))       # the smallest index is the smallest key
    for i, j in possible.tolist():
        if groups.find(i) != groups.find(j) and shingled.near_duplicates(i, j):
            groups.union(i, j)
    return {keys[i]: keys[root] for i, root in groups.roots().items()}


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
    cluster_names = {(base[keys[i]], names[i], kinds[i]) for i in named
                     if kinds[i] == PERSON and keys[i]}
    return resolve_speakers(name_counts, article_names, cluster_names)


def row_speaker_ids(columns: dict, keys: list[str], base: dict, resolution: Resolution) -> list:
    names, kinds, articles = columns["speaker_name"], columns["speaker_kind"], columns["article_id"]
    return [resolution.speaker_of(articles[i], base.get(keys[i]), names[i], kinds[i])
            for i in range(len(keys))]


def build_bank(columns: dict[str, list]) -> Bank:
    """columns: INPUT_COLUMNS -> one value per quote row. A row without words (a refusal to
    comment, or marks around nothing) is in no cluster: its cluster_id is None."""
    quoted = [quoted_words(text, kind, fragments) for text, kind, fragments
              in zip(columns["text"], columns["type"], columns["fragments"])]
    keys = [text_key(text) for text in quoted]
    base = near_duplicate_clusters(sorted(set(keys) - {""}))
    resolution = resolve(columns, keys, base)
    speaker_ids = row_speaker_ids(columns, keys, base, resolution)

    key_speakers: dict[str, set] = defaultdict(set)
    for key, sid in zip(keys, speaker_ids):
        if sid and key:
            key_speakers[key].add(sid)
    final = attach_fragments(base, fragment_pairs(key_speakers))

    cluster_ids = {root: cluster_id(root) for root in set(final.values())}
    row_clusters = [cluster_ids[final[key]] if key else None for key in keys]
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
        if key:
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
