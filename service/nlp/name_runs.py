"""Proper-name runs and what they are, from the parse alone (no NER): the capitalised runs of an
article or mention (PROPN tokens, title words, particles: "Russian Deputy Foreign Minister
Mikhail Bogdanov", "Staffan de Mistura", "Church of Scientology"), the title written before or in
apposition to a name, the name inside a run, its kind (person or organisation, by head words from
data/speaker_kinds.txt) and a person's gender (data/given_names.txt). roster.py builds an
article's people from them; names.py reads mentions with them."""
from __future__ import annotations

import re

import numpy
from spacy.attrs import IS_UPPER, LOWER, POS
from spacy.parts_of_speech import PROPN
from spacy.tokens import Doc, Span, Token

from .lexicon import Lexicon
from .tree import is_opened_day, positions_of, word_hashes
from .vocab import SENTENCE_END_MARKS

PERSON, ORGANIZATION, GROUP, ANONYMOUS = "person", "organization", "group", "anonymous"
FEMALE, MALE = "female", "male"
PRONOUN_GENDER = {"she": FEMALE, "her": FEMALE, "he": MALE, "him": MALE}
MAX_APPOSITIVE_TITLE = 6   # words: a longer description is no title
MAX_WORD_LENGTH = 40       # characters: the word before a name is read from this far back


def gender_of(lex: Lexicon, name: str, title: str | None = None) -> str | None:
    """A person's gender as the text gives it: a title or apposition word ("Ms", "sister") first,
    else the given name ("Kristin", "Andy"); None when neither tells."""
    words = lex.given_names
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
    can_start = (columns[:, 0] == PROPN) | (columns[:, 1] == 1) | _member(columns[:, 2], lex.title_hashes)
    return _runs_from(lex, doc, numpy.flatnonzero(can_start).tolist())


def _member(values: numpy.ndarray, hashes: numpy.ndarray) -> numpy.ndarray:
    """values[k] in hashes (sorted), for each k: a binary search, cheaper than numpy.isin on short arrays."""
    if len(hashes) == 0:
        return numpy.zeros(len(values), dtype=bool)
    at = numpy.minimum(hashes.searchsorted(values), len(hashes) - 1)
    return hashes[at] == values


def _through_of(lex: Lexicon, words, j: int) -> int:
    """The end of a run that names a body "of" a thing: "Church of Scientology", "Department of
    Agriculture" are one name (the run before "of" ends in an organisation word)."""
    n = len(words)
    while j + 1 < n and words[j].lower_ == "of" and words[j - 1].lower_ in lex.kind_words("organization") \
            and words[j + 1].text[:1].isupper() and _is_name_token(lex, words[j + 1]):
        j = _run_end(lex, words, j + 2)
    return j


def _run_end(lex: Lexicon, words, j: int) -> int:
    """The end of a run going on at j: name tokens, or words joined to the one before."""
    while j < len(words) and (_is_name_token(lex, words[j]) or _joined(words[j - 1], words[j])):
        j += 1
    return j


def _runs_from(lex: Lexicon, words, starts) -> list[tuple[int, int]]:
    """The runs of `words` (Tokens, indexable) that start at one of `starts` (ascending)."""
    leading, particles = lex.words["leading_words"], lex.words["name_particles"]
    runs, after = [], 0
    for i in starts:
        if i < after:
            continue                 # inside the run found last
        first = words[i]
        if not first.text[:1].isupper() or not _is_name_token(lex, first) or first.lower_ in leading \
                or is_opened_day(words, i):
            continue
        j = _run_end(lex, words, i + 1)
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


def appositive_title(lex: Lexicon, name: Span) -> str | None:
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


def is_post_nominal(lex: Lexicon, token: Token) -> bool:
    """Letters after a name: "SC", "QC", "Jr."."""
    return token.text[:1].isupper() and token.lower_.rstrip(".") in lex.words.get("post_nominals", ())


def name_part(lex: Lexicon, run: Span) -> Span | None:
    """The name in a run: all of an organisation's run ("Syrian National Coalition"), a person's
    words after the last title word ("Deputy Foreign Minister Mikhail Bogdanov" -> "Mikhail
    Bogdanov"); None when the run is a title only ("Foreign Minister")."""
    if len(run) == 1:                # most runs: "Moscow", "Lavrov"
        return None if is_title(lex, run[0]) else run
    calendar = lex.kind_words("calendar")
    while len(run) > 2 and run[-1].lower_ in calendar:
        run = run[:-1]               # "the United States Tuesday": a date after the name
    while len(run) > 1 and is_post_nominal(lex, run[-1]):
        run = run[:-1]               # "Tom Molomby SC": letters after the name
    last_title = max((k for k, t in enumerate(run) if is_title(lex, t)), default=-1)
    rest = run[last_title + 1:]
    if kind_of_name(lex, run) == ORGANIZATION and not _person_after_title(lex, run, rest):
        return _person_after_body(lex, run) or run
    if len(rest) >= 4 and rest.start > 0 and rest.doc[rest.start - 1].lower_ == "the":
        rest = rest[len(rest) - 2:]  # "Ambassador to the United States Hamdullah Mohib"
    while len(rest) >= 3 and rest[0].lower_ in lex.kind_words("place") and rest[1].text[:1].isupper():
        rest = rest[1:]              # "Governor of Washington Chris Gregoire": the place is no name
    while len(rest) and (rest[0].text == "-" or rest[0].lower_ in lex.words["name_particles"]):
        rest = rest[1:]
    if len(rest) >= 4 and _is_given_name(lex, rest[-2]) and not _is_given_name(lex, rest[-3]) \
            and kind_of_name(lex, rest[-2:]) == PERSON:
        rest = rest[-2:]             # "... Islamic Relations Alia Salem": a body's name, then a person's
    rest = rest[_epithet_length(lex, rest):]
    return rest if len(rest) else None


def _epithet_length(lex: Lexicon, name: Span) -> int:
    """How many words of a person's run are an epithet before the given name ("Crooked Hillary
    Clinton", "Air Hillary Clinton", "Dismissed Bernie Sanders" in a headline): words that are
    no given name, before a given name and one more capitalised word, when the article also names
    the person without them. 0 otherwise: "Cornell William Brooks" is one name, "Cornell" no
    listed given name."""
    given = next((k for k, t in enumerate(name) if _is_given_name(lex, t)), 0)
    if given == 0 or len(name) - given < 2 or not all(t.is_alpha and t.text[:1].isupper() for t in name[given:]):
        return 0
    return given if _written_alone(name.doc.text, name[given:].text) else 0


def _written_alone(text: str, name: str) -> bool:
    """Whether the text writes this name somewhere with no capitalised word right before it
    ("Norbert Leo Butz" does not write "Leo Butz" alone)."""
    for found in re.finditer(re.escape(name), text):
        before = text[max(0, found.start() - MAX_WORD_LENGTH):found.start()].split()[-1:] or [""]
        if not before[0][:1].isupper() or before[0][-1:] in SENTENCE_END_MARKS:
            return True
    return False


def _person_after_body(lex: Lexicon, run: Span) -> Span | None:
    """"A nurse at Riverside Hospital Tomas Ferreira", "Psychology major at University of Texas
    Arlington Amneh Jafari": a body's name and, with no comma between, a person's name of two or
    more words after its last body word (and that word's "of" phrase). Taken for a person's when a
    common noun describes someone there ("nurse at", "student of") or the name has a known given
    name; leading words that are no known given name are left to the body while two words remain
    ("Arlington"). None when nothing follows the body's name or it is no person's."""
    bodies = lex.kind_words("organization")
    if run[-1].lower_ in bodies:
        return None                  # most bodies: the name ends in its body word
    k = max((k for k, t in enumerate(run) if t.lower_ in bodies), default=-1)
    if k < 0:
        return None
    k += 3 if run[k + 1:k + 2].text == "of" else 1
    person = run[k:]
    if len(person) < 2 or any(t.pos_ != "PROPN" or not t.text[:1].isupper() for t in person) \
            or kind_of_name(lex, person) != PERSON or any(t.lower_ in lex.kind_words("place") for t in person):
        return None
    if not (_described_person(run) or any(_is_given_name(lex, t) for t in person[:-1])) \
            or not _surname_used_alone(person):
        return None
    while len(person) > 2 and not _is_given_name(lex, person[0]):
        person = person[1:]
    return person


def _surname_used_alone(name: Span) -> bool:
    """The name's last word comes back on its own elsewhere in the article ("Jafari said"), as a
    person's surname does and the last word of a body's name ("Bank of America Merrill Lynch",
    then "Merrill Lynch") mostly does not."""
    doc, surname, given = name.doc, name[-1], name[-2]
    return any(doc[i].text == surname.text and not name.start <= i < name.end and doc[i - 1].text != given.text
               for i in positions_of(doc, word_hashes([surname.lower_])) if i > 0)


def _described_person(run: Span) -> bool:
    """The run is the object of a preposition on a common noun ("a nurse at ...", "student of ...")."""
    return any(t.dep_ == "pobj" and t.head.lower_ in ("at", "from", "for", "with", "of")
               and t.head.head.pos_ == "NOUN" for t in run if not run.start <= t.head.i < run.end)


def _is_given_name(lex: Lexicon, token: Token) -> bool:
    return token.lower_ in lex.given_names[FEMALE] or token.lower_ in lex.given_names[MALE]


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


def is_acronym(lex: Lexicon, span: Span) -> bool:
    """A lone all-capitals word of 2-6 letters that is no post-nominal ("KCNA", not "SC")."""
    word = span.text.replace(".", "")
    return len(span) == 1 and word.isalpha() and word.isupper() and 2 <= len(word) <= 6 \
        and word.lower() not in lex.words.get("post_nominals", ())


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
