"""Speaker names: from a mention as written to a canonical records.Speaker.

"Bogdanov", "he", "the minister", "Russia's deputy foreign minister" all become "Mikhail Bogdanov"
when the article names him. Works from the parse alone (no NER): proper-name runs (PROPN tokens)
give the people of the article, a run of title words before a name gives the title, and head
words from data files give the kind of unnamed speakers.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Sequence

from spacy.tokens import Doc, Span, Token

from .cues import known_agency, lexicon
from .frames import RELATIVE_SUBJECTS
from .records import Speaker

PERSON, ORGANIZATION, GROUP, ANONYMOUS = "person", "organization", "group", "anonymous"
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "me"})
GROUP_PRONOUNS = frozenset({"they", "them", "we", "us"})
ORG_PRONOUNS = frozenset({"it"})
NAME_PARTICLES = frozenset({"al", "el", "de", "da", "del", "della", "di", "du", "la", "le", "van",
                            "von", "der", "den", "bin", "ibn", "abu", "st.", "mc"})
PRONOUN_WINDOW = 200   # chars back to a named person that "he"/"she" most likely refers to
INDEFINITE = frozenset({"a", "an", "some", "several", "two", "three", "many", "one", "other"})


def _data_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def load_data() -> None:
    """Read the title and speaker-kind word lists now rather than on the first article."""
    title_words()
    kind_words()


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    return frozenset(_data_lines("titles.txt"))


@lru_cache(maxsize=1)
def kind_words() -> dict[str, frozenset[str]]:
    """{"anonymous": {...}, "organization": {...}, "group": {...}} from data/speaker_kinds.txt."""
    sections: dict[str, set[str]] = {}
    current = None
    for line in _data_lines("speaker_kinds.txt"):
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), set())
        elif current is not None:
            current.add(line.lower())
    return {name: frozenset(words) for name, words in sections.items()}


@dataclass
class Person:
    """A full name the article gives, with where it first appears and any title seen with it."""
    name: str
    last: str                        # surname (last word), lower case, for "Bogdanov" -> full name
    start: int                       # char offset of the first mention
    title: str | None = None
    kind: str = PERSON
    positions: list[int] = field(default_factory=list)


def _is_title(token: Token) -> bool:
    return token.lower_ in title_words()


def _is_name_token(token: Token) -> bool:
    """A word of a proper-name run: capitalised PROPN (title words too: "Foreign Minister"), a
    hyphen or a lower-case particle (al-Assad, de Mistura)."""
    if token.is_upper and sum(ch.isalpha() for ch in token.text) >= 3:
        # MOSCOW (dateline), HOMEWORK: capitals are not names, but ABC, CNN and AFP are
        return token.lower_ in kind_words().get("organization", ()) or known_agency(token.text) is not None
    if token.pos_ == "PROPN" or (_is_title(token) and token.text[:1].isupper()):
        return token.text[:1].isupper() or token.text == "-" or token.lower_ in NAME_PARTICLES
    return token.lower_ in NAME_PARTICLES and token.text[:1].islower()


def _joined(a: Token, b: Token) -> bool:
    """Tokens written without a space between them (al-Assad, Amir-Abdollahian)."""
    return not a.whitespace_ and (a.text == "-" or b.text == "-")


def name_runs(tokens: Span | Doc) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of capitalised proper-name runs (title words included), in order."""
    runs, i, n = [], 0, len(tokens)
    while i < n:
        if not _is_name_token(tokens[i]) or not tokens[i].text[:1].isupper() \
                or tokens[i].lower_ in LEADING_WORDS:
            i += 1
            continue
        j = i + 1
        while j < n and (_is_name_token(tokens[j]) or _joined(tokens[j - 1], tokens[j])):
            j += 1
        while j > i and (tokens[j - 1].text == "-" or tokens[j - 1].lower_ in NAME_PARTICLES):
            j -= 1                   # a run never ends in a particle or hyphen
        runs.append((i, j))
        i = max(j, i + 1)
    return runs


def _title_before(doc: Doc, start: int) -> Span | None:
    """The title written right before a name: "Russian Deputy Foreign Minister", "U.S. Secretary of
    State"; None when there is no title word there."""
    i = start
    while i > 0:
        prev = doc[i - 1]
        if _is_title(prev) or (prev.lower_ == "of" and i - 2 >= 0 and _is_title(doc[i - 2])):
            i -= 1
        elif (prev.text[:1].isupper() and prev.pos_ in ("ADJ", "PROPN") and i < start
              and _is_title(doc[i])):
            i -= 1                   # "Russian", "U.S." before a title word
        elif prev.pos_ == "NOUN" and prev.dep_ == "compound" and i < start and _is_title(doc[i]):
            i -= 1                   # "coalition head", "campaign manager"
        else:
            break
    while i < start and doc[i].lower_ == "of":
        i += 1
    if i == start or not any(_is_title(t) for t in doc[i:start]):
        return None
    return doc[i:start]


MAX_APPOSITIVE_TITLE = 6   # words: a longer description is no title


def _title_noun_above(token: Token) -> Token | None:
    """The title noun a name is in apposition to, also across a prepositional phrase ("the
    UN's envoy on Syria, Staffan de Mistura": the parse hangs the name on "Syria")."""
    for _ in range(3):
        if token.pos_ == "NOUN" and _is_title(token):
            return token
        if token.dep_ not in ("pobj", "prep") or token.head.i == token.i:
            return None
        token = token.head
    return None


def _appositive_title(name: Span) -> str | None:
    """A title the article gives in apposition: "the UN's envoy on Syria, Staffan de Mistura" /
    "Staffan de Mistura, the UN envoy," -> "UN envoy on Syria" / "UN envoy"."""
    root, doc = name.root, name.doc
    if root.dep_ == "appos" and root.i > root.head.i:
        noun = _title_noun_above(root.head)
        first, last = (noun.left_edge.i, name.start - 1) if noun is not None else (0, -1)
    else:
        noun = next((c for c in root.children if c.dep_ == "appos" and c.i > root.i
                     and c.pos_ == "NOUN" and _is_title(c)), None)
        first, last = (noun.left_edge.i, noun.right_edge.i) if noun is not None else (0, -1)
    words = [t for t in doc[first:last + 1] if not t.is_punct and t.tag_ != "POS"]
    while words and words[0].dep_ == "det":
        words = words[1:]
    if not words or len(words) > MAX_APPOSITIVE_TITLE or any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    return " ".join(t.text for t in words)


def _clean_title(title: Span | None) -> str | None:
    if title is None:
        return None
    words = [t for t in title if t.lower_ not in ("former", "acting", "interim")] or list(title)
    return title.doc[words[0].i:words[-1].i + 1].text


def name_part(run: Span) -> Span | None:
    """The name in a run: all of an organisation's run ("Syrian National Coalition"), a person's
    words after the last title word ("Deputy Foreign Minister Mikhail Bogdanov" -> "Mikhail
    Bogdanov"); None when the run is a title only ("Foreign Minister")."""
    calendar = kind_words().get("calendar", frozenset())
    while len(run) > 2 and run[-1].lower_ in calendar:
        run = run[:-1]               # "the United States Tuesday": a date after the name
    last_title = max((k for k, t in enumerate(run) if _is_title(t)), default=-1)
    rest = run[last_title + 1:]
    if _kind_of_name(run) == ORGANIZATION and not _person_after_title(run, rest):
        return run
    if len(rest) >= 4 and rest.start > 0 and rest.doc[rest.start - 1].lower_ == "the":
        rest = rest[len(rest) - 2:]  # "Ambassador to the United States Hamdullah Mohib"
    while len(rest) and (rest[0].text == "-" or rest[0].lower_ in NAME_PARTICLES):
        rest = rest[1:]
    return rest if len(rest) else None


def _person_after_title(run: Span, rest: Span) -> bool:
    """"House Speaker Paul Ryan", "US Secretary of State John Kerry": an organisation word
    before a title, and a name of two or more words after it, is a person's title and name."""
    return len(rest) >= 2 and len(rest) < len(run) and _kind_of_name(rest) == PERSON \
        and all(t.text[:1].isupper() or t.lower_ in NAME_PARTICLES or t.text == "-" for t in rest)


def _kind_of_name(tokens: Span) -> str:
    """An organisation when a word says so ("Syrian National Coalition") or the whole name is a
    country, capital or union ("United States", "US", "EU"), else a person."""
    words = {t.lower_ for t in tokens}
    if words & kind_words().get("organization", frozenset()):
        return ORGANIZATION
    return ORGANIZATION if tokens.text.lower() in kind_words().get("place", ()) else PERSON


def _merged_short_names(people: list[Person]) -> list[Person]:
    """"President Obama" and "Barack Obama", "Professor Eastman" and "Cres Eastman" are one
    person: a name that ends a longer one of the same kind gives its mentions (and its title, if
    the longer has none) to the longer, so the roster lists the person once."""
    kept = []
    for person in people:
        longer = next((p for p in people if p.kind == person.kind
                       and p.name.lower().endswith(" " + person.name.lower())), None)
        if longer is None:
            kept.append(person)
            continue
        longer.positions = sorted(longer.positions + person.positions)
        longer.start = min(longer.start, person.start)
        longer.title = longer.title or person.title
    return kept


class NameIndex:
    """The people (and named organisations) of one article, built once per Doc."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.people: list[Person] = []
        by_name: dict[str, Person] = {}
        for i, j in name_runs(doc):
            span = name_part(doc[i:j])
            if span is None:
                continue
            i = span.start
            name = span.text
            kind = _kind_of_name(span)
            title = (_clean_title(_title_before(doc, i)) or _appositive_title(span)) \
                if kind == PERSON else None
            person = by_name.get(name)
            if person is None:
                if len([t for t in span if t.text[:1].isupper()]) < 2 and title is None:
                    known = self.by_surname(name, span.start_char)
                    if known is not None and known.start < span.start_char:
                        known.positions.append(span.start_char)   # "Sanders" after "Bernie Sanders"
                    continue         # a lone capitalised word: a surname or a place, not a full name
                person = Person(name, span[-1].lower_, span.start_char, title, kind)
                by_name[name] = person
                self.people.append(person)
            person.positions.append(span.start_char)
            if title and (person.title is None or (title[:1].isupper() and not person.title[:1].isupper())):
                person.title = title  # prefer the capitalised form, as in a dateline title
        self.people = _merged_short_names(self.people)

    def by_surname(self, surname: str, near: int) -> Person | None:
        """The person whose last name is `surname`: the latest mentioned before `near`, else the
        first after."""
        matches = [p for p in self.people if p.kind == PERSON and p.last == surname.lower()
                   and p.name.lower() != surname.lower()]
        return _nearest(matches, near)

    def by_title(self, words: set[str], near: int) -> Person | None:
        """The person whose title holds all these title words ("deputy foreign minister")."""
        matches = [p for p in self.people if p.kind == PERSON and p.title
                   and words <= {w.lower() for w in p.title.split()}]
        return _nearest(matches, near)

    def by_full_name(self, name: str) -> Person | None:
        """The person of this name, or the longer name it ends ("De Mistura" -> "Staffan de Mistura")."""
        lowered = name.lower()
        longer = [p for p in self.people if p.name.lower().endswith(" " + lowered)]
        if longer:
            return longer[0]
        for person in self.people:
            if person.name == name:
                return person
        return None

    def organization_before(self, near: int, skip: Sequence[tuple[int, int]] = ()) -> Person | None:
        """The organisation named last before `near` and at most PRONOUN_WINDOW chars back, for
        "it said" ("the Syrian National Coalition ... It said")."""
        body = _nearest([p for p in self.people if p.kind == ORGANIZATION], near, after=False, skip=skip)
        if body is None or near - max(x for x in body.positions if x < near) > PRONOUN_WINDOW:
            return None
        return body

    def person_before(self, near: int, skip: Sequence[tuple[int, int]] = ()) -> Person | None:
        """The person named last before `near`, not counting mentions inside the `skip` ranges
        (quotations: in "…with de Mistura," he said, "he" is not de Mistura)."""
        return _nearest([p for p in self.people if p.kind == PERSON], near, after=False, skip=skip)


def _nearest(people: list[Person], near: int, after: bool = True,
             skip: Sequence[tuple[int, int]] = ()) -> Person | None:
    def seen(x: int) -> bool:
        return x < near and not any(start <= x < end for start, end in skip)
    before = [(max(x for x in p.positions if seen(x)), p) for p in people
              if any(seen(x) for x in p.positions)]
    if before:
        return max(before, key=lambda item: item[0])[1]
    if after and people:
        return min(people, key=lambda p: p.start)
    return None


def _speaker(mention: Span, name: str, kind: str, title: str | None) -> Speaker:
    return Speaker(name=name, text=mention.text, start=mention.start_char, end=mention.end_char,
                   kind=kind, title=title)


def resolve(index: NameIndex, mention: Span, previous: Speaker | None = None,
            quoted: Sequence[tuple[int, int]] = ()) -> Speaker:
    """The canonical speaker for a mention as written. `previous` is the latest person speaker
    before this mention (pronouns refer to it first); `quoted` are the article's quotations as
    char ranges (a person named only inside one is talked about: no antecedent of "he said")."""
    mention = clean_mention(mention)
    antecedent = _antecedent(mention)
    if antecedent is not None:   # "Putin, who said": the mention "who", the name Putin's
        found = resolve(index, antecedent, previous, quoted)
        return replace(found, text=mention.text, start=mention.start_char, end=mention.end_char)
    head, others = _coordination(mention)
    if others:
        return _joint_speaker(index, head, others, previous, quoted)
    return _single_speaker(index, mention, previous, quoted)


def _single_speaker(index: NameIndex, mention: Span, previous: Speaker | None,
                    quoted: Sequence[tuple[int, int]]) -> Speaker:
    words = {t.lower_ for t in mention}
    head = mention.root
    if len(mention) == 1 and head.lower_ in PERSON_PRONOUNS:
        return _pronoun_speaker(index, mention, previous, quoted)
    if len(mention) == 1 and head.lower_ in ORG_PRONOUNS:
        body = index.organization_before(mention.start_char, quoted)
        name = body.name if body is not None else mention.text
        return _speaker(mention, name, ORGANIZATION, None)
    if len(mention) == 1 and head.lower_ in GROUP_PRONOUNS:
        return _speaker(mention, mention.text, GROUP, None)
    run = _run_at_head(name_runs(mention), mention)
    name_span = name_part(mention[run[0]:run[1]]) if run is not None else None
    if name_span is not None:
        return _named_speaker(index, mention, name_span)
    if head.text[:1].isupper():
        person = index.by_surname(head.text, mention.start_char)
        if person is not None:   # "Sanders" tagged a plural noun is still Bernie Sanders
            return _speaker(mention, person.name, person.kind, person.title)
    return _nominal_speaker(index, mention, words, head)


ANTECEDENT_DROP_DEPS = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj"})
CONJUNCT_POS = frozenset({"PROPN", "NOUN", "PRON"})
DETERMINERS = frozenset({"the", "a", "an"})


def _bare_phrase(noun: Token, bounds: Span) -> Span:
    """noun's phrase without relative clauses, appositives and conjuncts, inside bounds."""
    start, end = noun.i, noun.i + 1
    for child in noun.children:
        if child.dep_ not in ANTECEDENT_DROP_DEPS:
            start, end = min(start, child.left_edge.i), max(end, child.right_edge.i + 1)
    return noun.doc[max(start, bounds.start):min(end, bounds.end)]


def _coordination(mention: Span) -> tuple[Span, list[Span]]:
    """A coordinated mention's first conjunct and the others ("Russia, which backs Assad, and
    the United States" -> "Russia", ["the United States"]); (mention, []) when not coordinated."""
    root = mention.root
    others = [c for c in root.conjuncts if mention.start <= c.i < mention.end
              and c.i > root.i and c.pos_ in CONJUNCT_POS]
    if not others or root.pos_ not in CONJUNCT_POS:
        return mention, []
    return _bare_phrase(root, mention), [_bare_phrase(c, mention) for c in others]


def _joint_speaker(index: NameIndex, head: Span, others: list[Span],
                   previous: Speaker | None, quoted: Sequence[tuple[int, int]]) -> Speaker:
    """Several speakers of one statement ("Lavrov and Syrian opposition sources confirmed"): one
    group speaker named by joining the conjuncts' canonical names ("Sergei Lavrov and Syrian
    opposition sources"), so the roster never credits the joint words to one of them alone. The
    mention is the whole coordination when it is nothing but the conjuncts, else (a relative
    clause or appositive inside) the first conjunct's noun phrase."""
    parts = [_joint_part(_single_speaker(index, part, previous, quoted), part) for part in [head] + others]
    parts = parts[:1] + [_lower_determiner(name) for name in parts[1:]]
    name = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    covered = {t.i for part in [head] + others for t in part}
    between = head.doc[head.start:others[-1].end]
    clean = all(t.i in covered or t.dep_ in ("cc", "punct") or t.pos_ == "DET" for t in between)
    shown = between if clean else head
    return _speaker(shown, name, GROUP, None)


def _joint_part(speaker: Speaker, part: Span) -> str:
    """A conjunct's name in a joint name, with the article a country or body is written with
    ("Russia and the United States")."""
    if speaker.kind == ORGANIZATION and part[0].lower_ == "the" and not speaker.name.lower().startswith("the "):
        return "the " + speaker.name
    return speaker.name


def _lower_determiner(name: str) -> str:
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}" if rest and first.lower() in DETERMINERS else name


def _antecedent(mention: Span) -> Span | None:
    """The noun phrase a relative pronoun subject stands for ("Putin" for "who" in "Putin, who
    said ..."), or None for any other mention."""
    if len(mention) != 1 or mention.root.lower_ not in RELATIVE_SUBJECTS:
        return None
    clause = mention.root.head
    if clause.dep_ not in ("relcl", "acl") or clause.head.i == clause.i:
        return None
    return _bare_phrase(clause.head, mention.doc[:])


LEADING_POS = frozenset({"CCONJ", "SCONJ", "ADV", "INTJ"})
LEADING_DEPS = frozenset({"cc", "mark", "advmod"})
# conjunctions the tagger sometimes takes for the first word of a name ("Though Sanders")
LEADING_WORDS = frozenset({"but", "and", "yet", "so", "though", "although", "while", "whereas",
                           "because", "when", "if", "as", "also", "however", "meanwhile"})
CLAUSE_POS = frozenset({"VERB", "AUX"})
MODIFIER_DEPS = frozenset({"amod", "compound"})   # "war-torn", "long-standing": verbs inside a noun phrase


def clean_mention(mention: Span) -> Span:
    """The mention as a reader should see it: a noun phrase without leading conjunctions,
    adverbs, punctuation or a trailing possessive."""
    return _trim(_noun_phrase(_trim(mention)))


def _noun_phrase(mention: Span) -> Span:
    """A speaker mention is a noun phrase. A clause taken for one ("aides cheered as she") gives
    way to its subject's phrase; a participle clause before the noun ("Writing in a blog post,
    Matthew Ingram") is cut off at its comma."""
    root = mention.root
    if root.pos_ in CLAUSE_POS:
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")
                        and mention.start <= c.i < mention.end), None)
        if subject is None:      # a second phrase hanging outside the span: its last noun
            subject = next((t for t in reversed(mention) if t.pos_ in CONJUNCT_POS
                            and not mention.start <= t.head.i < mention.end), None)
        if subject is None:
            return mention
        mention, root = _bare_phrase(subject, mention), subject
    if root.pos_ != "PROPN":   # a name after a comma wins over the words before it
        named = next((c for c in root.children if c.dep_ in ("appos", "npadvmod") and c.pos_ == "PROPN"
                      and c.i < mention.end and c.i > 0 and c.doc[c.left_edge.i - 1].text == ","), None)
        if named is not None:
            return _bare_phrase(named, mention)
    clause_before = [t for t in mention if t.i < root.i and t.pos_ in CLAUSE_POS
                     and t.dep_ not in MODIFIER_DEPS]
    if clause_before:
        commas = [t.i for t in mention if clause_before[0].i < t.i < root.i and t.text == ","]
        if commas:
            return mention.doc[commas[-1] + 1:mention.end]
    return mention


def _trim(mention: Span) -> Span:
    """Drop leading/trailing punctuation, a leading conjunction or adverb ("But Lavrov", "So
    officials", "Also Smith") and a trailing possessive from a mention."""
    i, j = 0, len(mention)
    while i < j - 1 and (mention[i].is_punct or mention[i].is_space or mention[i].pos_ in LEADING_POS
                         or mention[i].dep_ in LEADING_DEPS or mention[i].lower_ in LEADING_WORDS):
        i += 1
    while j > i and (mention[j - 1].is_punct or mention[j - 1].is_space or mention[j - 1].tag_ == "POS"):
        j -= 1
    return mention[i:j] if j > i else mention


def _run_at_head(runs: list[tuple[int, int]], mention: Span) -> tuple[int, int] | None:
    """The name run holding the mention's head ("Bogdanov" in "minister Mikhail Bogdanov")."""
    head_i = mention.root.i - mention.start
    for i, j in runs:
        if i <= head_i < j:
            return i, j
    return None


def _named_speaker(index: NameIndex, mention: Span, name_span: Span) -> Speaker:
    name = name_span.text
    written = _title_before(mention.doc, name_span.start)
    title = _clean_title(written) if written is not None and written.start >= mention.start else None
    person = index.by_full_name(name)
    if person is None and len(name_span) == 1:
        person = index.by_surname(name, mention.start_char)
    if person is not None:
        return _speaker(mention, person.name, person.kind, person.title or title)
    kind = _kind_of_name(name_span)
    if kind == PERSON and title is None and len(name_span) == 1 and _names_a_body(name):
        kind = ORGANIZATION          # a lone place, institution or agency: "Moscow", "Interfax"
    if kind == PERSON and title is None and len(name_span) == 1 \
            and name.lower() in kind_words().get("group", ()):
        kind = GROUP                 # "Democrats", "Iranians"
    return _speaker(mention, name, kind, title)


def _is_document(word: str) -> bool:
    """A poll, report, statement or ad speaks for unnamed authors: never a person."""
    return word in kind_words().get("document", ()) or word in lexicon().evidence_nouns


def _names_a_body(name: str) -> bool:
    """A lone proper name that is a known place, institution or agency, not a person's surname."""
    return name.lower() in kind_words().get("place", ()) or known_agency(name) is not None


def _pronoun_speaker(index: NameIndex, mention: Span, previous: Speaker | None,
                     quoted: Sequence[tuple[int, int]] = ()) -> Speaker:
    """he/she/I: the person named last in the text just before (same or previous sentence), else
    the previous person speaker, else the last person named anywhere before."""
    near = index.person_before(mention.start_char, quoted)
    if near is not None and mention.start_char - max(
            x for x in near.positions if x < mention.start_char) <= PRONOUN_WINDOW:
        return _speaker(mention, near.name, PERSON, near.title)
    if previous is not None and previous.kind == PERSON:
        return _speaker(mention, previous.name, PERSON, previous.title)
    person = index.person_before(mention.start_char, quoted)
    if person is not None:
        return _speaker(mention, person.name, PERSON, person.title)
    return _speaker(mention, mention.text, PERSON, None)


def _description(mention: Span) -> str:
    """An unnamed speaker's name: the mention, with a sentence-initial determiner in lower case
    ("The Syrian sources" and "the Syrian sources" are one roster entry)."""
    first = mention[0]
    if first.pos_ == "DET" and first.text[:1].isupper() and first.text[1:] == first.text[1:].lower():
        return first.lower_ + mention.text[len(first.text):]
    return mention.text


def _nominal_speaker(index: NameIndex, mention: Span, words: set[str], head: Token) -> Speaker:
    kinds = kind_words()
    head_word = head.lower_
    determiner = mention[0].lower_
    name = _description(mention)
    if head_word in kinds.get("anonymous", ()):
        definite = determiner in ("the", "this", "that", "these", "those")
        if not definite or head.tag_ in ("NNS", "NNPS"):
            return _speaker(mention, name, ANONYMOUS, None)
    if _is_title(head) and determiner not in INDEFINITE:
        person = index.by_title({w for w in words if w in title_words()} - {"former"},
                                mention.start_char)
        if person is not None:
            return _speaker(mention, person.name, PERSON, person.title)
    if head_word in kinds.get("organization", ()):
        return _speaker(mention, name, ORGANIZATION, None)
    if head_word in kinds.get("anonymous", ()) or _is_document(head_word):
        return _speaker(mention, name, ANONYMOUS, None)
    if head.tag_ in ("NNS", "NNPS") or head_word in kinds.get("group", ()):
        return _speaker(mention, name, GROUP, None)
    if determiner in INDEFINITE:
        return _speaker(mention, name, ANONYMOUS, None)
    return _speaker(mention, name, PERSON, None)
