"""The reporting-cue lexicon, loaded from service/nlp/data."""
from spacy.tokens import Doc
from spacy.vocab import Vocab

from service.nlp import cues


def test_verb_forms_map_to_their_lemma():
    assert cues.verb_lemma("said") == "say"
    assert cues.verb_lemma("Says") == "say"
    assert cues.verb_lemma("told") == "tell"
    assert cues.verb_lemma("insisted") == "insist"
    assert cues.verb_lemma("confirmed") == "confirm"
    assert cues.verb_lemma("quoted") == "quote"
    assert cues.verb_lemma("learned") == "learn"
    assert cues.verb_lemma("table") is None


def test_verb_kinds():
    assert cues.verb_kind("say") == cues.SPEECH
    assert cues.verb_kind("add") == cues.SPEECH
    assert cues.verb_kind("believe") == cues.BELIEF
    assert cues.verb_kind("show") == cues.BELIEF
    assert cues.verb_kind("quote") == cues.QUOTING
    assert cues.verb_kind("cite") == cues.QUOTING
    assert cues.verb_kind("deny") == cues.SPEECH
    assert cues.verb_kind("endorse") == cues.OBJECT
    assert cues.verb_kind(None) is None


def test_every_data_line_is_used_and_forms_are_lower_case():
    lexicon = cues.lexicon()
    assert all(form == form.lower() for form in lexicon.verb_lemmas)
    # every lemma is one of its own forms
    assert all(lexicon.verb_lemmas[lemma] == lemma for lemma in lexicon.verb_kinds)
    assert ("according", "to") in lexicon.source_phrases
    assert "deny" in lexicon.object_lemmas and "criticize" in lexicon.object_lemmas
    assert "support" not in lexicon.object_lemmas  # backing is an act, not a statement
    assert "show" in lexicon.evidence_object_lemmas and "poll" in lexicon.evidence_nouns
    assert lexicon.verb_lemmas["slammed"] == "slam"
    assert lexicon.nominal_cues["claims"] == "claim" and "issued" in lexicon.issuing_verbs
    assert "call" in lexicon.quoted_object_lemmas and "call" not in lexicon.object_lemmas
    assert lexicon.prep_cues["called"] == ("call", frozenset({"for", "on"}))
    assert "talked" not in lexicon.prep_cues  # a topic is not what was said


def test_known_agencies_by_alias_give_the_canonical_name():
    assert cues.known_agency("Interfax news agency")[0] == "Interfax"
    assert cues.known_agency("Russia's RIA news agency")[0] == "RIA Novosti"
    assert cues.known_agency("ITAR-TASS")[0] == "TASS"
    assert cues.known_agency("the AP")[0] == "Associated Press"


def test_short_aliases_match_only_as_written():
    assert cues.known_agency("we had a nap") is None
    assert cues.known_agency("a map of the ap region") is None


def test_unknown_agency_is_recognised_by_pattern():
    assert cues.agency_name_from_words("the Zorgon news agency".split()) == "Zorgon"
    assert cues.agency_name_from_words("the state-run Borealis Press agency".split()) == "Borealis"
    assert cues.agency_name_from_words("the agency Abc Def".split()) == "Abc Def"
    assert cues.agency_name_from_words("the minister".split()) is None


def test_cue_and_agency_records_keep_exact_offsets():
    text = "Bogdanov said, quoted by the Zorgon news agency."
    doc = Doc(Vocab(), words=text.replace(",", " ,").replace(".", " .").split())
    cue = cues.cue_record(doc.text, 9, 13, "say")
    assert (cue.text, cue.lemma) == (doc.text[9:13], "say") and cue.text == "said"
    start = doc.text.index("the Zorgon")
    end = doc.text.index(" .")
    agency = cues.agency_record(doc.text, start, end)
    assert agency.name == "Zorgon" and agency.text == doc.text[start:end] == "the Zorgon news agency"
    assert cues.agency_record(doc.text, 0, 8) is None  # "Bogdanov" is no agency


def test_every_module_loads_its_language_data_through_a_public_function():
    from service.nlp import component, frames, names, quotemarks
    for module in (cues, frames, names, quotemarks):
        assert callable(module.load_data)
    component.load_language_data()
    assert cues.lexicon.cache_info().currsize == 1
    assert names.title_words.cache_info().currsize == 1
    assert quotemarks.elisions.cache_info().currsize == 1
