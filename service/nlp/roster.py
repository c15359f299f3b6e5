"""The roster of an article: the people and named organisations it names, from the parse alone
(no NER), and the lookups that resolve a mention to one of them (by surname, full name, title,
salience, gender). The names, titles and kinds come from name_runs.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Sequence

from spacy.tokens import Doc, Span

from .interviews import interviewed_names, outlet_in
from .lexicon import Lexicon
from .quotemarks import headline
from .name_runs import (ORGANIZATION, PERSON, appositive_title, clean_title, described_as_body, doc_name_runs,
                        gender_of, in_titled_name, is_acronym, is_document_word, is_title,
                        kind_of_name, name_part, name_runs, title_before)
from .tree import positions_of, word_hashes
from .vocab import PERSONAL_SUBJECT_DEPS

PRONOUN_WINDOW = 200   # chars back to a named person that "he"/"she" most likely refers to
SUBJECT_SENTENCES = 2      # sentences back to a subject that "he"/"she" refers to
MIN_DOCUMENT_WORDS = 3     # a study's title ("American Community Survey"), not a headline's "New Poll"
MIN_MISSPELT = 5           # letters: a shorter surname is never taken for another one misspelt
SURNAME_LIKENESS = 0.88    # difflib ratio of a misspelt surname to the right one ("Bauchtman", "Buchtmann")
GIVEN_LIKENESS = 0.85      # ... of a misspelt given name, the surname the same ("Kristen", "Kristin")

INITIAL_SKIPPED = frozenset({"of", "the", "and", "for", "on", "in", "to", "at", "&"})   # no letter in an acronym


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


def is_subject(span: Span) -> bool:
    """A name that is its clause's subject, or in apposition to it ("The president, Barack Obama,
    said"), or whose view a sentence opens with ("For Kevin Allton, a USI instructor, Warhol was a
    legend"): the most salient antecedent of a he or she after it."""
    root = span.root
    return root.dep_ in PERSONAL_SUBJECT_DEPS or (root.dep_ == "appos" and root.head.dep_ in PERSONAL_SUBJECT_DEPS) \
        or _opens_with_view_of(span)


def _opens_with_view_of(span: Span) -> bool:
    """The name is the object of a "For" that starts its sentence, set off by a comma."""
    root = span.root
    preposition = root.head
    return root.dep_ == "pobj" and preposition.lower_ == "for" and preposition.is_sent_start \
        and any(t.text == "," for t in span.doc[span.end:min(len(span.doc), span.end + 12)])


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


def _merged_middle_names(people: list[Person]) -> list[Person]:
    """"Loretta E. Lynch" and "Loretta Lynch", "Hillary Rodham Clinton" and "Hillary Clinton": a
    person's name that is another's without its middle words is the same person, under the
    fuller name."""
    kept: list[Person] = []
    for person in people:
        words = person.name.split()
        fuller = max((p for p in people if p.kind == PERSON == person.kind and len(words) >= 2
                      and _within(words, p.name.split())), key=lambda p: len(p.name.split()), default=None)
        if fuller is None:
            kept.append(person)
        else:
            _absorb(fuller, person)
    return kept


def _within(words: list[str], longer: list[str]) -> bool:
    """Whether `longer` is `words` with more words between its first and its last."""
    if len(longer) <= len(words) or words[0] != longer[0] or words[-1] != longer[-1]:
        return False
    rest = iter(longer[1:-1])
    return all(word in rest for word in words[1:-1])


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
        else:
            _absorb(longer, person)
    return kept


def _absorb(person: Person, other: Person) -> None:
    """Make `other`'s mentions (and its title, if `person` has none) `person`'s: one person."""
    person.positions = sorted(person.positions + other.positions)
    person.subject_positions = sorted(person.subject_positions + other.subject_positions)
    person.start = min(person.start, other.start)
    person.title = person.title or other.title


class NameIndex:
    """The people (and named organisations) of one article, built once per Doc."""

    def __init__(self, doc: Doc, lex: Lexicon):
        self.doc = doc
        self.lex = lex
        self.headline = headline(doc.text)             # the first line's extent, or None
        self.people: list[Person] = []
        self._by_last: dict[str, list[Person]] = {}    # surname -> people, for the lookups below
        self._by_given: dict[str, list[Person]] = {}   # given name -> people of two or more words
        self._short_names: dict[str, Person] = {}      # "WHO" -> the World Health Organisation
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
            title = (clean_title(title_before(lex, doc, i)) or appositive_title(lex, span)) \
                if kind == PERSON else None
            person = by_name.get(name)
            if person is None:
                if is_acronym(lex, span):
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
        self._reindex(_merged_spellings(_merged_middle_names(_merged_short_names(self.people))))
        for person in self.people:
            person.gender = gender_of(lex, person.name, person.title) if person.kind == PERSON else None
        self._add_surname_nouns()
        self._add_bracketed_acronyms(names)
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
        surnames = [last for last, people in self._by_last.items() if any(p.kind == PERSON for p in people)]
        if not surnames:
            return
        for i in positions_of(self.doc, word_hashes(surnames)):
            token = self.doc[i]
            if token.pos_ == "PROPN" or not token.text[:1].isupper() or is_title(self.lex, token):
                continue
            person = _nearest([p for p in self._by_last[token.lower_] if p.kind == PERSON], token.idx, after=False)
            if person is None:
                continue
            person.positions = sorted(person.positions + [token.idx])
            if token.dep_ in PERSONAL_SUBJECT_DEPS:
                person.subject_positions = sorted(person.subject_positions + [token.idx])

    def _add_bracketed_acronyms(self, names: list[Span]) -> None:
        """"The World Health Organisation (WHO)": capitals in brackets right after a body's name,
        its initials, are the body's short name; the short name's mentions are the body's."""
        doc = self.doc
        for span in names:
            i = span.end
            if len(span) < 2 or i + 2 >= len(doc) or doc[i].text != "(" or doc[i + 2].text != ")":
                continue
            short = doc[i + 1].text
            body = self.by_full_name(span.text)
            if not (short.isalpha() and short.isupper()) or short.lower() != _initials(span) \
                    or body is None or body.kind != ORGANIZATION:
                continue
            self._short_names[short] = body
            known = next((p for p in self.people if p.name == short), None)
            if known is not None:        # "KCNA", a name of its own so far
                self._reindex([p for p in self.people if p is not known])
            written = [doc[k].idx for k in positions_of(doc, word_hashes([short.lower()])) if doc[k].text == short]
            body.positions = sorted(set(body.positions) | set(written))

    def short_name(self, word: str) -> Person | None:
        """The body a short name the article gives in brackets stands for, or None."""
        return self._short_names.get(word)

    def _interviewee(self, names: list[Span]) -> Person | None:
        """The person the article interviews, the first one named so (interviews.py), and the
        outlet asking (self.interviewer); None when the article names no interview."""
        for span in interviewed_names(self.lex, self.doc, names):
            person = self.by_full_name(span.text) or self.by_surname(span.text, span.start_char)
            if person is not None:
                outlet = outlet_in(self.lex, span.sent)
                self.interviewer = Person(self.lex.outlet_name(outlet.text), outlet.lower_, outlet.idx, None,
                                          ORGANIZATION) if outlet is not None else None
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
        if name in self._short_names:
            return self._short_names[name]
        lowered = name.lower()
        longer = [p for p in self.people if p.name.lower().endswith(" " + lowered)]
        if longer:
            return min(longer, key=lambda p: p.start)   # of several, the one named first
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


def _initials(span: Span) -> str:
    """"who" of World Health Organisation, "afp" of Agence France-Presse: the first letters of
    its words but "of", "the", "and" and the like, lower case."""
    return "".join(t.lower_[0] for t in span if t.is_alpha and t.lower_ not in INITIAL_SKIPPED)


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
