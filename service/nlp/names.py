"""The names stage: from a speaker mention as written to a canonical records.Speaker.

"Bogdanov", "he", "the minister", "Russia's deputy foreign minister" all become "Mikhail Bogdanov"
when the article names him (roster.py lists the article's people). Works from the parse alone.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from spacy.tokens import Doc, Span, Token

from . import tree
from .tree import isolated
from .attach import Draft
from .frame_parts import content_pieces
from .lexicon import Lexicon
from .records import Speaker
from .mentions import clean_mention
from .name_runs import (ANONYMOUS, GROUP, ORGANIZATION, PERSON, PRONOUN_GENDER, clean_title, described_as_body,
                        gender_of, is_document_word, is_title, kind_of_name, name_part, name_runs, names_document,
                        title_before)
from .roster import PRONOUN_WINDOW, NameIndex
from .vocab import (BARE_DROP_DEPS, DEFINITE, DETERMINERS, GROUP_PRONOUNS, NOUN_HEAD_POS, ORG_PRONOUNS,
                    PERSON_PRONOUNS, POSSESSIVE_SUBJECTS, PRINCIPAL_PREPS, RELATIVE_SUBJECTS)


FIRST_PERSON = frozenset({"i", "me"})
OPENING_MARKS = ('"', "“", "‘", "«")
BODY_WINDOW = 400   # chars from a body's mention to a they that still means it


def resolve_speakers(drafts: list[Draft], doc: Doc, lex: Lexicon) -> NameIndex:
    """Each draft's speaker, in document order (a pronoun refers back to the speakers before it);
    the article's roster is returned for the stages after (transcripts.py)."""
    index = NameIndex(doc, lex)
    previous_person: Speaker | None = None
    quoted = [(draft.start, draft.end) for draft in drafts]   # what is said, direct or not
    previous: Speaker | None = None
    for draft in sorted(drafts, key=lambda d: d.start):
        if draft.continues is not None:  # resolved before: it comes earlier in the text
            draft.speaker = draft.continues.speaker
        elif draft.frame is not None and draft.frame.source is not None:
            draft.speaker = _they_as_before(isolated(_speaker_of, None, index, draft, previous_person, quoted),
                                            previous)
        if draft.speaker is not None and draft.speaker.kind == PERSON:
            previous_person = draft.speaker
        previous = draft.speaker or previous
    return index


def _they_as_before(speaker: Speaker | None, previous: Speaker | None) -> Speaker | None:
    """"The Church denied the claims ... They also said": a they or we that follows a named body
    or group speaking just before is that body or group (a person speaking in between breaks it)."""
    if speaker is None or previous is None or _as_subject(speaker.text.lower()) not in ("they", "we") \
            or speaker.name != speaker.text or previous.kind not in (ORGANIZATION, GROUP) \
            or previous.name.lower() in GROUP_PRONOUNS or not 0 < speaker.start - previous.end <= BODY_WINDOW:
        return speaker
    return replace(speaker, name=previous.name, kind=previous.kind)


def _speaker_of(index: NameIndex, draft: Draft, previous: Speaker | None, quoted) -> Speaker | None:
    mention = clean_mention(index.lex, draft.frame.source)
    if _misplaced(mention, draft):
        return None
    return _resolve_clean(index, mention, previous, quoted)


def _misplaced(mention: Span, draft: Draft) -> bool:
    """A (clean) speaker mention inside the words it would have said (its content clause or a
    quoted piece) is a misparse that took part of the quote for its speaker ("what", "his returns
    even if they"). A lone name or personal pronoun there is kept: "says he will ..." is mostly
    the speaker's own "he"."""
    if len(mention) == 1 and (mention[0].pos_ == "PROPN" or mention[0].lower_ in PERSON_PRONOUNS):
        return False
    regions = [(q.start, q.end) for q in draft.pieces] + content_pieces(draft.frame)
    return any(mention.start_char < end and start < mention.end_char for start, end in regions)


def _speaker(mention: Span, name: str, kind: str, title: str | None) -> Speaker:
    return Speaker(name=name, text=mention.text, start=mention.start_char, end=mention.end_char,
                   kind=kind, title=title)


def resolve(index: NameIndex, mention: Span, previous: Speaker | None = None,
            quoted: Sequence[tuple[int, int]] = (), follow_relative: bool = True) -> Speaker:
    """The canonical speaker for a mention as written. `previous` is the latest person speaker
    before this mention (pronouns refer to it first); `quoted` are the article's quotations as
    char ranges (a person named only inside one is talked about: no antecedent of "he said")."""
    return _resolve_clean(index, clean_mention(index.lex, mention), previous, quoted, follow_relative)


def _resolve_clean(index: NameIndex, mention: Span, previous: Speaker | None,
                   quoted: Sequence[tuple[int, int]], follow_relative: bool = True) -> Speaker:
    """resolve, for a mention already through clean_mention."""
    antecedent = _antecedent(mention) if follow_relative else None
    if antecedent is not None:   # "Putin, who said": the mention "who", the name Putin's
        # one step only: a misparse can make "who" point back into its own phrase
        found = resolve(index, antecedent, previous, quoted, follow_relative=False)
        return replace(found, text=mention.text, start=mention.start_char, end=mention.end_char)
    head, others = _coordination(mention)
    if others and not _one_person_described(index.lex, [head] + others):
        return _joint_speaker(index, head, others, previous, quoted)
    return _single_speaker(index, mention, previous, quoted)


def _one_person_described(lex: Lexicon, conjuncts: list[Span]) -> bool:
    """"American academic and professor Marc Lamont Hill", "writer and director Anna Berg": bare
    singular descriptions (no determiner, no name) coordinated with a person's name are that
    person's, not several speakers ("the mayor and Anna Berg", "police and Anna Berg" are)."""
    *descriptions, named = conjuncts
    runs = name_runs(lex, named)
    if not runs or runs[-1][1] != len(named):
        return False
    name = name_part(lex, named[runs[-1][0]:])
    return name is not None and kind_of_name(lex, name) == PERSON and all(
        d.root.tag_ in ("NN", "JJ") and not any(t.pos_ in ("DET", "PRON", "PROPN", "NUM") or t.tag_ == "POS" for t in d)
        and d.root.lower_ not in lex.kind_words("group") and d.root.lower_ not in lex.kind_words("organization")
        for d in descriptions)


def _single_speaker(index: NameIndex, mention: Span, previous: Speaker | None,
                    quoted: Sequence[tuple[int, int]]) -> Speaker:
    words = {t.lower_ for t in mention}
    head = mention.root
    pronoun = _as_subject(head.lower_) if len(mention) == 1 else None
    if pronoun in PERSON_PRONOUNS:
        return _pronoun_speaker(index, mention, previous, quoted)
    if pronoun in ORG_PRONOUNS:
        body = index.organization_before(mention.start_char, quoted)
        name = body.name if body is not None else mention.text
        return _speaker(mention, name, ORGANIZATION, None)
    if pronoun in GROUP_PRONOUNS:
        return _speaker(mention, mention.text, GROUP, None)
    body = index.short_name(mention[-1].text) if all(t.pos_ == "DET" for t in mention[:-1]) else None
    if body is not None:             # "(the) WHO", after "the World Health Organisation (WHO)"
        return _speaker(mention, body.name, ORGANIZATION, None)
    runs = name_runs(index.lex, mention)
    run = _run_at_head(runs, mention)
    name_span = name_part(index.lex, mention[run[0]:run[1]]) if run is not None else None
    if name_span is None:            # the head is a title ("Governor of Washington Chris Gregoire")
        name_span = _final_name(index.lex, runs, mention)
    if name_span is not None:
        return _named_speaker(index, mention, name_span)
    beside = _name_beside_title(index.lex, runs, mention)
    if beside is not None:           # "Malaysia's Prime Minister, Najib Razak said"
        return _named_speaker(index, *beside)
    if head.text[:1].isupper():
        person = index.by_surname(head.text, mention.start_char)
        if person is not None:   # "Sanders" tagged a plural noun is still Bernie Sanders
            return _speaker(mention, person.name, person.kind, person.title)
    person = _headline_person(index, mention, head)
    if person is not None:
        return _speaker(mention, person.name, PERSON, person.title)
    return _nominal_speaker(index, mention, words, head)


def _headline_person(index: NameIndex, mention: Span, head: Token):
    """A description in the headline stands for someone the body names ("Australian woman claims
    ..." before "Valeska Paris, 32, said"; "Retired General Reveals ..."): the first person after
    the headline whose title holds the head word, else, for a word of a gender ("woman", "father"),
    the first person after it of no other gender. None outside a headline or for other words."""
    if index.headline is None or mention.start_char > index.headline[1]:
        return None

    def first_after(people):
        return min((p for p in people if p.start > index.headline[1]), key=lambda p: p.start, default=None)
    word = head.lower_
    titled = first_after(p for p in index.persons() if p.title and word in p.title.lower().split())
    gender = gender_of(index.lex, "", word)
    return titled or (first_after(index.persons(gender)) if gender else None)


def _name_beside_title(lex: Lexicon, own: list[tuple[int, int]], mention: Span) -> tuple[Span, Span] | None:
    """A title mention with a person's name right after it, or after a comma ("curator Elaine
    Gustafon", "Malaysia's Prime Minister, Najib Razak"): the name is taken over the title, and
    (the mention with the name, the name) returned; None when no name follows. `own`: the
    mention's name runs."""
    if not is_title(lex, mention.root):
        return None
    doc = mention.doc
    k = mention.end + (1 if mention.end < len(doc) and doc[mention.end].text == "," else 0)
    first = k
    if k == mention.end:             # a name run the mention cut is read whole ("major at University of Texas
        # | Arlington Amneh Jafari")
        first = mention.start + own[-1][0] if own and own[-1][1] == len(mention) else k
    runs = name_runs(lex, doc[first:min(len(doc), k + 6)])
    if not runs or runs[0][0] != 0:
        return None
    name = name_part(lex, doc[first:first + runs[0][1]])
    if name is None or len(name) < 2 or name.start < k or kind_of_name(lex, name) != PERSON:
        return None                  # a lone capitalised word after a title is no sure name
    return doc[mention.start:name.end], name


def _bare_phrase(noun: Token, bounds: Span) -> Span:
    """noun's phrase without relative clauses, appositives and conjuncts, inside bounds."""
    return tree.bare_phrase(noun, BARE_DROP_DEPS, bounds)


def _coordination(mention: Span) -> tuple[Span, list[Span]]:
    """A coordinated mention's first conjunct and the others ("Russia, which backs Assad, and
    the United States" -> "Russia", ["the United States"]); (mention, []) when not coordinated."""
    root = mention.root
    others = [c for c in root.conjuncts if mention.start <= c.i < mention.end
              and c.i > root.i and c.pos_ in NOUN_HEAD_POS]
    if not others or root.pos_ not in NOUN_HEAD_POS:
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


def _run_at_head(runs: list[tuple[int, int]], mention: Span) -> tuple[int, int] | None:
    """The name run holding the mention's head ("Bogdanov" in "minister Mikhail Bogdanov")."""
    head_i = mention.root.i - mention.start
    for i, j in runs:
        if i <= head_i < j:
            return i, j
    return None


def _final_name(lex: Lexicon, runs: list[tuple[int, int]], mention: Span) -> Span | None:
    """A person's full name that ends the mention when the parse put its head elsewhere
    ("Microsoft co-founder Paul Allen", head "co"): the name is taken over the words before it."""
    if not runs or runs[-1][1] != len(mention) or runs[-1][1] - runs[-1][0] < 2:
        return None
    i, j = runs[-1]
    name = mention[i:j]              # or a study's title: "Data from the American Community Survey"
    if _principal(lex, name, mention):
        return None                  # "a lawyer for Tom Hale" is not Tom Hale
    person = name_part(lex, name)    # or "a nurse at Riverside Hospital Tomas Ferreira"
    if kind_of_name(lex, name) == PERSON or names_document(lex, name):
        return person
    return person if person is not None and kind_of_name(lex, person) == PERSON else None


def _principal(lex: Lexicon, name: Span, mention: Span) -> bool:
    """Whether the name is someone else than the speaker the mention's head describes: the one it
    works for ("a spokesman for Governor Ana Ruiz", "an aide to Senator Jane Doe") or belongs to
    ("the wife of John Smith", "supporters of Hillary Clinton"). A title, document or recording
    of a person is that person ("the governor of Texas Greg Abbott", "a clip of Gov. Maggie
    Hassan", "a statement of Senator Doe")."""
    prep, head = name.root.head, mention.root
    if name.root.dep_ != "pobj" or prep.head.i != head.i or head.pos_ != "NOUN":
        return False
    if prep.lower_ in PRINCIPAL_PREPS:
        return True
    return prep.lower_ == "of" and not (is_title(lex, head) or is_document_word(lex, head.lower_)
                                        or lex.listed("recording_nouns", head.lower_))


def _named_speaker(index: NameIndex, mention: Span, name_span: Span) -> Speaker:
    name = name_span.text
    written = title_before(index.lex, mention.doc, name_span.start)
    title = clean_title(written) if written is not None and written.start >= mention.start else None
    person = index.by_full_name(name)
    if person is None and len(name_span) == 1:
        person = index.by_surname(name, mention.start_char)
    if person is not None:
        return _speaker(mention, person.name, person.kind, person.title or title)
    body = index.organization_with_word(name.lower(), mention.start_char) \
        if len(name_span) == 1 and mention[0].lower_ == "the" else None
    if body is not None:             # "the Church" after "the Church of Scientology"
        return _speaker(mention, body.name, ORGANIZATION, None)
    kind = kind_of_name(index.lex, name_span)
    if kind == PERSON and title is None and described_as_body(index.lex, name_span):
        kind = ORGANIZATION          # "the Internet security firm Secunia.com"
    if kind == PERSON and title is None and len(name_span) == 1 and _names_a_body(index.lex, name):
        kind = ORGANIZATION          # a lone place, institution or agency: "Moscow", "Interfax"
    if kind == PERSON and title is None and len(name_span) == 1 \
            and name.lower() in index.lex.kind_words("group"):
        kind = GROUP                 # "Democrats", "Iranians"
    return _speaker(mention, name, kind, title)


def _names_a_body(lex: Lexicon, name: str) -> bool:
    """A lone proper name that is a known place, institution or agency, not a person's surname."""
    return name.lower() in lex.kind_words("place") or lex.known_agency(name) is not None


def _pronoun_speaker(index: NameIndex, mention: Span, previous: Speaker | None,
                     quoted: Sequence[tuple[int, int]] = ()) -> Speaker:
    """he/she/I: the person who is the subject just before (same or previous sentence), else the
    person named last in the text just before, else the previous person speaker, else the last
    person named anywhere before; "she" never one known to be a man, "he" never a woman."""
    pronoun = _as_subject(mention.root.lower_)
    if pronoun in FIRST_PERSON and index.interviewee is not None:
        interviewee = index.interviewee   # an answer in an interview: "I think ..."
        return _speaker(mention, interviewee.name, PERSON, interviewee.title)
    if pronoun in FIRST_PERSON and not _quoted_on_its_line(mention, quoted):
        return _first_person_outside_quotes(mention, previous)
    gender = PRONOUN_GENDER.get(pronoun)
    subject = index.subject_before(mention, quoted, gender)
    if subject is not None:
        return _speaker(mention, subject.name, PERSON, subject.title)
    near = index.person_before(mention.start_char, quoted, gender)
    if near is not None and mention.start_char - max(
            x for x in near.positions if x < mention.start_char) <= PRONOUN_WINDOW:
        return _speaker(mention, near.name, PERSON, near.title)
    if previous is not None and previous.kind == PERSON and _may_be(index, previous, gender):
        return _speaker(mention, previous.name, PERSON, previous.title)
    if near is not None:             # the last person named before, however far
        return _speaker(mention, near.name, PERSON, near.title)
    return _speaker(mention, mention.text, PERSON, None)


def _first_person_outside_quotes(mention: Span, previous: Speaker | None) -> Speaker:
    """An "I" outside quotation marks is the writer's (an op-ed), or a statement's run on after
    its author was named ("Gov. Ana Ruiz said in a statement: I am ..."): the previous speaker
    when that is a person with a full name, else no one named; never merely the person the text
    named last."""
    if previous is not None and previous.kind == PERSON and _full_name(previous.name):
        return _speaker(mention, previous.name, PERSON, previous.title)
    return _speaker(mention, mention.text, PERSON, None)


def _quoted_on_its_line(mention: Span, quoted: Sequence[tuple[int, int]]) -> bool:
    """Inside a quotation, or after an opening mark on its line (a headline's quotation is no
    quotation to the quote-mark stage: "Ana Ruiz: 'I Will Run'")."""
    if any(a <= mention.start_char < b for a, b in quoted):
        return True
    doc = mention.doc
    for i in range(mention.start - 1, -1, -1):   # back to the line's start, token by token
        if "\n" in doc[i].text_with_ws:
            return False
        if any(mark in doc[i].text for mark in OPENING_MARKS):
            return True
    return False


def _full_name(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def _as_subject(word: str) -> str:
    """A possessive pronoun as its subject form: "his criticism of" is resolved as a "he" is."""
    return POSSESSIVE_SUBJECTS.get(word, word)


def _may_be(index: NameIndex, speaker: Speaker, gender: str | None) -> bool:
    """Whether a speaker found before may be the he or she of this gender."""
    if gender is None:
        return True
    known = index.by_full_name(speaker.name)
    found = known.gender if known is not None else gender_of(index.lex, speaker.name, speaker.title)
    return found in (None, gender)


def _description(mention: Span) -> str:
    """An unnamed speaker's name: the mention, with a sentence-initial determiner in lower case
    ("The Syrian sources" and "the Syrian sources" are one roster entry)."""
    first = mention[0]
    if first.pos_ == "DET" and first.text[:1].isupper() and first.text[1:] == first.text[1:].lower():
        return first.lower_ + mention.text[len(first.text):]
    return mention.text


def _nominal_speaker(index: NameIndex, mention: Span, words: set[str], head: Token) -> Speaker:
    lex = index.lex
    head_word = head.lower_
    determiner = mention[0].lower_
    name = _description(mention)
    if head_word in lex.kind_words("anonymous"):
        definite = determiner in DEFINITE
        if not definite or head.tag_ in ("NNS", "NNPS"):
            return _speaker(mention, name, ANONYMOUS, None)
    if is_title(lex, head) and determiner not in lex.words["indefinite"]:
        title_words = {w for w in words if w in lex.titles} - {"former"}
        person = index.by_title(title_words, mention.start_char)
        if person is None and determiner in DEFINITE and not lex.listed("relational_titles", head_word):
            # "the Russian minister": Lavrov, untitled; "the counterpart" is someone else
            person = index.only_fitting_person_near(mention, title_words)
        if person is not None:
            return _speaker(mention, person.name, PERSON, person.title)
    place = index.settlement_before(mention.start_char) \
        if len(mention) == 2 and determiner in DEFINITE and head_word in lex.kind_words("settlement") else None
    if place is not None:            # "the city" after "the Municipality of Livorno"
        return _speaker(mention, place, ORGANIZATION, None)
    if head_word in lex.kind_words("organization"):
        return _speaker(mention, name, ORGANIZATION, None)
    document = index.document_before(mention.start_char) \
        if len(mention) == 2 and determiner in DEFINITE and is_document_word(lex, head_word) else None
    if document is not None:         # "the report": the study the article named
        return _speaker(mention, document.name, ORGANIZATION, None)
    if head_word in lex.kind_words("anonymous") or is_document_word(lex, head_word):
        return _speaker(mention, name, ANONYMOUS, None)
    if head.tag_ in ("NNS", "NNPS") or head.pos_ == "ADJ" or head_word in lex.kind_words("group"):
        return _speaker(mention, name, GROUP, None)   # an adjective head: "many", "most", "the poor"
    if determiner in lex.words["indefinite"]:
        return _speaker(mention, name, ANONYMOUS, None)
    return _speaker(mention, name, PERSON, None)
