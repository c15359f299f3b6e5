"""The seed articles: every row of DESIGN.md's table, plus the indirect quotes in them."""
import pytest

from service.nlp import extract

# (seed, words inside the quote, type, speaker name, cue text, cue lemma, agency, addressee)
TABLE = [
    ("000", "We regard Iran as a very important partner", "direct", "Mikhail Bogdanov",
     "quoted", "quote", "Interfax", None),
    ("000", "will give us an opportunity to jointly look", "mixed", "Mikhail Bogdanov",
     "said", "say", None, None),
    ("000", "(U.S. Secretary of State John) Kerry and I promised", "direct", "Sergei Lavrov",
     "told", "tell", None, "Russia's official gazette, Rossiiskaya Gazeta"),
    ("000", "depend on how well our Western partners", "mixed", "Sergei Lavrov",
     "added", "add", None, None),
    ("000", "They did not refuse to come to Moscow", "direct", "Sergei Lavrov",
     "told", "tell", None, "a news conference"),
    ("003", "be pushed forward to October after the UN General Assembly", "mixed",
     "Mikhail Bogdanov", "said", "say", "RIA Novosti", None),
    ("003", "We have named the participants", "direct", "Mikhail Bogdanov",
     "said", "say", None, None),
    ("003", "desire to work together", "mixed", "Sergei Lavrov", "said", "say", None, None),
    ("003", "I think today everyone has accepted", "direct", "Hassan Rouhani",
     "told", "tell", None, "CNN"),
]

INDIRECT = [
    ("000", "it could happen before the end of the year", "Sergei Lavrov", "say"),
    ("000", "Saudi Arabia - a staunch opponent of Assad - had probably pressured Jarba",
     "Afaq Ahmad", "say"),
    ("000", "insufficient funding and unspecified actions", "Riad Haddad", "quote"),
]

CONTINUED = [  # quote paragraphs with no cue of their own: the previous speaker's
    ("003", "The level hasn't been decided yet", "Mikhail Bogdanov"),
    ("003", "We've got a long way to go in that conversation", "a senior State Department official"),
    ("003", "as quickly as possible", "Mikhail Bogdanov"),
]


@pytest.fixture(scope="module")
def results(nlp, seeds):
    return dict(zip(seeds, extract(nlp, seeds.values())))


def the_quote(results, seed, words, quoted=True):
    """The one quote holding these words: quoted (direct/mixed) or indirect. (A nested report
    like "Russia wants ..." inside "... he added" may hold the same words as an indirect quote.)"""
    found = [q for q in results[seed]["quotes"]
             if words in q["text"] and (q["type"] != "indirect") == quoted]
    assert len(found) == 1, f"{words!r}: {[(q['type'], q['text'][:40]) for q in found]}"
    return found[0]


@pytest.mark.parametrize("seed,words,qtype,speaker,cue,lemma,agency,addressee", TABLE,
                         ids=[row[1][:30] for row in TABLE])
def test_design_table_row(results, seeds, seed, words, qtype, speaker, cue, lemma, agency, addressee):
    quote = the_quote(results, seed, words)
    text = seeds[seed]
    assert quote["type"] == qtype
    assert text[quote["start"]:quote["end"]] == quote["text"]
    assert quote["speaker"]["name"] == speaker
    assert quote["cue"]["text"] == cue and quote["cue"]["lemma"] == lemma
    assert text[quote["cue"]["start"]:quote["cue"]["end"]] == cue
    assert (quote["agency"] or {}).get("name") == agency
    assert (quote["addressee"] or {}).get("text") == addressee
    assert quote["confidence"] >= 0.8


@pytest.mark.parametrize("seed,words,speaker,lemma", INDIRECT, ids=[row[2] for row in INDIRECT])
def test_indirect_quotes(results, seed, words, speaker, lemma):
    quote = the_quote(results, seed, words, quoted=False)
    assert quote["type"] == "indirect"
    assert quote["speaker"]["name"] == speaker
    assert quote["cue"]["lemma"] == lemma


@pytest.mark.parametrize("seed,words,speaker", CONTINUED, ids=[row[2] for row in CONTINUED])
def test_unattributed_paragraphs_continue_the_previous_speaker(results, seed, words, speaker):
    assert the_quote(results, seed, words)["speaker"]["name"] == speaker


def test_scare_quote_and_headlines_are_not_attributed_quotes(results, seeds):
    for seed, result in results.items():
        headline_end = seeds[seed].index("\n")
        for quote in result["quotes"]:
            assert not quote["text"].startswith("HOMEWORK")
            assert quote["start"] > headline_end
    assert not [q for q in results["003"]["quotes"] if q["text"] == "Long way to go"]


def test_speaker_roster_lists_each_speaker_once_with_title(results):
    roster = {s["name"]: s for s in results["000"]["speakers"]}
    assert roster["Mikhail Bogdanov"]["title"] == "Russian Deputy Foreign Minister"
    assert roster["Mikhail Bogdanov"]["kind"] == "person"
    assert len(roster["Sergei Lavrov"]["quotes"]) >= 4
    ids = [qid for s in results["000"]["speakers"] for qid in s["quotes"]]
    assert len(ids) == len(set(ids))


NOT_REPORTED_SPEECH = [  # (speaker, cue) pairs that are events, not reported speech (lead, 09:42)
    ("Vladimir Putin", "called"), ("Vladimir Putin", "discuss"), ("Russia", "backs"),
    (None, "push for"), ("Sergei Lavrov", "referring to"),
]


@pytest.mark.parametrize("speaker,cue", NOT_REPORTED_SPEECH, ids=[c for _, c in NOT_REPORTED_SPEECH])
def test_events_are_not_quotes_of_the_rules(results, speaker, cue):
    """No rule reports them. The learned layer may (PolNeAR, which it learns from, counts acts and
    what they were about, and issue 13 asks for such attributions labelled rather than dropped),
    but never with a rule's confidence."""
    found = [q for q in results["000"]["quotes"]
             if (q["cue"] or {}).get("text") == cue and (q["speaker"] or {}).get("name") == speaker]
    assert all(q["rule"].startswith("model") and q["confidence"] < 0.7 for q in found), found


def speaker_of(results, seed, words):
    found = [q for q in results[seed]["quotes"] if words in q["text"]]
    assert found, words
    return found[0]["speaker"], found[0]["confidence"]


def test_speaker_mentions_are_noun_phrases_without_a_leading_conjunction(results):
    speaker, _ = speaker_of(results, "000", "depend on how well our Western partners")
    assert speaker["text"] == "Lavrov"          # the article writes "But Lavrov added"
    for seed, result in results.items():
        for quote in result["quotes"]:
            mention = (quote["speaker"] or {}).get("text") or ""
            assert mention.split(" ")[0] not in ("But", "And", "Yet", "So", "and", "but")
            assert " and pushing " not in mention


def test_countries_speak_as_organizations(results):
    speaker, _ = speaker_of(results, "003", "manoeuvring in Syria")
    assert (speaker["name"], speaker["text"], speaker["kind"]) == ("US", "the US", "organization")


def test_coordinated_speakers_share_one_joint_name(results):
    speaker, _ = speaker_of(results, "000", "they would try to bring Syria's government")
    assert speaker["name"] == "Russia and the United States" and speaker["kind"] == "group"
    # the source as written: the whole coordinated phrase, its relative clause too
    assert speaker["text"].startswith("Russia, which") and speaker["text"].endswith("and the United States")
    roster = {s["name"] for s in results["000"]["speakers"]}
    assert "Russia and the United States" in roster


def test_words_others_are_pushed_to_say_are_low_confidence(results):
    speaker, confidence = speaker_of(results, "003", "could cling to power")
    assert speaker["text"] == "reluctant world leaders"
    assert confidence < 0.5


def test_by_clause_speaker_is_the_subject_of_the_governing_verb(results):
    speaker, _ = speaker_of(results, "003", "their officers will work together in Baghdad")
    assert speaker["name"] == "Russia"


def test_pronoun_speaker_is_not_the_person_named_in_the_quote(results):
    speaker, _ = speaker_of(results, "003", "very important to work in conjunction with the United Nations")
    assert speaker["name"] == "Mikhail Bogdanov"


def test_titles_from_the_article(results):
    roster = {s["name"]: s for s in results["003"]["speakers"]}
    assert roster["Staffan de Mistura"]["title"] == "UN envoy on Syria"
    roster = {s["name"]: s for s in results["000"]["speakers"]}
    assert roster["Ahmad Jarba"]["title"] == "coalition head"


def test_unnamed_speakers_are_named_without_a_capitalised_determiner(results):
    speaker, _ = speaker_of(results, "000", "the discussions had included opening humanitarian")
    assert (speaker["name"], speaker["text"]) == ("the Syrian sources", "The Syrian sources")
