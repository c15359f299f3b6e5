"""Who speaks, on parses the tagger gets wrong in real articles: tree.subject for a verb given two
subjects, frame_parts.source_token for a participle hung on the wrong word. The
parses are written out by hand (spaCy Docs with set heads and labels) so that each test holds
the misparse it is about, whatever the statistical model does with the sentence today."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from service.nlp import tree
from service.nlp.frame_parts import name_after_quotation, name_before, source_token, speaker_token
from service.nlp.lexicon import Lexicon

LEX = Lexicon.from_dir()


VOCAB = spacy.blank("en").vocab   # English lexical attributes (is_punct ...), no statistical model


def parsed(rows: list[tuple[str, str, str, str, int]], glued: tuple[int, ...] = (),
           ents: list[str] | None = None) -> Doc:
    """A Doc from (word, pos, tag, dep, head index) rows; the words at `glued` have no space after;
    `ents` gives each word's entity tag ("B-DATE", "O"), when given."""
    words, pos, tags, deps, heads = zip(*rows)
    spaces = [i not in glued for i in range(len(words))]
    return Doc(VOCAB, words=list(words), spaces=spaces, pos=list(pos), tags=list(tags), deps=list(deps),
               heads=list(heads), ents=ents)


def verb_of(doc: Doc, word: str):
    return next(t for t in doc if t.text == word)


# (why, parse rows, the verb, its speaking subject)
SUBJECT_CASES = [
    ("a label before a colon gives way to the subject next to the verb",
     [("The", "DET", "DT", "det", 1), ("Latest", "ADJ", "JJS", "nsubj", 4), (":", "PUNCT", ":", "punct", 4),
      ("Okafor", "PROPN", "NNP", "nsubj", 4), ("urges", "VERB", "VBZ", "ROOT", 4),
      ("voters", "NOUN", "NNS", "dobj", 4), ("to", "PART", "TO", "aux", 7), ("vote", "VERB", "VB", "xcomp", 4),
      (".", "PUNCT", ".", "punct", 4)], "urges", "Okafor"),
    ("a relative pronoun parsed as a second subject gives way",
     [("the", "DET", "DT", "det", 1), ("authority", "NOUN", "NN", "ROOT", 1), (",", "PUNCT", ",", "punct", 1),
      ("whom", "PRON", "WP", "nsubj", 6), ("many", "ADJ", "JJ", "amod", 5),
      ("dockers", "NOUN", "NNS", "nsubj", 6), ("believed", "VERB", "VBD", "relcl", 1),
      ("was", "AUX", "VBD", "aux", 8), ("hiding", "VERB", "VBG", "ccomp", 6), ("losses", "NOUN", "NNS", "dobj", 8)],
     "believed", "dockers"),
    ("a name right after a noun is the subject of a reduced relative clause",
     [("a", "DET", "DT", "det", 1), ("defeat", "NOUN", "NN", "nsubj", 4), ("President", "PROPN", "NNP", "compound", 3),
      ("Okafor", "PROPN", "NNP", "nsubj", 4), ("believes", "VERB", "VBZ", "ROOT", 4),
      ("to", "PART", "TO", "aux", 6), ("be", "AUX", "VB", "xcomp", 4), ("the", "DET", "DT", "det", 8),
      ("worst", "ADJ", "JJS", "attr", 6)], "believes", "Okafor"),
    ("a title and name around one comma are one speaker: the first subject stays",
     [("Malaysia", "PROPN", "NNP", "poss", 3), ("'s", "PART", "POS", "case", 0), ("Prime", "PROPN", "NNP", "compound", 3),
      ("Minister", "PROPN", "NNP", "nsubj", 7), (",", "PUNCT", ",", "punct", 3), ("Najib", "PROPN", "NNP", "compound", 6),
      ("Razak", "PROPN", "NNP", "nsubj", 7), ("said", "VERB", "VBD", "ROOT", 7)], "said", "Minister"),
    ("nouns run together without punctuation keep the first subject",
     [("A", "DET", "DT", "det", 1), ("study", "NOUN", "NN", "nsubj", 5), ("of", "ADP", "IN", "prep", 1),
      ("iodine", "NOUN", "NN", "nsubj", 5), ("status", "NOUN", "NN", "nsubj", 5), ("revealed", "VERB", "VBD", "ROOT", 5),
      ("gaps", "NOUN", "NNS", "dobj", 5)], "revealed", "study"),
    ("a name after a cue a comma opens speaks, not the clause subject the parse hung on it",
     [("The", "DET", "DT", "det", 1), ("levy", "NOUN", "NN", "nsubj", 3), (",", "PUNCT", ",", "punct", 3),
      ("said", "VERB", "VBD", "parataxis", 7), ("Okafor", "PROPN", "NNP", "nsubj", 3), (",", "PUNCT", ",", "punct", 3),
      ("will", "AUX", "MD", "aux", 7), ("pay", "VERB", "VB", "ROOT", 7), ("for", "ADP", "IN", "prep", 7),
      ("roads", "NOUN", "NNS", "pobj", 8)], "said", "Okafor"),
    ("a name after a cue a comma opens, with a phrase of the verb after it, is the verb's object",
     [("Ilse", "PROPN", "NNP", "nsubj", 5), (",", "PUNCT", ",", "punct", 0), ("a", "DET", "DT", "det", 3),
      ("weaver", "NOUN", "NN", "appos", 0), (",", "PUNCT", ",", "punct", 0), ("recalls", "VERB", "VBZ", "ROOT", 5),
      ("Brannoch", "PROPN", "NNP", "nsubj", 5), ("as", "ADP", "IN", "prep", 5), ("a", "DET", "DT", "det", 9),
      ("shepherd", "NOUN", "NN", "pobj", 7)],
     "recalls", "Ilse"),
    ("a later subject with the verb's clause after it is the clause's: the first subject stays",
     [("Okafor", "PROPN", "NNP", "nsubj", 4), (",", "PUNCT", ",", "punct", 0), ("again", "ADV", "RB", "advmod", 4),
      (",", "PUNCT", ",", "punct", 4), ("said", "VERB", "VBD", "ROOT", 4),
      ("levies", "NOUN", "NNS", "nsubj", 4), ("--", "PUNCT", ":", "punct", 4), ("rise", "VERB", "VBP", "ccomp", 4)],
     "said", "Okafor"),
    ("a floating 'both' after an aside repeats the subject: the first stays",
     [("The", "DET", "DT", "det", 1), ("leaders", "NOUN", "NNS", "nsubj", 7), ("—", "PUNCT", ":", "punct", 1),
      ("who", "PRON", "WP", "nsubj", 4), ("struck", "VERB", "VBD", "relcl", 1), ("—", "PUNCT", ":", "punct", 1),
      ("both", "PRON", "DT", "nsubj", 7), ("said", "VERB", "VBD", "ROOT", 7)], "said", "leaders"),
    ("a participle the parser took for a clausal subject gives its own subject",
     [("Riders", "NOUN", "NNS", "nsubj", 1), ("taking", "VERB", "VBG", "csubj", 4), ("the", "DET", "DT", "det", 3),
      ("survey", "NOUN", "NN", "dobj", 1), ("said", "VERB", "VBD", "ROOT", 4)], "said", "Riders"),
    ("a number phrase the parser hung on the verb as a modifier is its subject",
     [("About", "ADV", "RB", "advmod", 1), ("6", "NUM", "CD", "quantmod", 3), ("in", "ADP", "IN", "quantmod", 3),
      ("10", "NUM", "CD", "nummod", 4), ("say", "VERB", "VBP", "ROOT", 4)], "say", "10"),
]


@pytest.mark.parametrize("why, rows, verb, speaker", SUBJECT_CASES, ids=[case[0] for case in SUBJECT_CASES])
def test_the_subject_that_speaks_when_a_verb_has_two(why, rows, verb, speaker):
    assert tree.subject(verb_of(parsed(rows), verb)).text == speaker


def test_a_name_after_a_cue_a_comma_opens_speaks_with_a_time_phrase_after_it():
    rows = [("The", "DET", "DT", "det", 1), ("quota", "NOUN", "NN", "nsubj", 3), (",", "PUNCT", ",", "punct", 3),
            ("said", "VERB", "VBD", "parataxis", 9), ("Brannoch", "PROPN", "NNP", "nsubj", 3),
            ("on", "ADP", "IN", "prep", 3), ("Tuesday", "PROPN", "NNP", "pobj", 5), (",", "PUNCT", ",", "punct", 3),
            ("will", "AUX", "MD", "aux", 9), ("shrink", "VERB", "VB", "ROOT", 9), ("the", "DET", "DT", "det", 11),
            ("herds", "NOUN", "NNS", "dobj", 9)]
    ents = ["O", "O", "O", "O", "B-PERSON", "O", "B-DATE", "O", "O", "O", "O", "O"]
    said = verb_of(parsed(rows, ents=ents), "said")
    assert tree.subject(said).text == "Brannoch"
    assert tree.inverted_pair(said)[0].text == "quota"


def test_a_participle_after_a_comma_hung_on_a_noun_is_the_clause_subjects_act():
    doc = parsed([("Okafor", "PROPN", "NNP", "nsubj", 1), ("won", "VERB", "VBD", "ROOT", 1), ("the", "DET", "DT", "det", 3),
                  ("runoff", "NOUN", "NN", "dobj", 1), (",", "PUNCT", ",", "punct", 3), ("remarking", "VERB", "VBG", "acl", 3),
                  ("that", "SCONJ", "IN", "mark", 8), ("turnout", "NOUN", "NN", "nsubj", 8), ("rose", "VERB", "VBD", "ccomp", 5)])
    assert source_token(LEX, verb_of(doc, "remarking")).text == "Okafor"


def test_a_participle_without_a_comma_still_belongs_to_its_noun():
    doc = parsed([("Okafor", "PROPN", "NNP", "nsubj", 1), ("sent", "VERB", "VBD", "ROOT", 1), ("a", "DET", "DT", "det", 3),
                  ("letter", "NOUN", "NN", "dobj", 1), ("alleging", "VERB", "VBG", "acl", 3),
                  ("that", "SCONJ", "IN", "mark", 7), ("votes", "NOUN", "NNS", "nsubj", 7), ("vanished", "VERB", "VBD", "ccomp", 4)])
    assert source_token(LEX, verb_of(doc, "alleging")).text == "letter"


def test_a_plural_possessive_apostrophe_is_no_quote_mark():
    doc = parsed([("Okafor", "PROPN", "NNP", "nsubj", 1), ("praised", "VERB", "VBD", "ROOT", 1),
                  ("the", "DET", "DT", "det", 3), ("Hendersons", "PROPN", "NNPS", "poss", 5),
                  ("’", "PUNCT", "''", "punct", 3), ("plan", "NOUN", "NN", "dobj", 1)], glued=(3,))
    assert not tree.is_quote_mark(doc[4])
    assert not tree.odd_quotes_between(doc, doc[0], doc[5], 60)


def test_a_closing_mark_after_a_word_ending_in_s_with_punctuation_after_it_still_closes():
    doc = parsed([("“", "PUNCT", "``", "punct", 1), ("Yes", "INTJ", "UH", "ROOT", 1),
                  ("sirs", "NOUN", "NNS", "npadvmod", 1), ("’", "PUNCT", "''", "punct", 1), (",", "PUNCT", ",", "punct", 1)],
                 glued=(0, 2, 3))
    assert tree.is_quote_mark(doc[3])


# '"The budget is not perfect," Gene Okafor, a top adviser, said at events.': the parse hangs the
# speaker inside the quoted clause, as the attribute of "is"
SWALLOWED_SPEAKER = [
    ("“", "PUNCT", "``", "punct", 15), ("The", "DET", "DT", "det", 2), ("budget", "NOUN", "NN", "nsubj", 3),
    ("is", "AUX", "VBZ", "ccomp", 15), ("not", "PART", "RB", "neg", 3), ("perfect", "ADJ", "JJ", "acomp", 3),
    (",", "PUNCT", ",", "punct", 3), ("”", "PUNCT", "''", "punct", 3), ("Gene", "PROPN", "NNP", "compound", 9),
    ("Okafor", "PROPN", "NNP", "attr", 3), (",", "PUNCT", ",", "punct", 9), ("a", "DET", "DT", "det", 13),
    ("top", "ADJ", "JJ", "amod", 13), ("adviser", "NOUN", "NN", "appos", 9), (",", "PUNCT", ",", "punct", 9),
    ("said", "VERB", "VBD", "ROOT", 15), ("at", "ADP", "IN", "prep", 15), ("events", "NOUN", "NNS", "pobj", 16),
    (".", "PUNCT", ".", "punct", 15)]


def test_a_name_the_parse_hung_inside_the_quotation_before_the_cue_speaks():
    doc = parsed(SWALLOWED_SPEAKER)
    said = verb_of(doc, "said")
    assert source_token(LEX, said) is None
    assert speaker_token(LEX, doc, said).text == "Okafor"
    assert name_after_quotation(said).text == "Okafor"


def test_no_name_after_the_quotation_when_the_cue_has_its_own_subject_before_it():
    rows = [("“", "PUNCT", "``", "punct", 5), ("Fine", "ADJ", "JJ", "ROOT", 1), (",", "PUNCT", ",", "punct", 1),
            ("”", "PUNCT", "''", "punct", 1), ("Okafor", "PROPN", "NNP", "nsubj", 5), ("said", "VERB", "VBD", "ccomp", 1)]
    assert name_after_quotation(verb_of(parsed(rows), "said")) is None


def test_a_subject_inside_the_quotation_gives_way_to_the_name_after_it():
    # '"Good reporter, this guy," Okafor, the front-runner, said.': the parse made the quoted
    # noun the subject and hung the speaker on it as an apposition
    doc = parsed([("“", "PUNCT", "``", "punct", 2), ("Good", "ADJ", "JJ", "amod", 2), ("reporter", "NOUN", "NN", "nsubj", 13),
                  (",", "PUNCT", ",", "punct", 2), ("this", "DET", "DT", "det", 5), ("guy", "NOUN", "NN", "appos", 2),
                  (",", "PUNCT", ",", "punct", 2), ("”", "PUNCT", "''", "punct", 2), ("Okafor", "PROPN", "NNP", "appos", 2),
                  (",", "PUNCT", ",", "punct", 8), ("the", "DET", "DT", "det", 11), ("front-runner", "NOUN", "NN", "appos", 8),
                  (",", "PUNCT", ",", "punct", 13), ("said", "VERB", "VBD", "ROOT", 13), (".", "PUNCT", ".", "punct", 13)])
    said = verb_of(doc, "said")
    assert source_token(LEX, said).text == "reporter"
    assert speaker_token(LEX, doc, said).text == "Okafor"


def _announced_back(rows_after: list[tuple[str, str, str, str, int]], ents_after: list[str] | None = None):
    rows = [("Mills", "PROPN", "NNP", "nsubj", 1), ("announced", "VERB", "VBD", "ROOT", 1),
            ("back", "ADP", "RP", "prt", 1)] + rows_after
    ents = ["B-PERSON", "O", "O"] + ents_after if ents_after is not None else None
    return tree.verb_group(verb_of(parsed(rows, ents=ents), "announced"))[1].text


def test_back_opening_a_time_phrase_is_no_particle_of_the_verb_group():
    assert _announced_back([("in", "ADP", "IN", "prep", 1), ("1998", "NUM", "CD", "pobj", 3)]) == "announced"
    assert _announced_back([("then", "ADV", "RB", "advmod", 1)]) == "announced"


def test_back_before_anything_else_stays_the_verbs_particle():
    assert _announced_back([("at", "ADP", "IN", "prep", 1), ("critics", "NOUN", "NNS", "pobj", 3)]) == "back"
    assert _announced_back([("in", "ADP", "IN", "prep", 1), ("a", "DET", "DT", "det", 5),
                            ("letter", "NOUN", "NN", "pobj", 3)]) == "back"


# 'Okafor posted the photo last week, writing "Proud of it."': the parse made the participle the
# subject of the quoted words, so the cue has no subject and the word before it is a when-word
SUBJECTLESS_AFTER_A_WHEN = [
    ("Okafor", "PROPN", "NNP", "nsubj", 1), ("posted", "VERB", "VBD", "ROOT", 1), ("the", "DET", "DT", "det", 3),
    ("photo", "NOUN", "NN", "dobj", 1), ("last", "ADJ", "JJ", "amod", 5), ("week", "NOUN", "NN", "npadvmod", 1),
    (",", "PUNCT", ",", "punct", 1), ("writing", "VERB", "VBG", "nsubj", 9), ("“", "PUNCT", "``", "punct", 9),
    ("Proud", "ADJ", "JJ", "conj", 1)]


def test_a_when_word_before_a_subjectless_cue_is_no_speaker():
    doc = parsed(SUBJECTLESS_AFTER_A_WHEN)
    assert name_before(LEX, doc, verb_of(doc, "writing")) is None
    # the same parse with a noun that is no when-word: it is taken
    rows = [r if r[0] != "week" else ("staff", "NOUN", "NN", "npadvmod", 1) for r in SUBJECTLESS_AFTER_A_WHEN]
    other = parsed(rows)
    assert name_before(LEX, other, verb_of(other, "writing")).text == "staff"
