"""The lexicon: the engine's language data, loaded from service/nlp/data."""
import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from service.nlp import lexicon as cues
from service.nlp.frame_parts import Reading

LEX = cues.Lexicon.from_dir()


def test_verb_forms_map_to_their_lemma():
    assert LEX.verb_lemma("said") == "say"
    assert LEX.verb_lemma("Says") == "say"
    assert LEX.verb_lemma("told") == "tell"
    assert LEX.verb_lemma("insisted") == "insist"
    assert LEX.verb_lemma("confirmed") == "confirm"
    assert LEX.verb_lemma("quoted") == "quote"
    assert LEX.verb_lemma("learned") == "learn"
    assert LEX.verb_lemma("table") is None


def test_cue_kinds_know_the_forms_of_words_no_verb_list_has():
    # the learned layer's cues have no lemma: every form of a cue_kinds.txt line has its kind
    for form in ("support", "supported", "supporting"):
        assert LEX.cue_kind(form) == "stance"
    assert [LEX.cue_kind(w) for w in ("voted", "signs", "referring", "sees", "tried")] == \
        ["action", "action", "speech", "thought", "intention"]
    assert LEX.cue_kind("plan") == "intention"      # an intention verb's lemma, as before
    assert LEX.cue_kind("table") is None


def test_verb_kinds():
    assert LEX.verb_kind("say") == cues.SPEECH
    assert LEX.verb_kind("add") == cues.SPEECH
    assert LEX.verb_kind("believe") == cues.BELIEF
    assert LEX.verb_kind("show") == cues.BELIEF
    assert LEX.verb_kind("quote") == cues.QUOTING
    assert LEX.verb_kind("cite") == cues.QUOTING
    assert LEX.verb_kind("deny") == cues.SPEECH
    assert LEX.verb_kind("endorse") == cues.OBJECT
    assert LEX.verb_kind(None) is None


def test_every_data_line_is_used_and_forms_are_lower_case():
    lexicon = LEX
    assert all(form == form.lower() for form in lexicon.verb_lemmas)
    # every lemma is one of its own forms
    assert all(lexicon.verb_lemmas[lemma] == lemma for lemma in lexicon.verb_kinds)
    assert "deny" in lexicon.object_lemmas and "criticize" in lexicon.object_lemmas
    assert "support" not in lexicon.object_lemmas  # backing is an act, not a statement
    assert "show" in lexicon.evidence_object_lemmas and "poll" in lexicon.evidence_nouns
    assert lexicon.verb_lemmas["slammed"] == "slam"
    assert lexicon.nominal_cues["claims"] == "claim" and "issued" in lexicon.issuing_verbs
    assert "call" in lexicon.quoted_object_lemmas and "call" not in lexicon.object_lemmas
    assert lexicon.prep_cues["called"] == ("call", frozenset({"for", "on"}))
    assert "talked" not in lexicon.prep_cues  # a topic is not what was said


def test_known_agencies_by_alias_give_the_canonical_name():
    assert LEX.known_agency("Interfax news agency")[0] == "Interfax"
    assert LEX.known_agency("Russia's RIA news agency")[0] == "RIA Novosti"
    assert LEX.known_agency("ITAR-TASS")[0] == "TASS"
    assert LEX.known_agency("the AP")[0] == "Associated Press"


def test_short_aliases_match_only_as_written():
    assert LEX.known_agency("we had a nap") is None
    assert LEX.known_agency("a map of the ap region") is None


def test_unknown_agency_is_recognised_by_pattern():
    assert LEX.agency_name_from_words("the Zorgon news agency".split()) == "Zorgon"
    assert LEX.agency_name_from_words("the state-run Borealis Press agency".split()) == "Borealis"
    assert LEX.agency_name_from_words("the agency Abc Def".split()) == "Abc Def"
    assert LEX.agency_name_from_words("the minister".split()) is None
    assert LEX.agency_name_from_words("The news agency".split()) is None   # "The" is no name


@pytest.mark.parametrize("phrase, name", [
    ("the Kommersant newspaper", "Kommersant"),
    ("the newspaper Vedomosti", "Vedomosti"),
    ("The Harbour Gazette", "Harbour Gazette"),
    ("the Springfield Herald", "Springfield Herald"),
    ("Chinese state television", "Chinese state television"),
    ("a local newspaper", None),      # an outlet with no name
    ("the Times", None),              # a masthead word alone is too often something else
    ("the post", None),
])
def test_unknown_outlets_are_recognised_by_pattern(phrase, name):
    assert LEX.agency_name_from_words(phrase.split()) == name


def test_cue_and_agency_records_keep_exact_offsets():
    text = "Bogdanov said, quoted by the Zorgon news agency."
    doc = Doc(Vocab(), words=text.replace(",", " ,").replace(".", " .").split())
    cue = Reading(doc, doc.text, LEX).cue(9, 13, "say")
    assert (cue.text, cue.lemma) == (doc.text[9:13], "say") and cue.text == "said"
    start = doc.text.index("the Zorgon")
    end = doc.text.index(" .")
    agency = LEX.agency_record(doc.text, start, end)
    assert agency.name == "Zorgon" and agency.text == doc.text[start:end] == "the Zorgon news agency"
    assert LEX.agency_record(doc.text, 0, 8) is None  # "Bogdanov" is no agency


def test_the_lexicon_is_read_from_its_folder_and_written_back_whole(tmp_path):
    LEX.to_dir(tmp_path)
    again = cues.Lexicon.from_dir(tmp_path)
    assert again.verb_lemmas == LEX.verb_lemmas and again.titles == LEX.titles
    assert again.words == LEX.words and again.kinds == LEX.kinds
    (tmp_path / "reporting_verbs.txt").write_text("zorble zorbles zorbled\n", encoding="utf-8")
    changed = cues.Lexicon.from_dir(tmp_path)
    assert changed.verb_lemma("zorbled") == "zorble" and changed.verb_lemma("said") is None


def test_agency_lookup_case_folds_consistently():
    # lower-casing "İ" gives two characters: the lookup must not fail on it
    assert LEX.known_agency("İRNA said") is None
    assert LEX.known_agency("Reuterſ reported") == ("Reuters", 0, 7)
