"""Canonical speaker names from mentions, on the real spaCy model."""
import pytest

from service.nlp.names import NameIndex, resolve

ARTICLE = (
    "Russian Deputy Foreign Minister Mikhail Bogdanov met Iranian envoys in Moscow. "
    "Bogdanov said the talks went well. Russia's deputy foreign minister said Monday that more "
    "talks would follow. The minister said nothing about Syria. He said the date was open. "
    "A senior State Department official said Washington was wary. Syrian opposition sources said "
    "the coalition would attend. Interfax said the meeting lasted two hours. "
    "U.N. envoy Staffan de Mistura said De Mistura would travel."
)


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(ARTICLE)


def mention(doc, text, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(text, start + 1)
    span = doc.char_span(start, start + len(text))
    assert span is not None, text
    return span


def test_surname_resolves_to_the_full_name_and_title(doc):
    speaker = resolve(NameIndex(doc), mention(doc, "Bogdanov", 1))
    assert speaker.name == "Mikhail Bogdanov"
    assert speaker.kind == "person"
    assert speaker.title == "Russian Deputy Foreign Minister"
    assert (speaker.text, doc.text[speaker.start:speaker.end]) == ("Bogdanov", "Bogdanov")


def test_description_by_title_resolves_to_the_person(doc):
    index = NameIndex(doc)
    assert resolve(index, mention(doc, "Russia's deputy foreign minister")).name == "Mikhail Bogdanov"
    assert resolve(index, mention(doc, "The minister")).name == "Mikhail Bogdanov"


def test_pronoun_takes_the_previous_person_speaker(doc):
    index = NameIndex(doc)
    previous = resolve(index, mention(doc, "Bogdanov", 1))
    speaker = resolve(index, mention(doc, "He"), previous)
    assert speaker.name == "Mikhail Bogdanov" and speaker.text == "He"


def test_unnamed_sources_are_anonymous(doc):
    index = NameIndex(doc)
    official = resolve(index, mention(doc, "A senior State Department official"))
    assert official.kind == "anonymous" and official.name == "A senior State Department official"
    assert resolve(index, mention(doc, "Syrian opposition sources")).kind == "anonymous"


def test_lone_agency_or_place_is_an_organization(doc):
    assert resolve(NameIndex(doc), mention(doc, "Interfax")).kind == "organization"
    assert resolve(NameIndex(doc), mention(doc, "Washington")).kind == "organization"


def test_lone_unknown_surname_is_a_person(nlp):
    doc = nlp('"We have named the participants," Bogdanov told RIA Novosti.')
    speaker = resolve(NameIndex(doc), mention(doc, "Bogdanov"))
    assert (speaker.name, speaker.kind) == ("Bogdanov", "person")


def test_short_form_of_a_longer_name_takes_the_longer_one(doc):
    assert resolve(NameIndex(doc), mention(doc, "De Mistura")).name == "Staffan de Mistura"


def test_place_before_a_name_is_not_part_of_it(nlp):
    doc = nlp("Afghan Ambassador to the United States Hamdullah Mohib spoke. Later Mohib left.")
    assert resolve(NameIndex(doc), mention(doc, "Mohib", 1)).name == "Hamdullah Mohib"


def test_relative_pronoun_is_named_by_its_antecedent(nlp):
    doc = nlp("Later that day Deputy Mayor Lena Ortiz, who chairs the panel, said the vote would wait.")
    who = mention(doc, "who")
    speaker = resolve(NameIndex(doc), who)
    assert speaker.name == "Lena Ortiz" and speaker.kind == "person"
    assert (speaker.text, speaker.start) == ("who", who.start_char)
    # "that" introducing an object clause is no relative pronoun
    doc = nlp("She said that the vote would wait.")
    assert resolve(NameIndex(doc), mention(doc, "that")).text == "that"
