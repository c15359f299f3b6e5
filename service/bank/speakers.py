"""Speakers across articles: the name variants of one person become one speaker id.

Within an article the engine already gives each speaker one canonical name; across articles the
same person turns up as "Sergei Lavrov", "Sergey Lavrov", "Foreign Minister Sergei Lavrov" or just
"Lavrov". Person names are read as (given name, middle initials, surname) with titles set aside:

- full names (a given name of two letters or more) are one person when their surnames agree and
  their given names are the same or a one-letter transliteration of each other (Sergei / Sergey,
  five letters or more, same first letter), and their middle initials do not contradict;
- a surname that is a more frequent one with two neighbouring letters swapped ("Clniton") is
  taken for that one (a typo in a copy);
- a bare surname ("Lavrov", "Mr. Lavrov") or an initial ("S. Lavrov") joins the one person it fits
  in the whole bank; where several fit (Hillary and Bill Clinton) it joins the one that fits in
  its own article, else the one that fits among the other copies of the same quote, else it stays
  a speaker of its own, marked `ambiguous` — two people are never made one.

Organizations, groups and anonymous sources are one speaker per (kind, name), compared folded and
without a leading "the". Resolution runs on distinct names with counts (and, for ambiguous bare
names, on their articles and clusters), so a Spark driver can run it on collected aggregates.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

from .text import fold
from .unionfind import UnionFind

PERSON = "person"
ID_SEED = "quotewire-bank-1"   # salts the ids: same input, same ids, in every process

TITLE_WORDS = frozenset("""
mr mrs ms miss dr prof sir dame lord lady rev father sister brother sheikh
president vice prime deputy foreign finance defence defense interior first minister ministers
secretary general gen lt col maj capt sgt adm admiral governor gov senator sen representative
rep congressman congresswoman mayor chancellor ambassador spokesman spokeswoman spokesperson
chief chairman chairwoman chair director commissioner judge justice attorney king queen prince
princess pope cardinal bishop archbishop state us uk un former acting assistant
executive senior top leader premier opposition democratic republican democrat
""".split())
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
SURNAME_PARTICLES = ("al-", "el-")
MIN_TRANSLITERATED_LETTERS = 5


class PersonName(NamedTuple):
    given: str          # folded given name, "" when absent, one letter for an initial
    middles: tuple      # middle initials
    surname: str        # folded surname without "al-"/"el-"
    display: str        # the name as written, titles removed
    titles: str         # the title words removed from the front, as written ("Foreign Minister")

    @property
    def is_full(self) -> bool:
        return len(self.given) >= 2


def _letters(token: str) -> str:
    return "".join(ch for ch in fold(token) if ch.isalpha() or ch == "-").strip("-")


def parse_person(name: str) -> PersonName | None:
    """A person's name read into its parts; None when nothing name-like is left."""
    raw = [t for t in name.replace(",", " ").split() if _letters(t)]
    start = 0
    while start < len(raw) - 1 and _letters(raw[start]).replace("-", "") in TITLE_WORDS:
        start += 1
    end = len(raw)
    while end - start > 1 and _letters(raw[end - 1]) in SUFFIXES:
        end -= 1
    parts = raw[start:end]
    if not parts:
        return None
    folded = [_letters(t) for t in parts]
    surname = folded[-1]
    for particle in SURNAME_PARTICLES:
        if surname.startswith(particle) and len(surname) > len(particle):
            surname = surname[len(particle):]
    given = folded[0] if len(folded) > 1 else ""
    middles = tuple(t[0] for t in folded[1:-1])
    return PersonName(given, middles, surname, " ".join(parts), " ".join(raw[:start]))


def one_letter_apart(a: str, b: str) -> bool:
    """One substitution, insertion or deletion turns a into b."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def same_given_name(a: str, b: str) -> bool:
    if a == b:
        return True
    return (min(len(a), len(b)) >= MIN_TRANSLITERATED_LETTERS and a[0] == b[0]
            and one_letter_apart(a, b))


def fits(partial: PersonName, full: PersonName) -> bool:
    """A bare surname or initial fits a full name of the same surname."""
    return partial.surname == full.surname and (not partial.given or full.given[0] == partial.given)


def speaker_id(kind: str, key: str) -> str:
    digest = hashlib.blake2b(f"{kind}|{key}".encode("utf-8"), digest_size=8,
                             key=ID_SEED.encode("utf-8")).hexdigest()
    return f"s{digest}"


def organization_key(name: str) -> str:
    tokens = fold(name).replace(".", "").split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join("".join(ch for ch in t if ch.isalnum() or ch == "-") for t in tokens).strip()


@dataclass(frozen=True)
class SpeakerInfo:
    name: str               # canonical name
    kind: str
    surname: str | None     # persons only
    ambiguous: bool = False  # a bare surname that fits several people and could not be placed


@dataclass
class Resolution:
    """Which speaker a row's (name, kind) is: by its article, by its cluster, else by name alone."""
    by_name: dict = field(default_factory=dict)       # (name, kind) -> speaker id
    by_article: dict = field(default_factory=dict)    # (article_id, name, kind) -> speaker id
    by_cluster: dict = field(default_factory=dict)    # (cluster, name, kind) -> speaker id
    speakers: dict = field(default_factory=dict)      # speaker id -> SpeakerInfo

    def speaker_of(self, article_id, cluster, name, kind) -> str | None:
        if not name:
            return None
        return (self.by_article.get((article_id, name, kind))
                or self.by_cluster.get((cluster, name, kind))
                or self.by_name.get((name, kind)))


def _canonical(counts: Counter) -> str:
    """The most used form; ties go to the longer one, then alphabetical order."""
    return min(counts, key=lambda form: (-counts[form], -len(form), form))


def _group_full_names(full: dict[str, PersonName]) -> dict[str, str]:
    """Full-name variant -> the smallest variant of its person. Per surname: the same given name
    (or a transliteration) with the same middle initials is one person; a name without middle
    initials then joins the one middle-initialled person it fits ("George Bush" stays apart when
    there are a George W. and a George H. W.)."""
    by_surname: dict[str, list[str]] = defaultdict(list)
    for name, parsed in full.items():
        by_surname[parsed.surname].append(name)
    groups = UnionFind(full)
    for names in by_surname.values():
        names.sort()
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if full[a].middles == full[b].middles and same_given_name(full[a].given, full[b].given):
                    groups.union(a, b)
        for plain in (n for n in names if not full[n].middles):
            fitting = {groups.find(n) for n in names
                       if full[n].middles and same_given_name(full[plain].given, full[n].given)}
            if len(fitting) == 1:
                groups.union(plain, fitting.pop())
    return groups.roots()


def _context_persons(pairs: Iterable[tuple], ambiguous: dict, person_of_full: dict,
                     parsed: dict) -> dict:
    """(context, name) -> person for ambiguous bare names that fit exactly one person among the
    full names seen in that context (an article, or a cluster)."""
    persons_in: dict = defaultdict(set)
    wanted: dict = defaultdict(set)
    for context, name, kind in pairs:
        if kind != PERSON:
            continue
        if name in person_of_full:
            persons_in[context].add(person_of_full[name])
        elif name in ambiguous:
            wanted[context].add(name)
    placed = {}
    for context, names in wanted.items():
        for name in names:
            fitting = {p for p in persons_in.get(context, ()) if p in ambiguous[name]}
            if len(fitting) == 1:
                placed[(context, name, PERSON)] = fitting.pop()
    return placed


def swapped_letters(word: str) -> set[str]:
    """The word with two neighbouring letters swapped, each way it can be."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)
            if word[i] != word[i + 1]}


def _correct_surname_typos(parsed: dict, name_counts: dict) -> dict:
    """A surname of five letters or more that is another, more frequent surname with two
    neighbouring letters swapped ("Clniton") is read as that one: a typo in a copy."""
    counts = Counter()
    for name, p in parsed.items():
        counts[p.surname] += name_counts[(name, PERSON)]
    fixed = {}
    for surname in counts:
        if len(surname) >= MIN_TRANSLITERATED_LETTERS:
            better = [s for s in swapped_letters(surname) if counts.get(s, 0) > counts[surname]]
            if better:
                fixed[surname] = max(better, key=lambda s: (counts[s], s))
    return {name: p._replace(surname=fixed.get(p.surname, p.surname)) for name, p in parsed.items()}


def resolve_speakers(name_counts: dict, article_names: Iterable[tuple] = (),
                     cluster_names: Iterable[tuple] = ()) -> Resolution:
    """name_counts: (name, kind) -> rows; article_names / cluster_names: distinct (article id or
    cluster, name, kind) seen together (only needed to place ambiguous bare surnames)."""
    resolution = Resolution()
    parsed = {name: parse_person(name) for name, kind in name_counts if kind == PERSON}
    parsed = {name: p for name, p in parsed.items() if p is not None}
    parsed = _correct_surname_typos(parsed, name_counts)
    full = {name: p for name, p in parsed.items() if p.is_full}
    group_of = _group_full_names(full)

    person_counts: dict[str, Counter] = defaultdict(Counter)
    for name in full:
        person_counts[group_of[name]][full[name].display] += name_counts[(name, PERSON)]
    person_id = {}
    for group, counts in person_counts.items():
        canonical = _canonical(counts)
        sid = speaker_id(PERSON, fold(canonical))
        person_id[group] = sid
        resolution.speakers[sid] = SpeakerInfo(canonical, PERSON, full[group].surname)
    person_of_full = {name: person_id[group_of[name]] for name in full}
    resolution.by_name.update({(name, PERSON): sid for name, sid in person_of_full.items()})

    fulls_by_surname: dict[str, set] = defaultdict(set)
    for name, p in full.items():
        fulls_by_surname[p.surname].add(name)
    ambiguous: dict[str, set] = {}
    partial_names: dict[tuple, list[str]] = defaultdict(list)
    for name, p in parsed.items():
        if p.is_full:
            continue
        fitting = {person_of_full[f] for f in fulls_by_surname[p.surname] if fits(p, full[f])}
        if len(fitting) == 1:
            resolution.by_name[(name, PERSON)] = fitting.pop()
            continue
        if fitting:
            ambiguous[name] = fitting
        partial_names[(p.surname, p.given)].append(name)
    for (surname, given), names in partial_names.items():
        counts = Counter()
        for name in names:
            counts[parsed[name].display] += name_counts[(name, PERSON)]
        sid = speaker_id(PERSON, f"{given} {surname}".strip())
        resolution.speakers[sid] = SpeakerInfo(_canonical(counts), PERSON, surname,
                                               any(name in ambiguous for name in names))
        resolution.by_name.update({(name, PERSON): sid for name in names})

    resolution.by_article = _context_persons(article_names, ambiguous, person_of_full, parsed)
    resolution.by_cluster = _context_persons(cluster_names, ambiguous, person_of_full, parsed)
    _resolve_others(name_counts, resolution)
    return resolution


def _resolve_others(name_counts: dict, resolution: Resolution) -> None:
    """Organizations, groups, anonymous sources (and person names with no letters): by folded name."""
    forms: dict[tuple, Counter] = defaultdict(Counter)
    for (name, kind), count in name_counts.items():
        if (name, kind) not in resolution.by_name and name:
            forms[(kind, organization_key(name) or name)][name] += count
    for (kind, key), counts in forms.items():
        sid = speaker_id(kind or "", key)
        resolution.speakers[sid] = SpeakerInfo(_canonical(counts), kind, None)
        resolution.by_name.update({(name, kind): sid for name in counts})
