"""find_frames on small sentences, with the real spaCy model as the engine configures it."""
import random

import pytest

from service.nlp import load_pipeline
from service.nlp.frames import find_frames


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def frames_of(nlp, text):
    doc = nlp(text)
    return doc, find_frames(nlp.get_pipe("quotewire").reading(doc))


def frame_with_cue(frames, cue_text):
    matching = [f for f in frames if f.cue.text == cue_text]
    assert matching, f"no frame with cue {cue_text!r} in {[f.cue.text for f in frames]}"
    return matching[0]


def content_text(doc, frame):
    return None if frame.content is None else doc.text[frame.content[0]:frame.content[1]]


def test_indirect_speech(nlp):
    doc, frames = frames_of(nlp, "Lavrov said it could happen before the end of the year.")
    frame = frame_with_cue(frames, "said")
    assert frame.cue.lemma == "say"
    assert frame.source.text == "Lavrov"
    assert content_text(doc, frame) == "it could happen before the end of the year"
    assert frame.agency is None and frame.addressee is None


def test_inverted_order(nlp):
    doc, frames = frames_of(nlp, '"We will meet again soon," said Lavrov.')
    frame = frame_with_cue(frames, "said")
    assert frame.source.text == "Lavrov"
    assert content_text(doc, frame) == "We will meet again soon"  # quote marks and comma trimmed


def test_appositive_source_is_the_name(nlp):
    _, frames = frames_of(nlp, "Afaq Ahmad, an independent opposition figure, said Saudi Arabia had "
                               "probably pressured Jarba not to attend.")
    assert frame_with_cue(frames, "said").source.text == "Afaq Ahmad"
    _, frames = frames_of(nlp, "Russia's deputy foreign minister, Mikhail Bogdanov, said the talks would go ahead.")
    assert frame_with_cue(frames, "said").source.text == "Mikhail Bogdanov"


def test_passive_was_quoted_as_saying(nlp):
    doc, frames = frames_of(nlp, "Syria's U.N. Ambassador Riad Haddad was quoted as saying that "
                                 "insufficient funding was hampering the drive.")
    frame = frame_with_cue(frames, "was quoted as saying")
    assert frame.cue.lemma == "quote"
    assert frame.source.text.endswith("Riad Haddad")
    assert content_text(doc, frame) == "that insufficient funding was hampering the drive"
    assert not any(f.cue.text == "saying" for f in frames)  # "saying" is part of the quoted frame


def test_agency_quoted_speaker_saying(nlp):
    doc, frames = frames_of(nlp, '"We regard Iran as a very important partner," Interfax news agency '
                                 'quoted Russian Deputy Foreign Minister Mikhail Bogdanov saying.')
    frame = frame_with_cue(frames, "quoted")
    assert frame.cue.lemma == "quote"
    assert frame.source.text == "Russian Deputy Foreign Minister Mikhail Bogdanov"
    assert (frame.agency.name, frame.agency.text) == ("Interfax", "Interfax news agency")
    assert doc.text[frame.agency.start:frame.agency.end] == frame.agency.text
    assert content_text(doc, frame) == "We regard Iran as a very important partner"


def test_said_quoted_by_agency(nlp):
    _, frames = frames_of(nlp, 'A meeting will "be pushed forward to October," deputy foreign minister '
                               'Mikhail Bogdanov said, quoted by RIA Novosti news agency.')
    frame = frame_with_cue(frames, "said")
    assert frame.source.text.endswith("Mikhail Bogdanov")
    assert frame.agency.name == "RIA Novosti"
    assert frame.agency.text == "RIA Novosti news agency"


def test_unknown_agency_by_pattern(nlp):
    _, frames = frames_of(nlp, '"The talks were useful," the Zorgon news agency quoted the minister as saying.')
    frame = frame_with_cue(frames, "quoted")
    assert frame.agency.name == "Zorgon"
    assert frame.source.text == "the minister"


def test_agency_reported_and_according_to_agency(nlp):
    _, frames = frames_of(nlp, "The talks will resume, the minister said, Itar-Tass reported.")
    frame = frame_with_cue(frames, "said")
    assert frame.agency.name == "TASS"
    assert not any(f.cue.text == "reported" for f in frames)
    _, frames = frames_of(nlp, "The minister said the talks would resume, according to Interfax.")
    assert frame_with_cue(frames, "said").agency.name == "Interfax"
    assert not any(f.cue.lemma == "according to" for f in frames)


@pytest.mark.parametrize("sentence, addressee", [
    ('"I think everyone has accepted that Assad must remain," Iranian President Hassan Rouhani told CNN.', "CNN"),
    ('"Kerry and I promised to do all we can," Lavrov told Russia\'s official gazette, Rossiiskaya Gazeta, '
     'on Monday.', "Russia's official gazette, Rossiiskaya Gazeta"),
    ('"They did not refuse to come to Moscow," Lavrov told a news conference.', "a news conference"),
    ("The senator told reporters that the bill would pass.", "reporters"),
])
def test_told_addressee(nlp, sentence, addressee):
    _, frames = frames_of(nlp, sentence)
    frame = frame_with_cue(frames, "told")
    assert frame.cue.lemma == "tell"
    assert frame.addressee.text == addressee
    assert frame.agency is None


def test_told_reuters_is_an_addressee_not_an_agency(nlp):
    doc, frames = frames_of(nlp, "The minister told Reuters that the deal was close.")
    frame = frame_with_cue(frames, "told")
    assert frame.addressee.text == "Reuters"
    assert frame.agency is None
    assert frame.source.text == "The minister"
    assert content_text(doc, frame) == "that the deal was close"


def test_according_to_before_and_after(nlp):
    doc, frames = frames_of(nlp, "According to Afghan Ambassador Hamdullah Mohib, the participation of "
                                 "this team shows progress.")
    frame = frame_with_cue(frames, "According to")
    assert frame.cue.lemma == "according to"
    assert frame.source.text == "Afghan Ambassador Hamdullah Mohib"
    assert content_text(doc, frame) == "the participation of this team shows progress"
    doc, frames = frames_of(nlp, "The economy is improving, according to the central bank.")
    frame = frame_with_cue(frames, "according to")
    assert frame.source.text == "the central bank"
    assert content_text(doc, frame) == "The economy is improving"


def test_colon_introduction_is_a_frame(nlp):
    _, frames = frames_of(nlp, 'Lavrov said: "We will meet."')
    assert frame_with_cue(frames, "said").source.text == "Lavrov"


def test_adding_takes_the_subject_of_the_main_verb(nlp):
    doc, frames = frames_of(nlp, "Bogdanov said the group could meet in October, adding that others "
                                 "could also be invited.")
    frame = frame_with_cue(frames, "adding")
    assert frame.source.text == "Bogdanov"
    assert content_text(doc, frame) == "that others could also be invited"


def test_relative_clause_speaker_is_the_pronoun_named_by_its_noun(nlp):
    # the mention is the relative pronoun (as "he" would be); the speaker's name is the noun's
    _, frames = frames_of(nlp, "Officials, who said the plan was dead, declined to comment.")
    assert frame_with_cue(frames, "said").source.text == "who"
    doc = nlp("The senator met Anna Kowalski, who has long opposed the tax.")
    quote = next(q for q in doc._.quotes if q.cue.text == "opposed")
    assert quote.speaker.name == "Anna Kowalski" and quote.speaker.kind == "person"
    assert quote.speaker.text == "who" and doc.text[quote.speaker.start:quote.speaker.end] == "who"


def test_beliefs_and_evidence_count_with_a_content_clause(nlp):
    doc, frames = frames_of(nlp, "The Post has learned that Clinton was headed to an emergency room.")
    frame = frame_with_cue(frames, "learned")
    assert frame.source.text == "The Post"
    assert content_text(doc, frame) == "that Clinton was headed to an emergency room"
    _, frames = frames_of(nlp, "Polls show that Clinton is leading in Ohio.")
    assert frame_with_cue(frames, "show").source.text == "Polls"
    _, frames = frames_of(nlp, "I know him well.")
    assert frames == []  # a belief verb without a content clause is no attribution


def test_object_content_only_for_what_was_said(nlp):
    doc, frames = frames_of(nlp, "The ministry denied the report on Tuesday.")
    assert content_text(doc, frame_with_cue(frames, "denied")) == "the report"
    doc, frames = frames_of(nlp, 'Trump called the trade pact "insanity" at a rally.')
    assert content_text(doc, frame_with_cue(frames, "called")) == 'the trade pact "insanity'
    doc, frames = frames_of(nlp, "David Axelrod on Wednesday called on Howard Dean to apologize to Donald Trump.")
    assert content_text(doc, frame_with_cue(frames, "called on")) == "Howard Dean to apologize to Donald Trump"
    doc, frames = frames_of(nlp, "Protesters called for a ceasefire.")
    frame = frame_with_cue(frames, "called for")
    assert frame.cue.lemma == "call for"
    assert content_text(doc, frame) == "a ceasefire"
    # events, not speech: a phone call, backing, a topic, an aim
    for sentence in ["Putin called Iran's president on Monday.", "Russia backs Syrian President Bashar al-Assad.",
                     "Sanders talked about the record.", "Moscow wants to show it still has weight.",
                     "Trump continues to build up his delegate lead."]:
        _, frames = frames_of(nlp, sentence)
        assert [f for f in frames if f.content is not None] == [], sentence


def test_stance_verbs_report_their_object(nlp):
    doc, frames = frames_of(nlp, "The senator criticized the new tariffs.")
    frame = frame_with_cue(frames, "criticized")
    assert frame.source.text == "The senator"
    assert content_text(doc, frame) == "the new tariffs"
    doc, frames = frames_of(nlp, "The mayor endorsed Jane Fox for governor.")
    assert content_text(doc, frame_with_cue(frames, "endorsed")) == "Jane Fox for governor"
    # what the object is accused of or described as belongs to the content
    doc, frames = frames_of(nlp, "Ms. Reed accused the council of wasting money.")
    assert content_text(doc, frame_with_cue(frames, "accused")) == "the council of wasting money"
    doc, frames = frames_of(nlp, "The coach described the season as a disaster.")
    assert content_text(doc, frame_with_cue(frames, "described")) == "the season as a disaster"
    # a relative pronoun object stands for a noun in another clause: no content here
    _, frames = frames_of(nlp, "He praised the mayor, whom he attacked last year.")
    assert all(f.content is None for f in frames if f.cue.text == "attacked")


def test_speech_verbs_with_what_was_said_as_object(nlp):
    doc, frames = frames_of(nlp, "A spokesman confirmed the meeting on Tuesday.")
    frame = frame_with_cue(frames, "confirmed")
    assert frame.source.text == "A spokesman"
    assert content_text(doc, frame) == "the meeting"
    doc, frames = frames_of(nlp, "The coach stressed the importance of the final game.")
    assert content_text(doc, frame_with_cue(frames, "stressed")) == "the importance of the final game"
    # "told" takes a hearer as object, not what was said
    _, frames = frames_of(nlp, "She told the reporters nothing.")
    assert frame_with_cue(frames, "told").content is None


def test_prepositional_objects_of_asking_and_commenting(nlp):
    doc, frames = frames_of(nlp, "The judge agreed with the ruling.")
    frame = frame_with_cue(frames, "agreed with")
    assert frame.cue.lemma == "agree with" and frame.source.text == "The judge"
    assert content_text(doc, frame) == "the ruling"
    doc, frames = frames_of(nlp, "She commented on the report during a radio interview.")
    assert content_text(doc, frame_with_cue(frames, "commented on")) == "the report"
    doc, frames = frames_of(nlp, "Asked about the plan, the mayor said it was too early to tell.")
    assert content_text(doc, frame_with_cue(frames, "Asked about")) == "the plan"
    assert content_text(doc, frame_with_cue(frames, "said")) == "it was too early to tell"


def test_a_participle_aside_is_not_part_of_the_reported_clause(nlp):
    doc, frames = frames_of(nlp, "Mr. Cole said the senator should leave the race, echoing a memo from party donors.")
    assert content_text(doc, frame_with_cue(frames, "said")) == "the senator should leave the race"


def test_passive_object_with_a_by_agent(nlp):
    doc, frames = frames_of(nlp, "The new tariff was criticized by the city council.")
    frame = frame_with_cue(frames, "criticized")
    assert frame.source.text == "the city council"
    assert content_text(doc, frame) == "The new tariff"
    _, frames = frames_of(nlp, "The new tariff was criticized by the farmers' union.")
    assert frame_with_cue(frames, "criticized").source.text == "the farmers' union"
    # without an agent nobody is reported: an event, not an attribution
    _, frames = frames_of(nlp, "No injuries were reported in the attack.")
    assert all(f.content is None for f in frames)


def test_question_clause_parsed_as_adverbial(nlp):
    doc, frames = frames_of(nlp, "Then the teacher asked the students if they were always so serious.")
    frame = frame_with_cue(frames, "asked")
    assert frame.source.text == "the teacher"
    assert content_text(doc, frame) == "if they were always so serious"


def test_speech_nouns_with_a_that_clause(nlp):
    doc, frames = frames_of(nlp, "Trump's claim that he was misquoted drew scorn.")
    frame = frame_with_cue(frames, "claim")
    assert frame.cue.lemma == "claim" and frame.source.text == "Trump"
    assert content_text(doc, frame) == "that he was misquoted"
    # no owner: the subject of the verb that issues it
    doc, frames = frames_of(nlp, "The White House issued a statement that the talks had failed.")
    frame = frame_with_cue(frames, "statement")
    assert frame.source.text == "The White House"
    assert content_text(doc, frame) == "that the talks had failed"
    # without a that-clause a speech noun is only a topic
    _, frames = frames_of(nlp, "The claim was false.")
    assert frames == []


def test_speech_nouns_with_their_prepositional_object(nlp):
    doc, frames = frames_of(nlp, "Senator Smith's attacks on the governor grew sharper last week.")
    frame = frame_with_cue(frames, "attacks")
    assert frame.source.text == "Senator Smith" and content_text(doc, frame) == "the governor"
    # the owner in a "by" phrase
    doc, frames = frames_of(nlp, "The criticism of the budget by local farmers was loud.")
    frame = frame_with_cue(frames, "criticism")
    assert frame.source.text == "local farmers" and content_text(doc, frame) == "the budget"
    # no owner: no speaker, no frame; violence is no speech; a date is no content
    for sentence in ("The criticism of the budget was loud.",
                     "The attack on the city killed ten people.",
                     "Mayor Jones's remarks on Tuesday were brief."):
        _, frames = frames_of(nlp, sentence)
        assert [f.cue.text for f in frames] == [], sentence


def test_the_speakers_next_act_is_not_part_of_the_reported_clause(nlp):
    doc, frames = frames_of(nlp, "Jones said he makes $41,000 a year and questioned how he would be helped by the plan.")
    assert content_text(doc, frame_with_cue(frames, "said")) == "he makes $41,000 a year"
    frame = frame_with_cue(frames, "questioned")
    assert frame.source.text == "Jones"
    assert content_text(doc, frame) == "how he would be helped by the plan"
    # two reported events in one clause stay together
    doc, frames = frames_of(nlp, "He said prices rose and wages fell.")
    assert content_text(doc, frame_with_cue(frames, "said")) == "prices rose and wages fell"


def test_views_and_preferences_report_their_object(nlp):
    doc, frames = frames_of(nlp, "Most voters view the deal as a mistake.")
    assert content_text(doc, frame_with_cue(frames, "view")) == "the deal as a mistake"
    doc, frames = frames_of(nlp, "Younger voters in the county prefer the challenger.")
    assert content_text(doc, frame_with_cue(frames, "prefer")) == "the challenger"


def test_naming_verbs_with_what_the_object_was_called(nlp):
    doc, frames = frames_of(nlp, "The governor called the plan a disgrace.")
    frame = frame_with_cue(frames, "called")
    assert frame.source.text == "The governor"
    assert content_text(doc, frame) == "the plan a disgrace"


def test_evidence_shows_its_object(nlp):
    doc, frames = frames_of(nlp, "A new survey shows the mayor with a narrow lead.")
    frame = frame_with_cue(frames, "shows")
    assert frame.source.text == "A new survey"
    assert content_text(doc, frame) == "the mayor with a narrow lead"
    # a person showing something is no report
    _, frames = frames_of(nlp, "The mayor showed the visitors the new bridge.")
    assert [f for f in frames if f.cue.text == "showed"] == []


def test_as_clause_opens_its_content(nlp):
    doc, frames = frames_of(nlp, "As the minister noted, the budget will not balance this year.")
    frame = frame_with_cue(frames, "noted")
    assert frame.source.text == "the minister"
    assert content_text(doc, frame) == "the budget will not balance this year"


def test_frames_are_in_document_order_with_exact_offsets(nlp):
    text = ('Lavrov said it could happen. "Kerry and I promised to do all we can," he told reporters. '
            'According to the ministry, the talks went well, Interfax news agency quoted him as saying.')
    doc, frames = frames_of(nlp, text)
    assert len(frames) >= 3
    assert [f.cue.start for f in frames] == sorted(f.cue.start for f in frames)
    for f in frames:
        assert text[f.cue.start:f.cue.end] == f.cue.text
        if f.content is not None:
            start, end = f.content
            assert 0 <= start < end <= len(text)
            assert text[start] not in ' ,."“' and text[end - 1] not in ' ,."”'
        for part in (f.agency, f.addressee):
            if part is not None:
                assert text[part.start:part.end] == part.text


def test_never_raises_on_odd_input(nlp):
    rng = random.Random(7)
    alphabet = list('said told according to " “ ” \' , . : ; ( ) \n\n X Lavrov quoted by agency as saying ') + ["é", "—"]
    samples = ["", " ", '"', "said", "according to", "according", "quoted by", ": : :", '""""', "\n\n\n"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400))) for _ in range(40)]
    samples.append("He said that " + "the talks, " * 2000 + "would go on.")
    for text in samples:
        _, frames = frames_of(nlp, text)
        for f in frames:
            assert text[f.cue.start:f.cue.end] == f.cue.text


def test_a_report_inside_another_reports_content_is_dropped(nlp):
    doc, frames = frames_of(nlp, "The senator said the governor believes that taxes will rise next year.")
    assert [f.cue.text for f in frames] == ["said"]
    assert content_text(doc, frames[0]) == "the governor believes that taxes will rise next year"
    # side by side, both stay
    _, frames = frames_of(nlp, "The senator said taxes will rise. The governor believes that they will fall.")
    assert [f.cue.text for f in frames] == ["said", "believes"]


def test_refusal_with_a_to_clause(nlp):
    doc, frames = frames_of(nlp, "Clinton's attorney, David Kendall, declined to comment.")
    frame = frame_with_cue(frames, "declined")
    assert frame.source.text == "David Kendall"
    assert content_text(doc, frame) == "to comment"
    _, frames = frames_of(nlp, "The race itself has seemed to take on elements of his personality.")
    assert frames == []  # an impression of the writer's, not an attribution


def test_speaker_after_a_quotation_misparsed_into_it(nlp):
    # the parser hangs "told" on the quoted verb, whose subject "We" is inside the quotation
    _, frames = frames_of(nlp, '"We will not pay for the wall," Ramos, 58, told AFP in an interview.')
    frame = frame_with_cue(frames, "told")
    assert frame.source.text == "Ramos"
    assert frame.addressee.text == "AFP" and frame.agency is None
    _, frames = frames_of(nlp, '"It was a mistake," Bozell answers.')
    assert frame_with_cue(frames, "answers").source.text == "Bozell"


def test_clause_after_the_verb_wins_over_a_quotation_before_it(nlp):
    doc, frames = frames_of(nlp, '"Does he really need to wonder why I did not speak?" Ms. Khan said '
                                 'Mr. Trump was ignorant of Islam.')
    frame = frame_with_cue(frames, "said")
    assert frame.source.text == "Ms. Khan"
    assert content_text(doc, frame) == "Mr. Trump was ignorant of Islam"


def test_speaker_of_a_by_clause_is_the_subject_of_the_governing_verb(nlp):
    doc, frames = frames_of(nlp, "The council started cutting costs by agreeing with the unions "
                                 "that wages will be frozen.")
    frame = frame_with_cue(frames, "agreeing")
    assert frame.source.text == "The council"


def test_words_an_object_is_pushed_to_say_are_that_objects(nlp):
    doc, frames = frames_of(nlp, "The scandal is pushing reluctant ministers to admit the plan "
                                 "has failed.")
    frame = frame_with_cue(frames, "admit")
    assert frame.source.text == "reluctant ministers"


def test_speaker_of_an_infinitive_a_speech_verb_asks_for_is_the_asker(nlp):
    doc, frames = frames_of(nlp, "Senator Ames urged voters to say the plan has failed.")
    said = [f for f in frames if f.cue.text == "say"]
    assert all(f.source is None or f.source.text == "Senator Ames" for f in said)
