"""Quote clusters from checked pairs, and the rows of the three bank tables.

Both doors (one machine, Spark) find candidate pairs their own way and then call these same
functions, so they give the same clusters, ids and records:

1. `base_clusters`: texts with the same normalised words are one node; checked near-duplicate
   pairs link nodes (union-find).
2. `attach_fragments`: a cluster whose text is a fragment of a longer quote of the same speaker
   joins that quote's cluster — only when it fits exactly one cluster (a short phrase found in two
   different quotes stays on its own rather than gluing them together).
3. `cluster_record` / `speaker_record` / `member_row`: one row per cluster, per speaker, per input
   quote row.

A cluster is named after its smallest text key (`cluster_id`): the same input gives the same ids.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Iterable

from .speakers import ID_SEED, PERSON, SpeakerInfo
from .text import fragment_anchor, is_fragment, word_pairs
from .unionfind import UnionFind


def cluster_id(root_key: str) -> str:
    digest = hashlib.blake2b(root_key.encode("utf-8"), digest_size=8,
                             key=ID_SEED.encode("utf-8")).hexdigest()
    return f"c{digest}"


def base_clusters(keys: Iterable[str], near_duplicate_pairs: Iterable[tuple]) -> dict[str, str]:
    """text key -> the smallest key of its near-duplicate cluster."""
    groups = UnionFind(keys)
    for a, b in near_duplicate_pairs:
        groups.union(a, b)
    return groups.roots()


def fragment_pairs(key_speakers: dict[str, set]) -> set[tuple[str, str]]:
    """(fragment key, containing key) for texts sharing a speaker id, found by joining each possible
    fragment's anchor word pair to every word pair of every text (see `fragment_anchor`)."""
    wanted: dict[tuple, list[str]] = defaultdict(list)
    for key, speakers in key_speakers.items():
        anchor = fragment_anchor(key)
        if anchor:
            for speaker in speakers:
                wanted[(speaker, anchor)].append(key)
    pairs = set()
    for key, speakers in key_speakers.items():
        for pair in set(word_pairs(key)):
            for speaker in speakers:
                for short in wanted.get((speaker, pair), ()):
                    if is_fragment(short, key):
                        pairs.add((short, key))
    return pairs


def attach_fragments(base: dict[str, str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """text key -> final cluster root, after fragments join the one cluster they fit."""
    targets: dict[str, set] = defaultdict(set)
    for short, long in pairs:
        if base[short] != base[long]:
            targets[base[short]].add(base[long])
    longest = Counter()
    for key, root in base.items():
        longest[root] = max(longest[root], key.count(" ") + 1)
    groups = UnionFind(set(base.values()))
    # Longer quotes settle first, so a fragment of a fragment finds the cluster it ended up in.
    for root in sorted(targets, key=lambda r: (-longest[r], r)):
        found = {groups.find(t) for t in targets[root]} - {groups.find(root)}
        if len(found) == 1:
            groups.union(root, found.pop())
    return {key: groups.find(root) for key, root in base.items()}


# --- records --------------------------------------------------------------------------------------

def _most_common(counts: Counter):
    return min(counts, key=lambda value: (-counts[value], value))


def _distinct(values) -> list:
    return sorted({v for v in values if v not in (None, "")})


def _dates(rows: list[dict]) -> tuple[str | None, str | None]:
    dates = [r["article_date"] for r in rows if r.get("article_date")]
    return (min(dates), max(dates)) if dates else (None, None)


def canonical_text(rows: list[dict]) -> str:
    """The longest complete form: the text key with most words (then most copies), written as
    most of its copies write it (a mixed quote: its words in marks)."""
    key_counts = Counter(r["key"] for r in rows)
    best = min(key_counts, key=lambda k: (-(k.count(" ") + 1), -key_counts[k], k))
    return _most_common(Counter(r["quoted"] for r in rows if r["key"] == best))


def majority_speaker(rows: list[dict], speakers: dict[str, SpeakerInfo]) -> str | None:
    """The speaker most copies give, preferring placed speakers to ambiguous bare surnames."""
    counts = Counter(r["speaker_id"] for r in rows if r["speaker_id"])
    if not counts:
        return None
    return min(counts, key=lambda s: (speakers[s].ambiguous, -counts[s], s))


def people_disagree(speaker_ids: set, speakers: dict[str, SpeakerInfo]) -> bool:
    """Copies name two different people (a bare surname that fits one of the others is no
    disagreement; organizations and anonymous sources are not counted)."""
    people = {s for s in speaker_ids if s and speakers[s].kind == PERSON}
    placed = {s for s in people if not speakers[s].ambiguous}
    surnames = {speakers[s].surname for s in placed}
    unplaced = {s for s in people - placed if speakers[s].surname not in surnames}
    return len(placed | unplaced) > 1


def cluster_record(root: str, rows: list[dict], speakers: dict[str, SpeakerInfo]) -> dict:
    """One row of quotes.parquet. `rows`: the cluster's input rows with their text `key`, `quoted`
    words and `speaker_id`."""
    main_speaker = majority_speaker(rows, speakers)
    variants = Counter((r["speaker_id"], r["speaker_name"]) for r in rows if r["speaker_id"])
    first, last = _dates(rows)
    return {
        "cluster_id": cluster_id(root),
        "text": canonical_text(rows),
        "speaker_id": main_speaker,
        "speaker_name": speakers[main_speaker].name if main_speaker else None,
        "speakers": [{"speaker_id": sid, "name": name, "count": count}
                     for (sid, name), count in sorted(variants.items(),
                                                      key=lambda kv: (-kv[1], kv[0]))],
        "conflict": people_disagree({r["speaker_id"] for r in rows}, speakers),
        "n_quotes": len(rows),
        "n_articles": len({r["article_id"] for r in rows}),
        "n_sources": len(_distinct(r.get("source") for r in rows)),
        "first_date": first,
        "last_date": last,
        "article_ids": _distinct(r["article_id"] for r in rows),
        "article_urls": _distinct(r.get("article_url") for r in rows),
        "sources": _distinct(r.get("source") for r in rows),
    }


def speaker_record(sid: str, rows: list[dict], info: SpeakerInfo) -> dict:
    """One row of speakers.parquet. `rows`: the speaker's input rows with their `cluster_id`."""
    first, last = _dates(rows)
    variants = Counter(r["speaker_name"] for r in rows)
    titles = [r.get("speaker_title") for r in rows] + [r.get("name_title") for r in rows]
    return {
        "speaker_id": sid,
        "name": info.name,
        "kind": info.kind,
        "ambiguous": info.ambiguous,
        "variants": [{"name": name, "count": count}
                     for name, count in sorted(variants.items(), key=lambda kv: (-kv[1], kv[0]))],
        "titles": _distinct(titles),
        "kinds": _distinct(r.get("speaker_kind") for r in rows),
        "n_quotes": len(rows),
        "n_clusters": len({r["cluster_id"] for r in rows} - {None}),
        "n_articles": len({r["article_id"] for r in rows}),
        "first_date": first,
        "last_date": last,
    }
