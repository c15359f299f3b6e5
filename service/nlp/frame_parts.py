"""A reporting frame and the parts of it read off the parse: who speaks and what was said (as
char offsets); relays.py reads the agency and the addressee. Pure functions of a Reading."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from . import tree
from .lexicon import BELIEF, OBJECT, QUOTING, SPEECH, Lexicon
from .name_runs import FEMALE, MALE, is_document_word
from .records import Addressee, Agency, Cue
from .quotemarks import colon_before, title_like
from .vocab import (ADDRESSEE_DEPS, ANONYMITY_PARTICIPLES, ANONYMITY_REASONS, ASIDE_MARKS, CLAUSE_DEPS,
                    CONTENT_MARKS, CONTRAST_MARKS, DASHES, DOUBLE_QUOTE_MARKS, HEARERS_PARTICIPLE_BLOCKERS,
                    INHERIT_SUBJECT_DEPS, MISTAGGED_NAME_POS, NOMINAL_POS, NOUN_HEAD_POS,
                    NOUN_MODIFIER_CLAUSE_DEPS, OBJECT_CONTENT_DEPS, OBJECT_CONTENT_PREPS,
                    POSSESSIVE_ENDINGS, POSSESSIVE_SUBJECTS, RELATIVE_PRONOUNS, RELATIVE_SUBJECTS,
                    SENTENCE_END_MARKS, VERB_POS)

MAX_SOURCE_DISTANCE = 60   # tokens between an inherited subject and its cue
MAX_WALK = 6               # steps up the tree when a verb inherits its subject
_YOU = tree.word_hashes(["you"])   # the hearer asked "Do you think ...?" (silent_verbs)
# what an object noun's own complement may be ("expressed concern that / about / over ..."): a
# that-clause, or one of these prepositions' objects ("support for", "doubt on", "questions about")
NOUN_COMPLEMENT_CLAUSE_DEPS = frozenset({"acl", "ccomp", "relcl"})
NOUN_COMPLEMENT_PREPS = frozenset({"about", "for", "on", "of", "over", "against", "with", "at", "to", "in", "behind"})


class Frame(NamedTuple):
    """One reporting event: a cue with who said what (content as char offsets), through which
    agency, to whom; `rule` names the registered rule that found it (rules.py)."""
    rule: str
    cue: Cue
    cue_i: int                       # index of the cue's token
    head_i: int                      # index of that token's head in the parse
    source: Span | None
    content: tuple[int, int] | None
    agency: Agency | None = None
    addressee: Addressee | None = None
    wanted: bool = False             # words asked for, not yet said ("pushing leaders to admit")
    kind: str = "speech"             # what is attributed: one of records.QUOTE_KINDS
    score: float | None = None       # the learned layer's probability, for its own frames
    # the attribution interrupting the content ("The levy, [the mayor explained], was ..."): inside
    # the content's extent, not its words (content_pieces)
    interruption: tuple[int, int] | None = None


def content_pieces(frame: Frame) -> list[tuple[int, int]]:
    """The frame's words: its content, without the attribution that interrupts it."""
    if frame.content is None:
        return []
    if frame.interruption is None:
        return [frame.content]
    return [(frame.content[0], frame.interruption[0]), (frame.interruption[1], frame.content[1])]


def new_frame(cue: Cue, token: Token, source: Span | None, content: tuple[int, int] | None = None,
              agency: Agency | None = None, addressee: Addressee | None = None,
              interruption: tuple[int, int] | None = None) -> Frame:
    """A frame at this cue token; the rule's name is stamped on it by the registry's driver."""
    return Frame("", cue, token.i, token.head.i, source, content, agency, addressee, interruption=interruption)


@dataclass
class Reading:
    """One article as the frame rules read it: the parse, its text (built once: Doc.text joins
    every token on each access), the lexicon, and the quoted regions (open mark .. after close)."""
    doc: Doc
    text: str
    lex: Lexicon
    quoted: list[tuple[int, int]] = field(default_factory=list)
    absorbed: set[int] = field(default_factory=set)   # tokens already part of another frame
    # verbs that report nothing: fixed phrases ("That said, ..."), a belief asked of the hearer
    # ("Do you think ...?"): silent_verbs
    silent: set[int] = field(default_factory=set)
    matches: dict = field(default_factory=dict)       # pattern matches: {rule: {cue index: [roles]}}

    def cue(self, start: int, end: int, lemma: str) -> Cue:
        return Cue(text=self.text[start:end], lemma=lemma, start=start, end=end)

    def token_cue(self, token: Token, lemma: str, last: Token | None = None) -> Cue:
        """The cue at a token (through `last`, if given), as PolNeAR marks cues: a verb's with
        its verb group (tree.verb_group: "has not yet said", "pointed out") and an adverb right
        after it ("said flatly"), from the verb issuing the document it modifies ("issued a
        statement saying") or the word whose infinitive it is ("continued to complain"); a noun's
        from the verb whose object it is ("has expressed concern", "cast doubt"); an adjective's
        from its copula ("was tepid", "are alarmed")."""
        if token.pos_ in VERB_POS:
            first, group_last = tree.verb_group(token)
            opener = self.issuing_verb(token) or controlling_word(token)
            if opener is not None:
                first = tree.verb_group(opener)[0]
            group_last = manner_adverb(token, group_last) or group_last
            group_last = topic_about(token, group_last) or group_last
        elif token.head.pos_ in VERB_POS and token.head.i < token.i \
                and (token.dep_ == "dobj" or tree.copula_of(token) is not None):
            first, group_last = tree.verb_group(token.head)[0], token
        else:
            first, group_last = token, token
        last = max(last or token, group_last, key=lambda t: t.i)
        return self.cue(first.idx, last.idx + len(last.text), lemma)

    def issuing_verb(self, verb: Token) -> Token | None:
        """"issued a statement [calling ...]", "released a letter that says ...": the verb issuing
        the document a speech participle or relative clause modifies, where PolNeAR's cue begins
        (on PolNeAR train 15 times in 16 after an issuing verb; after other verbs the cue is
        mostly the participle alone)."""
        document = verb.head
        if verb.dep_ not in ("acl", "relcl") or document.dep_ != "dobj" or document.i > verb.i:
            return None
        issuer = document.head
        return issuer if issuer.i < document.i and issuer.lower_ in self.lex.issuing_verbs else None

    def span_of(self, first: Token, last: Token) -> tuple[int, int] | None:
        return tree.char_span(self.text, first, last)

    def kind_of(self, token: Token) -> str | None:
        return self.lex.kind_of_word(token.lower_)


def _next_child(verb: Token, last: Token, dep: str) -> Token | None:
    """The word right after `last`, if it hangs on `verb` with this dependency."""
    doc = verb.doc
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    return after if after is not None and after.dep_ == dep and after.head.i == verb.i else None


def manner_adverb(verb: Token, last: Token) -> Token | None:
    """"said flatly", "has said repeatedly", "wondered aloud", "shot back": an adverb of the verb
    right after its group, part of the cue as PolNeAR marks it (on PolNeAR train 106 times in
    116), unless a comma sets it off ("..., however, ..."), it asks ("said when") or it opens a
    time phrase ("announced back in May": tree.back_in_time)."""
    after = _next_child(verb, last, "advmod")
    if after is None or after.pos_ != "ADV" or after.tag_ == "WRB" or tree.back_in_time(after):
        return None
    doc = verb.doc
    return after if after.i + 1 == len(doc) or doc[after.i + 1].text != "," else None


def topic_about(verb: Token, last: Token) -> Token | None:
    """"complained bitterly about", "joked about", "talks about": the "about" of the verb right
    after its cue, part of the cue as PolNeAR marks it (on PolNeAR train 31 times in 39), whatever
    the content is ("of", "to", "on" after a cue are no more than even)."""
    after = _next_child(verb, last, "prep")
    return after if after is not None and after.lower_ == "about" else None


def controlling_word(verb: Token) -> Token | None:
    """"continued to complain", "needs to keep sharing", "was quick to point out": the verb (or
    the copula of the adjective) whose open complement the cue is, right after it (in "urged him
    to say" the object speaks). PolNeAR's cue starts there: on PolNeAR train 179 times
    in 229 such cues."""
    current = verb
    while current.dep_ == "xcomp" and current.left_edge.i - 1 == tree.verb_group(current.head)[1].i:
        current = current.head
    if current.i == verb.i:
        return None
    return tree.copula_of(current) or current


def can_speak(token: Token | None) -> bool:
    """A speaker mention is a noun phrase: its head is a noun, name, pronoun or number (a verb or
    adjective head is a misparse), or a capitalised subject the tagger took for a verb or an
    interjection ("Trump openly admires ...", "Trump, in a tweet, called ...": the parse still
    makes it the subject), or an adjective standing alone as the subject ("many say", "most
    believe", "the poor decided": people the adjective tells)."""
    if token is None:
        return False
    if token.dep_ == "nsubj" and token.pos_ == "ADJ":
        return True
    return token.pos_ in NOMINAL_POS \
        or (token.dep_ == "nsubj" and token.pos_ in MISTAGGED_NAME_POS and token.is_title)


def speaker_phrase(token: Token | None) -> Span | None:
    """The speaker mention of a token that can speak, else None."""
    return source_phrase(token) if can_speak(token) else None


def source_phrase(token: Token) -> Span | None:
    """The speaker mention: a name in apposition wins over a description ("Russia's deputy foreign
    minister, Mikhail Bogdanov" -> "Mikhail Bogdanov"; "Afaq Ahmad, an opposition figure" ->
    "Afaq Ahmad")."""
    if token.pos_ != "PROPN":
        for child in token.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return tree.noun_phrase(child)
    return tree.noun_phrase(token)


# --- who speaks ---------------------------------------------------------------------------------

def _speaker_goes_on(lex: Lexicon, clause: Token, conj: Token, cue: Token) -> bool:
    """Whether a verb coordinated with a reported clause is the speaker's next act, not more of
    what was said: "said [he makes $41,000] and questioned ...", "said [X], and he railed ..."."""
    own = tree.subject(conj)
    if own is None:
        # no subject of its own and the cue's tense: the speaker's when the clause has another
        # tense, or when it reports too ("said [she was sorry] and promised to ...": the gold stops
        # before it 14 times in 18 on PolNeAR train) after a clause whose subject is no name
        # ("said Okafor resigned and told the board": Okafor told it)
        tag = next((c.tag_ for c in conj.children if c.dep_ == "aux"), conj.tag_)
        other_tense = conj.tag_ != clause.tag_
        reports_next = _reports(lex, conj) and _unnamed_subject(clause)
        return tag == cue.tag_ and (other_tense or reports_next)
    speaker = tree.subject(cue)
    return speaker is not None and own.lower_ == speaker.lower_


def _unnamed_subject(clause: Token) -> bool:
    found = tree.subject(clause)
    return found is not None and found.pos_ != "PROPN"


def _reports(lex: Lexicon, verb: Token) -> bool:
    """A speech verb or one whose object is what it says ("called", "accused") of the lexicon."""
    return lex.kind_of_word(verb.lower_) in (SPEECH, OBJECT)


def speakers_next_act(lex: Lexicon, clause: Token, cue: Token) -> Token | None:
    for conj in clause.children:
        if conj.dep_ == "conj" and conj.pos_ in VERB_POS and conj.i > clause.i \
                and _speaker_goes_on(lex, clause, conj, cue):
            return conj
    return None


def _free_participle_clause(lex: Lexicon, participle: Token) -> Token | None:
    """", saying ..." after a comma, hung by the parse on the noun before it ("acknowledged his
    success, saying", "won the primary, remarking"): a free participle tells what the clause's
    subject did, not the noun; so does an infinitive on a verb's object ("mounted a campaign to
    condemn": the purpose of the subject's act), and a participle on the people a verb addresses
    ("emailed supporters saying", "sent a letter to Senate leaders opposing"; a direct object's
    own participle unless it is a plain "saying": "met voters demanding a recount"). The verb
    whose clause holds the noun (None for any other modifier, or when no verb is near)."""
    if participle.dep_ != "acl":
        return None
    infinitive = tree.child_with(participle, "aux", "to") is not None
    on_object = infinitive and participle.head.dep_ == "dobj" and participle.head.head.pos_ in VERB_POS
    addressing = _addressed(lex, participle.head) and (
        participle.head.dep_ == "pobj" or lex.verb_lemma(participle.lower_) in lex.words["plain_speech"])
    free = participle.tag_ == "VBG" and (tree.after_comma(participle) or addressing)
    if not on_object and not free:
        return None
    token = participle.head
    for _ in range(MAX_WALK):
        if token.pos_ in VERB_POS:
            return token
        if tree.is_root(token):
            return None
        token = token.head
    return None


def _addressed(lex: Lexicon, noun: Token) -> bool:
    """Whether a plural noun is the people a verb addresses: its object or the object of its "to"
    ("emailed supporters", "a pitch to voters"), not a document or speech ("911 calls saying")."""
    governed = noun.dep_ == "dobj" or (noun.dep_ == "pobj" and noun.head.lower_ == "to")
    return governed and noun.tag_ == "NNS" and noun.lower_ not in lex.nominal_cues \
        and not is_document_word(lex, noun.lower_)


def idiom_verbs(doc: Doc, lex: Lexicon) -> set[int]:
    """The verbs of the fixed phrases that open a clause before a comma (or end with "that") and
    report nothing ("That said, ...", "Having said that, ...", "It goes without saying that ...";
    word_lists.txt discourse_idioms)."""
    hashes, idioms = lex.idioms
    found = set()
    for i in tree.positions_of(doc, hashes):
        for words, k in idioms:
            start, end = i - k, i - k + len(words)
            closed = words[-1] == "that" or end < len(doc) and doc[end].text == ","
            if start >= 0 and end <= len(doc) and closed \
                    and [t.lower_ for t in doc[start:end]] == words and _opens_clause(lex, doc, start):
                found.add(i)
    return found


def silent_verbs(doc: Doc, lex: Lexicon) -> set[int]:
    """The verbs that report nothing: those of fixed phrases (idiom_verbs) and a belief asked of
    the hearer ("Do you think the ferry will run?": a question asks, it says nothing of what "you"
    think; on PolNeAR train 5 of 6 such frames were no attribution)."""
    asked = {doc[i].head.i for i in tree.positions_of(doc, _YOU) if _belief_asked_of(lex, doc[i])}
    return idiom_verbs(doc, lex) | asked


def _belief_asked_of(lex: Lexicon, you: Token) -> bool:
    """Whether this "you" is the subject of a belief verb in a question."""
    verb = you.head
    if you.dep_ != "nsubj" or lex.kind_of_word(verb.lower_) != BELIEF:
        return False
    last = next((t for t in reversed(verb.sent) if not (t.is_space or t.is_quote)), None)
    return last is not None and last.text == "?"


def _opens_clause(lex: Lexicon, doc: Doc, i: int) -> bool:
    """Whether token i starts a sentence or a clause: after a comma, semicolon, colon, dash, an
    opening bracket or quote mark ("(Having said that, ...") or a leading word ("But that
    said, ...")."""
    if i == 0 or doc[i].is_sent_start:
        return True
    before = doc[i - 1]
    return before.text in (",", ";", ":", *DASHES) or before.is_left_punct \
        or lex.listed("leading_words", before.lower_) \
        and (i == 1 or doc[i - 1].is_sent_start)


def hearers_participle(lex: Lexicon, verb: Token) -> bool:
    """"Asked whether he would resign, Johnson replied": a past participle of asking or telling
    before its clause, with no subject of its own. Its head clause's subject is the hearer, not
    the asker, who is its by-agent ("Asked by reporters") or unnamed (PolNeAR gives such
    attributions no source). After the clause ("Okafor said no when asked") it is left alone: a
    quotation the rules hang on it is the hearer's answer."""
    return verb.tag_ == "VBN" and verb.dep_ == "advcl" and verb.i < verb.head.i \
        and lex.listed("hearer_participles", verb.lower_) \
        and not any(child.dep_ in HEARERS_PARTICIPLE_BLOCKERS for child in verb.children)


def _reporters_participle(participle: Token) -> Token | None:
    """", noting that ..." after a reported clause ("Okafor said the plan would fail, noting"),
    hung by the parse on the reported clause's verb: the participle is the reporter's next act,
    not the reported subject's. A named reported subject keeps it ("sources said Okafor had
    pulled out, citing a clash": Okafor's reason). The reporting verb (None for any other
    participle)."""
    clause = participle.head
    if participle.dep_ != "advcl" or participle.tag_ != "VBG" or not tree.after_comma(participle):
        return None
    if clause.dep_ != "ccomp" or not clause.i < participle.i or tree.is_root(clause):
        return None
    reported = tree.subject(clause)
    if reported is not None and reported.pos_ == "PROPN":
        return None
    reporter = clause.head
    return reporter if reporter.i < clause.i and reporter.pos_ in VERB_POS else None


FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})


def _verb_of_preposition(prep: Token) -> Token | None:
    """The verb a preposition's phrase modifies, up through nouns of prepositions ("[In addition
    to] stating ..., she said": said), or None when the phrase hangs on a noun of its own."""
    token = prep
    for _ in range(MAX_WALK):
        if token.dep_ != "prep" or tree.is_root(token):
            return None
        head = token.head
        if head.pos_ in VERB_POS:
            return head
        if head.dep_ != "pobj":
            return None
        token = head.head
    return None


def _inherits_subject(token: Token) -> bool:
    """Whether a word with no subject of its own speaks through the head it hangs on: a participle,
    infinitive or coordinated verb ("..., adding that", "is likely to say": through the adjective
    to its copula), or a finite verb the parse made a complement or loose dependent of the verb
    before it ("Okafor paused, then revealed", "has touted X and promised"): a finite clause
    without a subject is the same speaker's next act."""
    if token.dep_ in INHERIT_SUBJECT_DEPS:
        return True
    if token.dep_ == "acomp":
        return token.head.pos_ in VERB_POS
    return token.dep_ in ("ccomp", "dep") and token.tag_ in FINITE_TAGS and token.head.i < token.i \
        and token.head.pos_ in VERB_POS and _after_a_break(token)


def _after_a_break(verb: Token) -> bool:
    """Whether a conjunction or punctuation, not a noun (a subject the parse missed), stands
    before the verb and its adverbs and auxiliaries ("..., then revealed", "... and promised")."""
    i = verb.i - 1
    while i > 0 and verb.doc[i].pos_ in ("ADV", "AUX", "PART"):
        i -= 1
    return i >= 0 and (verb.doc[i].pos_ == "CCONJ" or verb.doc[i].is_punct)


def verb_taking(noun: Token) -> Token | None:
    """The verb whose object the noun is, directly or through a preposition ("made the claim",
    "entered the debate with an argument"), or None."""
    verb = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else noun.head
    if noun.dep_ not in ("dobj", "pobj") or verb.i == noun.i or not verb.tag_.startswith("VB"):
        return None
    return verb


def owner_or_subject(lex: Lexicon, noun: Token, owner: Token | None) -> Token | None:
    """A possessive pronoun owning a noun that is a verb's object stands for that verb's subject
    when the two can be one person or body ("Trump continued his attacks on", "he expanded upon
    his calls for"): the subject is the speaker's mention (PolNeAR marks it so), else the owner as
    it is. Not under an object verb, whose subject answers someone else ("Lee dismissed his
    criticism of")."""
    pronoun = POSSESSIVE_SUBJECTS.get(owner.lower_) if owner is not None else None
    verb = verb_taking(noun)
    if pronoun is None or verb is None or lex.kind_of_word(verb.lower_) == OBJECT:
        return owner
    subject = source_token(lex, verb)
    if subject is None or subject.i == noun.i:
        return owner
    if subject.pos_ == "PRON":
        return subject if subject.lower_ == pronoun else owner
    if pronoun in ("they", "we"):       # a body or a group: "the party", "voters"
        return subject
    return subject if subject.tag_ not in ("NNS", "NNPS") and _may_be_one(lex, subject, pronoun) else owner


def _may_be_one(lex: Lexicon, subject: Token, pronoun: str) -> bool:
    """Whether a singular subject may be the he or she of a possessive: no given name or title
    word of the other gender in its phrase ("Ann Lee ... his" is two people)."""
    other = {"he": FEMALE, "she": MALE}.get(pronoun)
    if other is None:
        return True
    words = {t.lower_.rstrip(".") for t in subject.subtree if t.i <= subject.i}
    return not (words & lex.given_names[other] or words & lex.given_names[other + "_words"])


def source_token(lex: Lexicon, verb: Token) -> Token | None:
    """Who speaks: the active subject; a passive speech verb's "by" agent (the passive subject of
    "was told" is the hearer, but the speaker of a verb coordinated with or controlled by it: "was
    forced into it and said", "was prompted to say", unless that verb is a telling one left
    without its hearer: "was called in and told that ..."); for a subjectless verb the subject of
    the verb it hangs on ("..., adding that ..."), or the noun it modifies ("Putin, who said ...")."""
    current, came_by, below = verb, None, None
    for _ in range(MAX_WALK):  # a short walk up the tree, never a loop over the sentence
        found = tree.subject(current)
        if found is not None:
            if found.dep_ == "nsubjpass" and came_by not in ("conj", "xcomp"):
                return tree.agent(current)
            if found.dep_ == "nsubjpass" and came_by == "conj" and told_in_passing(lex, below):
                return tree.agent(below)
            if found.lower_ in RELATIVE_SUBJECTS:
                # "Putin, who said ...": the pronoun is the mention (names.resolve names it)
                return found if current.dep_ in NOUN_MODIFIER_CLAUSE_DEPS else None
            return found
        if current.tag_ == "VBN" and tree.agent(current) is not None:
            return tree.agent(current)   # "Asked by Stephanopoulos to respond, Carson said": the asker
        if came_by is None and hearers_participle(lex, current):
            return None                  # "Asked whether ..., Johnson replied": Johnson was asked
        if current.dep_ in NOUN_MODIFIER_CLAUSE_DEPS and current.head.pos_ in NOMINAL_POS:
            clause = _free_participle_clause(lex, current)
            if clause is None:
                return current.head
            current, came_by, below = clause, current.dep_, current   # "Okafor acknowledged her rival's success, saying ..."
            continue
        if current.dep_ == "pcomp":
            governing = _verb_of_preposition(current.head)
            if governing is None:
                return None
            current, came_by, below = governing, current.dep_, current   # "X started ... by agreeing that"
            continue
        if not _inherits_subject(current) or tree.is_root(current):
            return None
        reporter = _reporters_participle(current)
        if reporter is not None:
            current, came_by, below = reporter, current.dep_, current   # "Okafor said the plan would fail, noting ..."
            continue
        clause = current.head
        if current.dep_ == "conj" and clause.dep_ == "ccomp" and not tree.is_root(clause) \
                and getattr(speakers_next_act(lex, clause, clause.head), "i", None) == current.i:
            current, came_by, below = clause.head, current.dep_, current   # "said X and questioned Y": the sayer questioned
            continue
        current, came_by, below = clause, current.dep_, current
    return None


def told_in_passing(lex: Lexicon, verb: Token) -> bool:
    """"was called in and [told] that ...": a telling verb joined to a passive one, with no hearer
    and no auxiliary of its own, shares the passive: its subject heard the words."""
    lemma = lex.verb_lemma(verb.lower_) or verb.lemma_
    return lex.listed("addressee_verbs", lemma) and not any(
        c.dep_ in ADDRESSEE_DEPS or c.dep_ in ("aux", "auxpass") for c in verb.children)


def name_before(lex: Lexicon, doc: Doc, verb: Token) -> Token | None:
    """The nominal just before the cue, for misparsed '"…," Ramos, 58, told AFP' and '"…," Bozell
    answers': skips commas and ages, stops at a quote mark."""
    for i in range(verb.i - 1, max(-1, verb.i - 6), -1):
        token = doc[i]
        if token.is_quote:
            return None
        if token.is_punct or token.pos_ == "NUM":
            continue
        if token.lower_ in lex.time_words:
            return None      # ", last week, writing ...": when, not who
        return token if token.pos_ in ("PROPN", "NOUN", "PRON") else None
    return None


MAX_NAME_AFTER_QUOTATION = 30   # tokens between a quotation's closing mark and its cue


def quotation_end_before(verb: Token) -> Token | None:
    """The closing mark of '"…," Gene Okafor, a top adviser, said': the nearest quote mark before
    the verb with the quotation's own punctuation inside it (",”", "?”") and only whole quotations
    after it (a "Save the Pier" badge in the speaker's description), or None."""
    doc, marks = verb.doc, 0
    for i in range(verb.i - 1, max(0, verb.i - MAX_NAME_AFTER_QUOTATION), -1):
        if not tree.is_quote_mark(doc[i]):
            continue
        if marks % 2 == 0 and doc[i - 1].is_punct and not doc[i - 1].is_quote:
            return doc[i]
        marks += 1
    return None


def name_after_quotation(verb: Token) -> Token | None:
    """'"…," Gene Okafor, a top adviser, said': the speaker between a quotation and its cue when
    the parse hung it inside the quoted clause (as its attribute or apposition): the head of the
    phrase right after the closing mark, which must reach no further than the cue. None when the
    verb's own subject stands between them (the parse got it right)."""
    mark = quotation_end_before(verb)
    return None if mark is None else _name_after(mark, verb)


def _name_after(mark: Token, verb: Token) -> Token | None:
    """name_after_quotation, the quotation's closing mark found."""
    found = tree.subject(verb)
    if found is not None and mark.i < found.i < verb.i:
        return None
    doc, end = verb.doc, tree.verb_group(verb)[0].i
    first = next((t for t in doc[mark.i + 1:end] if not t.is_punct), None)
    if first is None:
        return None
    top = first
    while mark.i < top.head.i < end and not tree.is_root(top):
        top = top.head
    if top.i >= end or top.pos_ not in NOMINAL_POS or top.right_edge.i >= end:
        return None
    return top


def speaker_token(lex: Lexicon, doc: Doc, verb: Token) -> Token | None:
    """The source token, unless the parse took it from inside a quotation the cue is outside of
    (words inside a quotation do not speak it); then the name right before the cue, if any. A
    hearer's participle has its by-agent or no speaker ("Asked whether ..., Johnson said")."""
    if hearers_participle(lex, verb):
        return tree.agent(verb)
    source = source_token(lex, verb)
    if source is None:
        source = name_after_quotation(verb) or _subject_swallowed(verb)
    if source is not None and source.i < verb.i and tree.odd_quotes_between(doc, source, verb, MAX_SOURCE_DISTANCE):
        source = name_after_quotation(verb)
    return source if source is not None else name_before(lex, doc, verb)


def _subject_swallowed(verb: Token) -> Token | None:
    """"Ms. Okafor, whose bakery, Crumb, sells bread to three schools, also said": a long
    subject the parse read as a clause of the verb's before it; that clause's subject speaks."""
    if tree.subject(verb) is not None:
        return None
    clause = next((c for c in verb.children if c.dep_ in ("ccomp", "csubj") and c.i < verb.i), None)
    found = tree.subject(clause) if clause is not None else None
    return found if found is not None and found.pos_ in NOMINAL_POS and found.left_edge.i == clause.left_edge.i else None


def verb_speaker(lex: Lexicon, doc, verb: Token) -> Token | None:
    """Who speaks a verb's words: the object whose words it asks for, else its subject or the
    speaker it inherits."""
    return wanted_speaker(lex, verb) or speaker_token(lex, doc, verb)


def wanted_speaker(lex: Lexicon, verb: Token) -> Token | None:
    """"pushing leaders to admit ...", "forced him to say ...": the object whose words another
    verb asks for. Such words are wanted, not yet said: the frame stays (news attribution counts
    it), with the object as its speaker and a lower confidence. When the verb asking is itself
    speech ("urged supporters to ask ...") its subject keeps the words."""
    if verb.dep_ != "xcomp" or tree.is_root(verb):
        return None
    if tree.child_with(verb, "aux", "to") is None:
        return None
    controller = verb.head
    if lex.kind_of_word(controller.lower_) in (QUOTING, SPEECH):
        return None
    return next((c for c in controller.children if c.dep_ in ("dobj", "dative") and c.i < verb.i
                 and c.pos_ in NOMINAL_POS and not _thing(c)), None)


def _thing(noun: Token) -> bool:
    """A singular common noun with no name in its phrase ("used an expression to describe",
    "sharpened its message to defend"): a means, not someone whose words are asked for."""
    return noun.tag_ == "NN" and not any(t.ent_type_ or t.pos_ == "PROPN" for t in noun.subtree)


# --- what was said ------------------------------------------------------------------------------

def _trailing_aside(clause: Token) -> Token | None:
    """", echoing a memo from ..." at the end of a reported clause: a participle after a comma
    that tells what the speaker did, not what was said; or ", according to X", who relayed it."""
    for child in clause.children:
        if child.i > clause.i and tree.after_comma(child) and (
                (child.dep_ == "advcl" and child.tag_ == "VBG")
                or (child.dep_ == "prep" and child.lower_ == "according")):
            return child
    return None


def _contrasting_report(r: Reading, clause: Token) -> Token | None:
    """", while the opposition said ..." after a reported clause: another speaker's report set
    against it, which the parse hung on the clause; no part of it (the report is a frame of its own).
    Not a reason: "said the plan failed because officials said nothing" is what was said."""
    for child in clause.children:
        if child.dep_ == "advcl" and child.i > clause.i and r.kind_of(child) in (SPEECH, BELIEF) \
                and tree.after_comma(child) and _mark_of(child) in CONTRAST_MARKS:
            subject = tree.subject(child)
            if subject is not None and subject.lower_ not in RELATIVE_SUBJECTS:
                return child
    return None


def _mark_of(clause: Token) -> str | None:
    mark = tree.child_with(clause, "mark")
    return mark.lower_ if mark is not None else None


def _before_punctuation(doc: Doc, i: int, floor: int) -> Token:
    while i > floor and doc[i].dep_ in ("punct", "cc"):
        i -= 1
    return doc[i]


def _subject_taken_for_apposition(clause: Token, cue: Token) -> Token | None:
    """"told the Associated Press [her son] was innocent": the subject of a subjectless clause
    right after the cue's object, which the parser took for that object's appositive (no comma
    sets it off, as one would an appositive)."""
    if clause.dep_ != "ccomp" or clause.head.i != cue.i or clause.i < cue.i or tree.subject(clause) is not None:
        return None
    doc = clause.doc
    for obj in (child for child in cue.children if child.dep_ == "dobj"):
        for appos in obj.children:
            if appos.dep_ == "appos" and appos.pos_ in NOUN_HEAD_POS \
                    and appos.right_edge.i == clause.left_edge.i - 1 and doc[appos.left_edge.i - 1].text not in ASIDE_MARKS:
                return appos
    return None


def clause_span(r: Reading, clause: Token, cue: Token) -> tuple[int, int] | None:
    """Char offsets of a content clause, kept on its own side of the cue, without a participle
    aside or the speaker's next act at its end."""
    doc = r.doc
    first, last = clause.left_edge, clause.right_edge
    subject = _subject_taken_for_apposition(clause, cue)
    if subject is not None:
        first = subject.left_edge
    stray = _conjunct_of_content(clause, cue) if clause.i > cue.i else None
    if stray is not None and stray.right_edge.i > last.i:
        last = _before_own_subject(doc, stray, clause)
    conj = speakers_next_act(r.lex, clause, cue) if clause.dep_ == "ccomp" and clause.i > cue.i else None
    # a verb inside quote marks is still the quoted words ("approached her "and said ...")
    if conj is not None and not tree.inside(r.quoted, conj.idx, conj.idx + 1):
        last = _before_punctuation(doc, conj.left_edge.i - 1, clause.i)
    aside = _trailing_aside(clause) if clause.i > cue.i else None
    if aside is not None and aside.right_edge.i >= last.i:
        last = doc[aside.left_edge.i - 2]
    other = _contrasting_report(r, clause) if clause.i > cue.i else None
    if other is not None and first.i < other.left_edge.i <= last.i:
        last = _before_punctuation(doc, other.left_edge.i - 1, clause.i)
    mark = quotation_end_before(cue) if clause.i < cue.i else None
    if mark is not None and first.i < mark.i <= last.i and _name_after(mark, cue) is not None:
        last = mark   # the speaker the parse hung inside the quotation is no part of its content
    opening = _quotation_after_colon(r, mark) if mark is not None else None
    if opening is not None and first.i < opening.i <= last.i:
        first = opening
    if first.i <= cue.i <= last.i:
        if clause.i < cue.i:
            last = doc[cue.left_edge.i - 1] if cue.left_edge.i > first.i else clause
        else:
            first = doc[cue.right_edge.i + 1] if cue.right_edge.i < last.i else _start_after(clause, cue)
    return r.span_of(first, last)


def _conjunct_of_content(clause: Token, cue: Token) -> Token | None:
    """A verb the parser made the cue's conjunct though its form continues the content clause:
    "declined to threaten Moscow or even [declare] it responsible" (a bare verb, no "to" of its
    own, after an infinitive), "says it would cut costs but would [add] jobs" (the clause's
    modal again); it has no subject of its own."""
    modal = _modal(clause)
    for conj in cue.children:
        if conj.dep_ != "conj" or conj.i < clause.i or conj.tag_ != "VB" or tree.subject(conj) is not None:
            continue
        bare = not any(c.dep_ == "aux" for c in conj.children)
        if (bare and tree.child_with(clause, "aux", "to") is not None) or (modal and _modal(conj) == modal):
            return conj
    return None


def _before_own_subject(doc: Doc, verb: Token, clause: Token) -> Token:
    """The end of a verb's phrase, before a conjunct with a subject of its own ("... and [he]
    pledged")."""
    other = next((c for c in verb.children if c.dep_ == "conj" and tree.subject(c) is not None), None)
    return verb.right_edge if other is None else _before_punctuation(doc, other.left_edge.i - 1, clause.i)


def _modal(verb: Token) -> str | None:
    return next((c.lower_ for c in verb.children if c.dep_ == "aux" and c.tag_ == "MD"), None)


def _quotation_after_colon(r: Reading, mark: Token) -> Token | None:
    """The opening mark of the quotation closed at `mark` when a colon introduces it ('Her answer
    was blunt: "…," Ruiz said'): the content starts there, not at the lead (PolNeAR: 7 times in 7
    on train; after a comma, "In past campaigns, "…," he said", the lead is in it 9 times in 12)."""
    region = next((q for q in r.quoted if q[0] <= mark.idx < q[1]), None)
    if region is None or colon_before(r.text, region[0]) is None:
        return None
    return tree.token_at(r.doc, region[0])


def _start_after(clause: Token, cue: Token) -> Token:
    """Where a clause hanging inside its cue's own phrase starts, once the words before the cue
    are left out: at its first word after the cue ("what the mayor wants [to do]", "the bill he
    refused [to sign]": PolNeAR keeps the "to" in the content 12 times in 12 on train; "which
    officials said [will go] into effect")."""
    return next((t for t in clause.subtree if t.i > cue.i), clause)


def cue_meets_content(r: Reading, cue: Cue, content: tuple[int, int]) -> tuple[Cue, tuple[int, int]]:
    """(cue, content) as PolNeAR divides the words between them: the "for" opening a for-to
    content ("called for [all candidates to leave]", outside the content 35 times in 38 on PolNeAR
    train), and a preposition between the cue's last word and the content that is its object,
    hanging on a word of the cue ("touched briefly [on] X", "spoke favorably [of] X": in the cue
    58 times in 63 where a cue ended just before one), join the cue."""
    doc = r.doc
    first = tree.token_at(doc, content[0])
    if first is None or first.idx != content[0]:
        return cue, content
    if first.lower_ == "for" and first.dep_ == "mark" and first.i + 1 < len(doc):
        content = tree.trim(r.text, doc[first.i + 1].idx, content[1]) or content
        first = doc[first.i + 1]
    if first.i < 2:
        return cue, content
    link, before = doc[first.i - 1], doc[first.i - 2]
    for_mark = link.dep_ == "mark" and link.lower_ == "for"
    preposition = link.dep_ == "prep" and cue.start <= link.head.idx < cue.end and link.right_edge.i >= first.i
    if not (for_mark or preposition) or before.idx + len(before.text) != cue.end:
        return cue, content
    return r.cue(cue.start, link.idx + len(link.text), cue.lemma), content


def span_without(r: Reading, outer: Token, inner_first: Token, inner_last: Token) -> tuple[int, int] | None:
    """outer's subtree minus a piece at its start or end (the attribution inside a sentence)."""
    doc = r.doc
    first, last = outer.left_edge, outer.right_edge
    # a piece in the middle ("<content>, X said, quoted by ...") leaves the longer side
    before, after = inner_first.i - first.i, last.i - inner_last.i
    if before <= 0 or (after > 0 and after >= before):
        first = doc[min(inner_last.i + 1, last.i)]
    else:
        last = doc[max(inner_first.i - 1, first.i)]
    return r.span_of(first, last)


def is_anonymity_clause(clause: Token) -> bool:
    """"(asked not) to be named", "(declined) to be identified for fear of reprisals": a clause
    that keeps the speaker anonymous and says nothing else."""
    return clause.dep_ in CLAUSE_DEPS and clause.lower_ in ANONYMITY_PARTICIPLES and all(
        child.dep_ in ("aux", "auxpass", "neg")
        or child.dep_ in ("prep", "advcl") and child.left_edge.lower_ in ANONYMITY_REASONS
        for child in clause.children)


def clause_children(verb: Token, skip: Token | None = None, finite_only: bool = False) -> list[Token]:
    """The verb's reported clauses: its ccomp children, else (unless finite_only) its xcomp
    children; never skip, never an anonymity clause."""
    skip_i = None if skip is None else skip.i
    for dep in CLAUSE_DEPS[:1] if finite_only else CLAUSE_DEPS:
        clauses = [child for child in verb.children
                   if child.dep_ == dep and child.i != skip_i and not is_anonymity_clause(child)]
        if clauses:
            return clauses
    return []


def clause_content(r: Reading, verb: Token, clauses: list[Token]) -> tuple[int, int] | None:
    """The reported clause among the verb's clause children. "Ms. Khan said [Mr. Trump was
    ignorant]" with a quotation before it misparsed as a second ccomp: the clause after the verb
    wins."""
    titles = [(c, possessive_title(r, c)) for c in clauses]    # 'told CBS's "Face the Nation"'
    clauses = [c for c, title in titles if title is None] or \
        [t for c, title in titles if title is not None for t in _clause_after_title(c, title[1])]
    if not clauses:
        return None
    after = [c for c in clauses if c.i > verb.i]
    clause = after[0] if after and len(clauses) > 1 else clauses[0]
    span = clause_span(r, clause, verb)
    asked = _asked_object(verb, clause)
    return span if span is None or asked is None else (min(span[0], asked.left_edge.idx), span[1])


def judged_subject(lex: Lexicon, verb: Token) -> Span | None:
    """"[Mr. Ruiz] was accused of lying": the subject before a passive verb of judging or naming
    (word_lists.txt judged_passives) is what is judged, part of the content, never its speaker."""
    subject = next((t for t in verb.children if t.dep_ == "nsubjpass" and t.i < verb.i), None)
    if subject is None or verb.pos_ not in VERB_POS or not lex.listed("judged_passives", verb.lower_):
        return None
    if subject.lower_ == "it" and tree.child_with(verb, "ccomp") is not None:
        return None    # "it became known [that ...]": the "it" stands for the clause
    return verb.doc[subject.left_edge.i:subject.right_edge.i + 1]


def possessive_title(r: Reading, clause: Token) -> tuple[int, int] | None:
    """'told CBS's ["Face the Nation"]': a clause the parser found in a title in quote marks after
    a possessive ("Face" a verb) is a show's name: the hearer (relays), no content. The owner's
    and title's offsets, or None."""
    title = tree.range_at(r.quoted, clause.idx)
    if title is None or not title_like(r.text[title[0] + 1:title[1] - 1].rstrip().rstrip(".")):
        return None
    return owned_title(r, title)


def owned_title(r: Reading, title: tuple[int, int]) -> tuple[int, int] | None:
    """A quoted region right after a possessive ('NBC's "Meet the Press"'): the offsets from the
    owner's phrase to the closing mark, or None."""
    mark = tree.token_at(r.doc, title[0])
    owner = r.doc[mark.i - 1] if mark is not None and mark.i else None
    if owner is None or owner.text not in POSSESSIVE_ENDINGS:
        return None
    return owner.head.left_edge.idx, title[1]


def _clause_after_title(clause: Token, title_end: int) -> list[Token]:
    """'said on KXT's "Morning Loaf" today [that the ferry had ...]': a that-clause the
    parser hung inside a show's title it took for a clause is the verb's content."""
    return [t for t in clause.subtree if t.idx >= title_end and t.pos_ in VERB_POS
            and any(child.dep_ == "mark" and child.lower_ in CONTENT_MARKS for child in t.children)][:1]


def _asked_object(verb: Token, clause: Token) -> Token | None:
    """"urged [Congress to act]": the object between a verb and its infinitive clause, part of
    the content as PolNeAR marks it (on PolNeAR train 140 times in 193; "told X that ..." leaves
    its hearer out, 283 times in 363)."""
    if clause.dep_ != "xcomp" or clause.i < verb.i:
        return None
    return next((c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < clause.left_edge.i), None)


def interrupts(verb: Token) -> bool:
    """"X is bad, he said": the cue is a parataxis inside the sentence it reports."""
    return verb.dep_ == "parataxis" and not tree.is_root(verb)


def interrupted_content(r: Reading, verb: Token) -> tuple[int, int] | None:
    """The clause the cue interrupts, on one side of it."""
    return span_without(r, verb.head, verb.left_edge, verb.right_edge)


def content_around(r: Reading, attribution: Token) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(content, interruption) of the clause an attribution (this token's subtree) stands in: both
    sides, as PolNeAR marks an interrupted content ("The levy, the mayor explained, was the result
    of two bad winters": the words before the cue are in its content 143 times in 157 on PolNeAR
    train), the attribution between them cut out. A side that is nothing but punctuation or a
    joining word ("But, according to ...") leaves the other alone; so does a quotation on one side
    alone, the words on the other being the writer's ("Still, she added, "...""; ""...," he said,
    adding ...": 23 times in 37 on PolNeAR train), unless they hold the clause's subject ("The
    ferry, she said, "will run ..."": both sides, 5 times in 5)."""
    if tree.is_root(attribution):
        return None, None
    doc = r.doc
    first, last = attribution.head.left_edge, attribution.head.right_edge
    inner_first, inner_last = attribution.left_edge, attribution.right_edge
    before = r.span_of(first, doc[inner_first.i - 1]) if inner_first.i > first.i else None
    after = r.span_of(doc[inner_last.i + 1], last) if inner_last.i < last.i else None
    if before is not None and all(_joining(t) for t in doc[first.i:inner_first.i]):
        before = None
    if before is None or after is None:
        return before or after, None
    quoted, writers = (before, after) if _quotation(r, before) else (after, before)
    if _quotation(r, quoted) and not _quotation(r, writers) and not _holds_subject(attribution.head, writers):
        return quoted, None
    return (before[0], after[1]), (before[1], after[0])


def _joining(token: Token) -> bool:
    """A word that joins the clause to the sentence around it ("But", "that", "which"), no part of
    what was said."""
    return token.is_punct or token.dep_ in ("cc", "mark") or token.tag_ == "WDT"


def _holds_subject(clause: Token, span: tuple[int, int]) -> bool:
    found = tree.subject(clause)
    return found is not None and span[0] <= found.idx < span[1]


def _quotation(r: Reading, span: tuple[int, int]) -> bool:
    """Whether the words are all inside one pair of quote marks."""
    return tree.inside(r.quoted, *span)


def adverbial_content(r: Reading, verb: Token) -> tuple[int, int] | None:
    """"asked if he was bullied", "noting that he had trailed" parsed as an adverbial clause."""
    for child in verb.children:
        if child.dep_ == "advcl" and child.i > verb.i and any(
                mark.dep_ == "mark" and mark.lower_ in CONTENT_MARKS for mark in child.children):
            return clause_span(r, child, verb)
    return None


def clause_in_phrase(r: Reading, verb: Token) -> list[Token]:
    """The verb's content clause, which the parser hung as a relative clause on the noun of one of
    the verb's prepositional phrases ("told employees in a memo [that layoffs were coming]",
    "told reporters after the talks [that the leaders had agreed on a plan]"): a clause right
    after the noun, opened by "that", with a subject of its own. It is taken
    - after the document of an "in" phrase;
    - after the verb, when the verb told its hearer ("told analysts on a call [that margins would
      improve]"), or when the verb has no object and the "that" can be no relative pronoun
      ("spoke after the conference [that the group organized]" is the noun's).
    (A noun's own clause, "in a statement [that ...]" parsed as its complement, is the speech noun
    rules'.)"""
    has_object = tree.child_with(verb, "dobj") is not None
    told = has_object and r.lex.listed("addressee_verbs", r.lex.verb_lemma(verb.lower_) or "")
    for prep in verb.children:
        noun = _prep_object(prep) if prep.dep_ == "prep" else None
        if noun is None:
            continue
        in_document = prep.lower_ == "in" and is_document_word(r.lex, noun.lower_)
        if not (in_document or prep.i > verb.i and (told or not has_object)):
            continue
        for clause in noun.children:
            if clause.dep_ == "relcl" and clause.left_edge.i == noun.i + 1 \
                    and clause.left_edge.lower_ == "that" and tree.child_with(clause, "nsubj") is not None \
                    and (in_document or told or _that_is_no_relative(clause)):
                return [clause]
    return []


def _that_is_no_relative(clause: Token) -> bool:
    """A mark, or an object where the clause's verb has an object or clause of its own, or its
    preposition right after it has one that is no time ("had agreed [on a plan]"; not "raised
    [since last summer]")."""
    that, subject = clause.left_edge, tree.child_with(clause, "nsubj")
    if subject.i == that.i:
        return False
    if that.dep_ == "mark":
        return True
    return that.dep_ == "dobj" and any(child.i != that.i and child.dep_ in ("dobj", "ccomp", "xcomp")
                                       or child.i == clause.i + 1 and _untimed_object(child)
                                       for child in clause.children)


def _untimed_object(prep: Token) -> bool:
    noun = _prep_object(prep) if prep.dep_ == "prep" else None
    return noun is not None and not tree.is_time(noun)


def any_clause_content(r: Reading, verb: Token, skip: Token | None = None) -> tuple[int, int] | None:
    """A clause child, else the sentence the cue interrupts, else an adverbial content clause."""
    clauses = clause_children(verb, skip)
    if clauses:
        return clause_content(r, verb, clauses)
    if interrupts(verb):
        return interrupted_content(r, verb)
    return adverbial_content(r, verb)


def object_content(r: Reading, verb: Token,
                   preps: frozenset[str] = OBJECT_CONTENT_PREPS) -> tuple[int, int] | None:
    """The direct object as content ("criticized the decision"; "called the pact 'insanity'":
    object and predicate together)."""
    first = last = None
    for child in verb.children:
        if child.dep_ in OBJECT_CONTENT_DEPS:
            if child.lower_ in RELATIVE_PRONOUNS:
                return None   # "whom he attacked": the object is in another clause
            if first is None or child.left_edge.i < first.i:
                first = child.left_edge
            if last is None or child.right_edge.i > last.i:
                last = child.right_edge
    if first is None:
        return None
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in preps and child.i > last.i:
            last = child.right_edge
    return r.span_of(first, last)


def passive_object_content(r: Reading, verb: Token) -> tuple[int, int] | None:
    """"The merger was confirmed by the board": the passive subject is what was said, when the
    passive names who said it ("no injuries were reported" reports no one's words)."""
    found = tree.subject(verb)
    if found is None or found.dep_ != "nsubjpass" or found.lower_ in RELATIVE_PRONOUNS \
            or tree.agent(verb) is None:
        return None
    span = tree.noun_phrase(found)
    return tree.trim(r.text, span.start_char, span.end_char) if span is not None else None


def has_object_predicate(verb: Token) -> bool:
    """"called him divisive", "labeled the plan a disaster": an object and what it was called."""
    deps = {child.dep_ for child in verb.children}
    return "dobj" in deps and "oprd" in deps and verb.dep_ not in NOUN_MODIFIER_CLAUSE_DEPS


def holds_quoted_words(text: str) -> bool:
    """Whether text has words in double quote marks (its ends may be trimmed: one mark will do)."""
    return any(mark in text for mark in DOUBLE_QUOTE_MARKS)


def prep_content(r: Reading, verb: Token, prep: Token) -> tuple[int, int] | None:
    """The offsets of a cue preposition's object: "called for [a ceasefire]"."""
    doc = r.doc
    for grandchild in prep.children:
        if grandchild.dep_ in ("pobj", "pcomp"):
            last = grandchild.right_edge
            # "called on the mayor to apologize": the demand runs on to the infinitive
            for clause in verb.children:
                if clause.dep_ == "xcomp" and clause.i > last.i:
                    last = clause.right_edge
            # a parse running on into the next sentence ("referring to Cruz. "…"") stops
            last = next((doc[i - 1] for i in range(grandchild.i + 1, last.i + 1)
                         if doc[i].text in SENTENCE_END_MARKS), last)
            return r.span_of(grandchild.left_edge, last)
    return None


def _that_clause(token: Token, after: int) -> Token | None:
    return next((c for c in token.children if c.dep_ in NOUN_COMPLEMENT_CLAUSE_DEPS and c.i > after
                 and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)


def _prep_object(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)


def noun_complement(noun: Token) -> tuple[Token | None, Token] | None:
    """(preposition or None, content head) of an object noun's own complement: "concern [that
    ...]", "support for [the bill]", also when the parse hangs it on the verb right after the noun
    ("expressed misgivings [about X]" with "about" a child of "expressed")."""
    verb = noun.head
    for owner, after in ((noun, noun.i), (verb, noun.right_edge.i)):
        clause = _that_clause(owner, after)
        if clause is not None:
            return None, clause
        for prep in owner.children:
            if prep.dep_ == "prep" and prep.lower_ in NOUN_COMPLEMENT_PREPS and prep.i > after \
                    and (owner is noun or prep.i == after + 1) and (head := _prep_object(prep)) is not None:
                return prep, head
    return None


def object_noun_parts(r: Reading, noun: Token, lemma: str) -> tuple[Cue, tuple[int, int] | None] | None:
    """(cue, content) of a verb's object noun with a complement of its own: the cue runs from the
    verb through the noun and its preposition ("expressed concern about", "took aim at"), the
    content is the complement."""
    found = noun_complement(noun)
    if found is None:
        return None
    prep, head = found
    return r.token_cue(noun, lemma, prep), r.span_of(head.left_edge, head.right_edge)
