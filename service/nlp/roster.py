"""The roster of an article: the people and named organisations it names, from the parse alone
(no NER). Proper-name runs (PROPN tokens) give the names, a run of title words before a name (or
an appositive) gives the title, and head words from data files give the kind."""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Sequence

import numpy
from spacy.attrs import IS_UPPER, LOWER, POS
from spacy.parts_of_speech import PROPN

from spacy.tokens import Doc, Span, Token

from .lexicon import Lexicon, read_sections
from .tree import word_hashes
from .vocab import PERSONAL_SUBJECT_DEPS

PERSON, ORGANIZATION, GROUP, ANONYMOUS = "person", "organization", "group", "anonymous"
FEMALE, MALE = "female", "male"
PRONOUN_GENDER = {"she": FEMALE, "her": FEMALE, "he": MALE, "him": MALE}
PRONOUN_WINDOW = 200   # chars back to a named person that "he"/"she" most likely refers to
MAX_APPOSITIVE_TITLE = 6   # words: a longer description is no title
SUBJECT_SENTENCES = 2      # sentences back to a subject that "he"/"she" refers to
MIN_DOCUMENT_WORDS = 3     # a study's title ("American Community Survey"), not a headline's "New Poll"
MIN_MISSPELT = 5           # letters: a shorter surname is never taken for another one misspelt
SURNAME_LIKENESS = 0.88    # difflib ratio of a misspelt surname to the right one ("Bauchtman", "Buchtmann")
GIVEN_LIKENESS = 0.85      # ... of a misspelt given name, the surname the same ("Kristen", "Kristin")


@dataclass
class Person:
    """A full name the article gives, with where it first appears and any title seen with it."""
    name: str
    last: str                        # surname (last word), lower case, for "Bogdanov" -> full name
    start: int                       # char offset of the first mention
    title: str | None = None
    kind: str = PERSON
    positions: list[int] = field(default_factory=list)
    subject_positions: list[int] = field(default_factory=list)   # mentions that are a clause's subject
    gender: str | None = None        # FEMALE / MALE from the given name or title; None: unknown
    spellings: list[str] = field(default_factory=list)   # the name as misspelt elsewhere in the text


@lru_cache(maxsize=4)
def _gender_words(data_dir) -> dict[str, frozenset[str]]:
    return read_sections(data_dir / "given_names.txt")


def gender_of(lex: Lexicon, name: str, title: str | None = None) -> str | None:
    """A person's gender as the text gives it: a title or apposition word ("Ms", "sister") first,
    else the given name ("Kristin", "Andy"); None when neither tells."""
    words = _gender_words(lex.data_dir)
    written = (title or "").lower().replace(".", "").split()
    for gender in (FEMALE, MALE):
        if words[gender + "_words"].intersection(written):
            return gender
    given = name.split()[0].lower() if len(name.split()) > 1 else ""
    return next((gender for gender in (FEMALE, MALE) if given in words[gender]), None)


def is_title(lex: Lexicon, token: Token) -> bool:
    return token.lower_ in lex.titles


def _is_name_token(lex: Lexicon, token: Token) -> bool:
    """A word of a proper-name run: capitalised PROPN (title words too: "Foreign Minister"), a
    hyphen or a lower-case particle (al-Assad, de Mistura)."""
    if token.is_upper and sum(ch.isalpha() for ch in token.text) >= 3:
        # MOSCOW (dateline), HOMEWORK: capitals are not names, but ABC, CNN and AFP are
        return token.lower_ in lex.kind_words("organization") or lex.known_agency(token.text) is not None
    if token.pos_ == "PROPN" or (is_title(lex, token) and token.text[:1].isupper()):
        return token.text[:1].isupper() or token.text == "-" or token.lower_ in lex.words["name_particles"]
    return token.lower_ in lex.words["name_particles"] and token.text[:1].islower()


def _joined(a: Token, b: Token) -> bool:
    """Tokens written without a space between them (al-Assad, Amir-Abdollahian)."""
    return not a.whitespace_ and (a.text == "-" or b.text == "-")


def name_runs(lex: Lexicon, tokens: Span | Doc) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of capitalised proper-name runs (title words included), in order."""
    words = list(tokens)             # one Token object each: indexing a Doc builds a new one
    return _runs_from(lex, words, range(len(words)))


def doc_name_runs(lex: Lexicon, doc: Doc) -> list[tuple[int, int]]:
    """name_runs of a whole article, reading as Tokens only the words that can start a run (a
    PROPN, a word in capitals, a title word): one vectorised pass instead of a Token per word."""
    if len(doc) == 0:
        return []
    columns = doc.to_array([POS, IS_UPPER, LOWER]).astype(numpy.uint64)
    can_start = (columns[:, 0] == PROPN) | (columns[:, 1] == 1) | _member(columns[:, 2], _hashes(lex.titles))
    return _runs_from(lex, doc, numpy.flatnonzero(can_start).tolist())


def _member(values: numpy.ndarray, hashes: numpy.ndarray) -> numpy.ndarray:
    """values[k] in hashes (sorted), for each k: a binary search, cheaper than numpy.isin on short arrays."""
    if len(hashes) == 0:
        return numpy.zeros(len(values), dtype=bool)
    at = numpy.minimum(hashes.searchsorted(values), len(hashes) - 1)
    return hashes[at] == values


def _positions_of(doc: Doc, hashes: numpy.ndarray) -> list[int]:
    """Indices of the tokens whose lower-case form is one of the hashed words."""
    if len(doc) == 0:
        return []
    return numpy.flatnonzero(_member(doc.to_array([LOWER]).reshape(-1).astype(numpy.uint64), hashes)).tolist()


def _through_of(lex: Lexicon, words, j: int) -> int:
    """The end of a run that names a body "of" a thing: "Church of Scientology", "Department of
    Agriculture" are one name (the run before "of" ends in an organisation word)."""
    n = len(words)
    while j + 1 < n and words[j].lower_ == "of" and words[j - 1].lower_ in lex.kind_words("organization") \
            and words[j + 1].text[:1].isupper() and _is_name_token(lex, words[j + 1]):
        j += 2
        while j < n and (_is_name_token(lex, words[j]) or _joined(words[j - 1], words[j])):
            j += 1
    return j


@lru_cache(maxsize=8)
def _hashes(words: frozenset[str]) -> numpy.ndarray:
    return word_hashes(words)


def _runs_from(lex: Lexicon, words, starts) -> list[tuple[int, int]]:
    """The runs of `words` (Tokens, indexable) that start at one of `starts` (ascending)."""
    leading, particles = lex.words["leading_words"], lex.words["name_particles"]
    runs, after, n = [], 0, len(words)
    for i in starts:
        if i < after:
            continue                 # inside the run found last
        first = words[i]
        if not first.text[:1].isupper() or not _is_name_token(lex, first) or first.lower_ in leading:
            continue
        j = i + 1
        while j < n and (_is_name_token(lex, words[j]) or _joined(words[j - 1], words[j])):
            j += 1
        while j > i and (words[j - 1].text == "-" or words[j - 1].lower_ in particles):
            j -= 1                   # a run never ends in a particle or hyphen
        j = _through_of(lex, words, j)
        runs.append((i, j))
        after = max(j, i + 1)
    return runs


def title_before(lex: Lexicon, doc: Doc, start: int) -> Span | None:
    """The title written right before a name: "Russian Deputy Foreign Minister", "U.S. Secretary of
    State"; None when there is no title word there."""
    i = start
    while i > 0:
        prev = doc[i - 1]
        if is_title(lex, prev) or (prev.lower_ == "of" and i - 2 >= 0 and is_title(lex, doc[i - 2])):
            i -= 1
        elif (prev.text[:1].isupper() and prev.pos_ in ("ADJ", "PROPN") and i < start
              and is_title(lex, doc[i])):
            i -= 1                   # "Russian", "U.S." before a title word
        elif prev.pos_ == "NOUN" and prev.dep_ == "compound" and i < start and is_title(lex, doc[i]):
            i -= 1                   # "coalition head", "campaign manager"
        else:
            break
    while i < start and doc[i].lower_ == "of":
        i += 1
    if i == start or not any(is_title(lex, t) for t in doc[i:start]):
        return None
    return doc[i:start]


def _title_noun_above(lex: Lexicon, token: Token) -> Token | None:
    """The title noun a name is in apposition to, also across a prepositional phrase ("the
    UN's envoy on Syria, Staffan de Mistura": the parse hangs the name on "Syria")."""
    for _ in range(3):
        if token.pos_ == "NOUN" and is_title(lex, token):
            return token
        if token.dep_ not in ("pobj", "prep") or token.head.i == token.i:
            return None
        token = token.head
    return None


def _appositive_title(lex: Lexicon, name: Span) -> str | None:
    """A title the article gives in apposition: "the UN's envoy on Syria, Staffan de Mistura" /
    "Staffan de Mistura, the UN envoy," -> "UN envoy on Syria" / "UN envoy"."""
    root, doc = name.root, name.doc
    if root.dep_ == "appos" and root.i > root.head.i:
        noun = _title_noun_above(lex, root.head)
        first, last = (noun.left_edge.i, name.start - 1) if noun is not None else (0, -1)
    else:
        noun = next((c for c in root.children if c.dep_ == "appos" and c.i > root.i
                     and c.pos_ == "NOUN" and is_title(lex, c)), None)
        first, last = (noun.left_edge.i, noun.right_edge.i) if noun is not None else (0, -1)
    words = [t for t in doc[first:last + 1] if not t.is_punct and t.tag_ != "POS"]
    while words and words[0].dep_ == "det":
        words = words[1:]
    if not words or len(words) > MAX_APPOSITIVE_TITLE or any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    return " ".join(t.text for t in words)


def clean_title(title: Span | None) -> str | None:
    if title is None:
        return None
    words = [t for t in title if t.lower_ not in ("former", "acting", "interim")] or list(title)
    return title.doc[words[0].i:words[-1].i + 1].text


def name_part(lex: Lexicon, run: Span) -> Span | None:
    """The name in a run: all of an organisation's run ("Syrian National Coalition"), a person's
    words after the last title word ("Deputy Foreign Minister Mikhail Bogdanov" -> "Mikhail
    Bogdanov"); None when the run is a title only ("Foreign Minister")."""
    if len(run) == 1:                # most runs: "Moscow", "Lavrov"
        return None if is_title(lex, run[0]) else run
    calendar = lex.kind_words("calendar")
    while len(run) > 2 and run[-1].lower_ in calendar:
        run = run[:-1]               # "the United States Tuesday": a date after the name
    while len(run) > 1 and run[-1].text[:1].isupper() \
            and run[-1].lower_.rstrip(".") in lex.words.get("post_nominals", ()):
        run = run[:-1]               # "Tom Molomby SC": letters after the name
    last_title = max((k for k, t in enumerate(run) if is_title(lex, t)), default=-1)
    rest = run[last_title + 1:]
    if kind_of_name(lex, run) == ORGANIZATION and not _person_after_title(lex, run, rest):
        return run
    if len(rest) >= 4 and rest.start > 0 and rest.doc[rest.start - 1].lower_ == "the":
        rest = rest[len(rest) - 2:]  # "Ambassador to the United States Hamdullah Mohib"
    while len(rest) >= 3 and rest[0].lower_ in lex.kind_words("place") and rest[1].text[:1].isupper():
        rest = rest[1:]              # "Governor of Washington Chris Gregoire": the place is no name
    while len(rest) and (rest[0].text == "-" or rest[0].lower_ in lex.words["name_particles"]):
        rest = rest[1:]
    if len(rest) >= 4 and _is_given_name(lex, rest[-2]) and not _is_given_name(lex, rest[-3]) \
            and kind_of_name(lex, rest[-2:]) == PERSON:
        rest = rest[-2:]             # "... Islamic Relations Alia Salem": a body's name, then a person's
    return rest if len(rest) else None


def _is_given_name(lex: Lexicon, token: Token) -> bool:
    words = _gender_words(lex.data_dir)
    return token.lower_ in words[FEMALE] or token.lower_ in words[MALE]


def _person_after_title(lex: Lexicon, run: Span, rest: Span) -> bool:
    """"House Speaker Paul Ryan", "US Secretary of State John Kerry": an organisation word
    before a title, and a name of two or more words after it, is a person's title and name."""
    return len(rest) >= 2 and len(rest) < len(run) and kind_of_name(lex, rest) == PERSON \
        and all(t.text[:1].isupper() or t.lower_ in lex.words["name_particles"] or t.text == "-" for t in rest)


def kind_of_name(lex: Lexicon, tokens: Span) -> str:
    """An organisation when a word says so ("Syrian National Coalition") or the whole name is a
    country, capital or union ("United States", "US", "EU"), else a person."""
    if len(tokens) == 1:             # most names: one word, read once
        word = tokens[0].lower_
        return ORGANIZATION if word in lex.kind_words("organization") or word in lex.kind_words("place") else PERSON
    if not lex.kind_words("organization").isdisjoint(t.lower_ for t in tokens) or names_document(lex, tokens):
        return ORGANIZATION
    return ORGANIZATION if tokens.text.lower() in lex.kind_words("place") else PERSON


def described_as_body(lex: Lexicon, name: Span) -> bool:
    """A name right after a common noun for a body ("the security firm Secunia.com")."""
    before = name.doc[name.start - 1] if name.start > 0 else None
    return before is not None and before.is_lower and before.lower_ in lex.kind_words("organization")


def is_document_word(lex: Lexicon, word: str) -> bool:
    """A poll, report, statement or study: it speaks for unnamed authors."""
    return word in lex.kind_words("document") or word in lex.evidence_nouns


def names_document(lex: Lexicon, tokens: Span) -> bool:
    """"Australian National Iodine Nutrition Study": a name of two or more words ending in a
    document word is a study's or report's title, never a person's name."""
    return len(tokens) > 1 and is_document_word(lex, tokens[-1].lower_)


def _is_acronym(lex: Lexicon, span: Span) -> bool:
    """A lone all-capitals word of 2-6 letters that is no post-nominal ("KCNA", not "SC")."""
    word = span.text.replace(".", "")
    return len(span) == 1 and word.isalpha() and word.isupper() and 2 <= len(word) <= 6 \
        and word.lower() not in lex.words.get("post_nominals", ())


def _interviewer(lex: Lexicon, token: Token) -> bool:
    """An outlet or interviewer: "Wikinews", "CNN", "the Guardian"."""
    return token.pos_ == "PROPN" and (token.lower_ in lex.words.get("interviewers", ())
                                      or lex.known_agency(token.text) is not None
                                      or token.lower_ in lex.kind_words("organization"))


def is_interviewer_word(lex: Lexicon, label: str) -> bool:
    """A transcript label naming an outlet or the interviewer ("Wikinews:", "CNN:")."""
    known = lex.known_agency(label)
    return label.lower() in lex.words.get("interviewers", ()) or (known is not None and known[2] - known[1] == len(label))


def _outlet_in(lex: Lexicon, sentence: Span) -> Person | None:
    """The outlet of an interview sentence ("Nick Bos tells Wikinews"), as a roster entry."""
    for token in sentence:
        if _interviewer(lex, token) and token.lower_ not in lex.kind_words("organization"):
            known = lex.known_agency(token.text)
            return Person(known[0] if known else token.text, token.lower_, token.idx, None, ORGANIZATION)
    return None


def _interviewed(lex: Lexicon, name: Span) -> bool:
    """Whether the name is of the person an interview is with: the object of "interviewed" or of
    "an interview with", the subject of a verb with "in an interview", or who tells or speaks
    to an outlet."""
    root, words = name.root, lex.words
    head = root.head
    if root.dep_ == "dobj" and head.lower_ in words.get("interview_verbs", ()):
        return True
    if root.dep_ == "pobj" and head.lower_ == "with" and head.head.lower_ in words.get("interview_verbs", ()):
        return True
    if root.dep_ not in PERSONAL_SUBJECT_DEPS:
        return False
    heard = [c for c in head.children if c.dep_ in ("dobj", "dative")] + \
        [g for c in head.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    if any(t.lower_ in words.get("interview_verbs", ()) for t in heard):
        return True                  # "In an interview with Wikinews, Bos said"
    return head.lower_ in words.get("telling_verbs", ()) and any(_interviewer(lex, t) for t in heard)


def is_subject(span: Span) -> bool:
    """A name that is its clause's subject, or in apposition to it ("The president, Barack Obama,
    said"): the most salient antecedent of a he or she after it."""
    root = span.root
    return root.dep_ in PERSONAL_SUBJECT_DEPS or (root.dep_ == "appos" and root.head.dep_ in PERSONAL_SUBJECT_DEPS)


def in_titled_name(lex: Lexicon, span: Span) -> bool:
    """A name inside the name of an award, event or body ("the Budweiser Man of the Match award",
    "the Friends of Walkley Library"): its phrase, or the phrase its of-phrase hangs on, starts with
    "the" and holds no title word ("the Prime Minister David Cameron", "Ambassador to the United
    States Hamdullah Mohib" are persons). Such a name is no
    person a he or she refers to."""
    chain = [span.root]              # the name's head, then the words its phrase hangs on
    while len(chain) < 5 and chain[-1].dep_ in ("compound", "pobj", "prep", "nmod") \
            and chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    if any(t.dep_ == "appos" for t in chain):
        return False                 # "the UN's envoy, Staffan de Mistura": a person's title
    definite = any(c.dep_ == "det" and c.lower_ == "the" for t in chain for c in t.children)
    return definite and not any(is_title(lex, t) for t in span.doc[chain[-1].left_edge.i:span.end])


def _alike(a: str, b: str, likeness: float) -> bool:
    """Two spellings of one name: the same first letter and a difflib ratio of at least `likeness`."""
    if a[:1] != b[:1]:
        return False
    matcher = SequenceMatcher(None, a, b)   # the cheap upper bounds first
    return matcher.real_quick_ratio() >= likeness and matcher.quick_ratio() >= likeness \
        and matcher.ratio() >= likeness


def _merged_spellings(people: list[Person]) -> list[Person]:
    """"Kristin Wilkins" and, later, "Kristen Wilkins": the same surname and a given name spelt
    almost alike are one person, under the spelling met first."""
    kept: list[Person] = []
    for person in people:
        words = person.name.lower().split()
        same = next((p for p in kept if p.kind == PERSON == person.kind and p.last == person.last
                     and len(words) == len(p.name.split()) == 2
                     and _alike(p.name.lower().split()[0], words[0], GIVEN_LIKENESS)), None)
        if same is None:
            kept.append(person)
            continue
        same.positions = sorted(same.positions + person.positions)
        same.subject_positions = sorted(same.subject_positions + person.subject_positions)
        same.title = same.title or person.title
        same.spellings.append(person.name)
    return kept


def _merged_short_names(people: list[Person]) -> list[Person]:
    """"President Obama" and "Barack Obama", "Professor Eastman" and "Cres Eastman" are one
    person: a name that ends a longer one of the same kind gives its mentions (and its title, if
    the longer has none) to the longer, so the roster lists the person once."""
    ending: dict[tuple[str, str], Person] = {}   # (kind, a name's ending after a space): its first holder
    for person in people:
        lowered = person.name.lower()
        for k, char in enumerate(lowered):
            if char == " ":
                ending.setdefault((person.kind, lowered[k + 1:]), person)
    kept = []
    for person in people:
        longer = ending.get((person.kind, person.name.lower()))
        if longer is None:
            kept.append(person)
            continue
        longer.positions = sorted(longer.positions + person.positions)
        longer.subject_positions = sorted(longer.subject_positions + person.subject_positions)
        longer.start = min(longer.start, person.start)
        longer.title = longer.title or person.title
    return kept


class NameIndex:
    """The people (and named organisations) of one article, built once per Doc."""

    def __init__(self, doc: Doc, lex: Lexicon):
        self.doc = doc
        self.lex = lex
        self.people: list[Person] = []
        self._by_last: dict[str, list[Person]] = {}    # surname -> people, for the lookups below
        self._by_given: dict[str, list[Person]] = {}   # given name -> people of two or more words
        by_name: dict[str, Person] = {}
        names = [span for i, j in doc_name_runs(lex, doc) for span in (name_part(lex, doc[i:j]),) if span is not None]
        for span in names:
            i = span.start
            name = span.text
            kind = kind_of_name(lex, span)
            if kind == PERSON and described_as_body(lex, span):
                kind = ORGANIZATION
            if kind == PERSON and in_titled_name(lex, span):
                continue             # "the Budweiser Man of the Match award": no one's name
            title = (clean_title(title_before(lex, doc, i)) or _appositive_title(lex, span)) \
                if kind == PERSON else None
            person = by_name.get(name)
            if person is None:
                if _is_acronym(lex, span):
                    kind = ORGANIZATION   # "KCNA", "NATO": a body "it" can refer to
                elif len([t for t in span if t.text[:1].isupper()]) < 2:
                    known = self.by_surname(name, span.start_char)
                    if known is not None and known.start < span.start_char \
                            and (title is None or self._one_with_surname(known)):
                        known.positions.append(span.start_char)   # "Sanders" after "Bernie Sanders"
                        known.title = known.title or title
                        if is_subject(span):
                            known.subject_positions.append(span.start_char)
                        continue
                    if title is None:
                        continue     # a lone capitalised word: a surname or a place, not a full name
                person = Person(name, span[-1].lower_, span.start_char, title, kind)
                by_name[name] = person
                self._add(person)
            person.positions.append(span.start_char)
            if is_subject(span):
                person.subject_positions.append(span.start_char)
            if title and (person.title is None or (title[:1].isupper() and not person.title[:1].isupper())):
                person.title = title  # prefer the capitalised form, as in a dateline title
        self._reindex(_merged_spellings(_merged_short_names(self.people)))
        for person in self.people:
            person.gender = gender_of(lex, person.name, person.title) if person.kind == PERSON else None
        self._add_surname_nouns()
        self.interviewer: Person | None = None   # the outlet interviewing, found with the interviewee
        self.interviewee = self._interviewee(names)

    def _add(self, person: Person) -> None:
        self.people.append(person)
        self._by_last.setdefault(person.last, []).append(person)
        words = person.name.split()
        if len(words) > 1:
            self._by_given.setdefault(words[0].lower(), []).append(person)

    def _reindex(self, people: list[Person]) -> None:
        self.people, self._by_last, self._by_given = [], {}, {}
        for person in people:
            self._add(person)

    def _add_surname_nouns(self) -> None:
        """A known surname the tagger took for a common noun ("Wilkins said", Wilkins a NOUN) is
        still a mention of that person: a he or she after it may refer to them."""
        by_last = {}
        for person in self.persons():
            by_last.setdefault(person.last, []).append(person)
        if not by_last:
            return
        for i in _positions_of(self.doc, _hashes(frozenset(by_last))):
            token = self.doc[i]
            if token.pos_ == "PROPN" or not token.text[:1].isupper() or is_title(self.lex, token):
                continue
            person = _nearest(by_last[token.lower_], token.idx, after=False)
            if person is None:
                continue
            person.positions = sorted(person.positions + [token.idx])
            if token.dep_ in PERSONAL_SUBJECT_DEPS:
                person.subject_positions = sorted(person.subject_positions + [token.idx])

    def _interviewee(self, names: list[Span]) -> Person | None:
        """The person the article interviews ("Biologist Nick Bos tells Wikinews", "Wikinews
        interviewed Nick Bos", "in an interview with Nick Bos"), the first one named so; None when
        the article names no interview."""
        words = self.lex.words
        if not _positions_of(self.doc, _hashes(words.get("interview_verbs", frozenset())
                                                   | words.get("telling_verbs", frozenset()))):
            return None              # no interview verb, no "tells": no interview
        for span in names:
            if kind_of_name(self.lex, span) != PERSON or _interviewer(self.lex, span.root) \
                    or not _interviewed(self.lex, span):
                continue
            person = self.by_full_name(span.text) or self.by_surname(span.text, span.start_char)
            if person is not None:
                self.interviewer = _outlet_in(self.lex, span.sent)
                return person
        return None

    def by_surname(self, surname: str, near: int) -> Person | None:
        """The person whose last name is `surname`: the latest mentioned before `near`, else the
        first after."""
        lowered = surname.lower()
        matches = [p for p in self._by_last.get(lowered, ()) if p.kind == PERSON and p.name.lower() != lowered]
        return _nearest(matches, near) or self._misspelt_surname(lowered, near) or self._by_given_name(lowered, near)

    def _by_given_name(self, given: str, near: int) -> Person | None:
        """The one person named before `near` with this given name ("Thomas" after "Thomas Sam");
        None when two people share it."""
        named = [p for p in self._by_given.get(given, ()) if p.kind == PERSON and p.start < near]
        return named[0] if len(named) == 1 else None

    def _one_with_surname(self, person: Person) -> bool:
        """Whether no other person of the article has this person's surname (a titled "Senator
        Cruz" is not given to one of two Cruzes by nearness alone)."""
        return sum(p.kind == PERSON for p in self._by_last.get(person.last, ())) == 1

    def _misspelt_surname(self, surname: str, near: int) -> Person | None:
        """The one person named before `near` whose surname this is, misspelt ("Ms Bauchtman" after
        "Lydia Buchtmann", "Water" after "Kathryn Waters"); None when no or several surnames are
        that close."""
        if len(surname) < MIN_MISSPELT:
            return None
        lasts = [last for last in self._by_last if _alike(last, surname, SURNAME_LIKENESS)]
        close = [p for last in lasts for p in self._by_last[last]
                 if p.kind == PERSON and p.start < near and len(p.name.split()) > 1]
        return close[0] if len({p.last for p in close}) == 1 else None

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
            if person.name == name or name in person.spellings:
                return person
        return None

    def organization_with_word(self, word: str, near: int) -> Person | None:
        """The organisation named last before `near` whose name has this word and more ("the
        Church" -> Church of Scientology); None when there is none."""
        bodies = [p for p in self.people if p.kind == ORGANIZATION and len(p.name.split()) > 1
                  and word in p.name.lower().split() and p.start < near]
        return _nearest(bodies, near, after=False)

    def document_before(self, near: int) -> Person | None:
        """The study or report named last before `near` ("the report" after "the Australian National
        Iodine Nutrition Study ... revealed"); None when the text names none."""
        named = [p for p in self.people if p.kind == ORGANIZATION and len(p.name.split()) >= MIN_DOCUMENT_WORDS
                 and is_document_word(self.lex, p.last)]
        return _nearest(named, near, after=False)

    def settlement_before(self, near: int) -> str | None:
        """The place of the body named last before `near` that governs one ("Livorno" of "the
        Municipality of Livorno", for "the city"); None when there is none."""
        settlements = self.lex.kind_words("settlement")
        bodies = [p for p in self.people if p.kind == ORGANIZATION and p.name.split()[0].lower() in settlements
                  and p.name.split()[1:2] == ["of"] and len(p.name.split()) > 2]
        body = _nearest(bodies, near, after=False)
        return body.name.split(" of ", 1)[1] if body is not None else None

    def organization_before(self, near: int, skip: Sequence[tuple[int, int]] = ()) -> Person | None:
        """The organisation named last before `near` and at most PRONOUN_WINDOW chars back, for
        "it said" ("the Syrian National Coalition ... It said")."""
        body = _nearest([p for p in self.people if p.kind == ORGANIZATION], near, after=False, skip=skip)
        if body is None or near - max(x for x in body.positions if x < near) > PRONOUN_WINDOW:
            return None
        return body

    def persons(self, gender: str | None = None) -> list[Person]:
        """The article's people; with a gender (a she or he to resolve), those who may have it."""
        return [p for p in self.people if p.kind == PERSON and (gender is None or p.gender in (None, gender))]

    def subject_before(self, mention: Span, skip: Sequence[tuple[int, int]] = (),
                       gender: str | None = None) -> Person | None:
        """The person a he or she most likely refers to by salience: the latest person subject
        before the mention in its sentence, else the first person subject of the sentences before
        (up to SUBJECT_SENTENCES back; a name merely mentioned nearer, as an object or inside a
        title, comes second). Subjects inside the `skip` ranges (quotations) do not count, nor
        people of the other gender."""
        people = self.persons(gender)

        def subjects(start: int, end: int) -> list[tuple[int, Person]]:
            return [(x, p) for p in people for x in p.subject_positions
                    if start <= x < end and not any(a <= x < b for a, b in skip)]
        sentence = mention.sent
        same = subjects(sentence.start_char, mention.start_char)
        if same:
            return max(same, key=lambda item: item[0])[1]
        for _ in range(SUBJECT_SENTENCES):
            if sentence.start == 0:
                return None
            sentence = self.doc[sentence.start - 1].sent
            earlier = subjects(sentence.start_char, sentence.end_char)
            if earlier:
                return min(earlier, key=lambda item: item[0])[1]
        return None

    def only_fitting_person_near(self, mention: Span, title_words: set[str]) -> Person | None:
        """The one person named in the mention's sentence before it or in the SUBJECT_SENTENCES
        before whose title does not contradict the mention's ("the minister" is not "Secretary of
        State John Kerry", and may be the untitled Lavrov named beside him); None when no person
        or several fit: a wrong name is worse than none."""
        sentence = mention.sent
        for _ in range(SUBJECT_SENTENCES):
            if sentence.start > 0:
                sentence = self.doc[sentence.start - 1].sent
        near = [p for p in self.people if p.kind == PERSON
                and any(sentence.start_char <= x < mention.start_char for x in p.positions)]
        near += self._lone_names(self.doc[sentence.start:mention.start], near)
        fitting = [p for p in near if p.title is None or title_words & {w.lower() for w in p.title.split()}]
        return fitting[0] if len(fitting) == 1 else None

    def _lone_names(self, tokens: Span, known: list[Person]) -> list[Person]:
        """One-word names in `tokens` that take part in their clause (subject, object) and are no
        place, body, day or known person's surname: "Lavrov" in "Kerry met Lavrov"."""
        found = []
        for i, j in name_runs(self.lex, tokens):
            span = tokens[i:j]
            word = span.text.lower()
            if len(span) != 1 or span.root.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj") \
                    or kind_of_name(self.lex, span) != PERSON or is_title(self.lex, span.root) \
                    or word in self.lex.kind_words("place") or word in self.lex.kind_words("calendar") \
                    or self.lex.known_agency(span.text) is not None \
                    or any(p.last == word for p in known + found):
                continue
            found.append(Person(span.text, word, span.start_char, None, PERSON, [span.start_char]))
        return found

    def person_before(self, near: int, skip: Sequence[tuple[int, int]] = (),
                      gender: str | None = None) -> Person | None:
        """The person (of that gender, if given) named last before `near`, not counting mentions
        inside the `skip` ranges (quotations: in "…with de Mistura," he said, "he" is not de Mistura)."""
        return _nearest(self.persons(gender), near, after=False, skip=skip)


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
