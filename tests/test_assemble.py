"""Assembly of quoted spans and frames into quotes, on the real pipeline."""
import pytest

from service.nlp.quotemarks import title_lines


def quotes(nlp, text):
    return nlp(text)._.quotes


def only(found, words):
    matching = [q for q in found if words in q.text]
    assert len(matching) == 1, [q.text for q in found]
    return matching[0]


def test_interrupted_quote_is_one_quote_with_one_speaker(nlp):
    text = ('"We will not give in," Smith said on Tuesday, "and we will keep fighting until the end."')
    found = [q for q in quotes(nlp, text) if q.type != "indirect"]
    assert len(found) == 1
    quote = found[0]
    assert quote.type == "direct" and quote.speaker.name == "Smith"
    assert quote.text.startswith("We will not give in") and quote.text.endswith("until the end.")


def test_pieces_one_cue_reports_in_a_paragraph_are_one_quote(nlp):
    text = 'The flyer accuses Ruiz of trading favours "in a pattern of deals going back years."'
    found = quotes(nlp, text)
    assert len(found) == 1
    assert found[0].type == "mixed" and found[0].cue.text == "accuses"
    assert found[0].text.startswith("Ruiz of trading") and found[0].text.endswith('back years."')
    text = 'Brown called the plan "a disaster for the region" in a speech, "and a waste of money."'
    found = quotes(nlp, text)
    assert len(found) == 1 and found[0].speaker.name == "Brown"


def test_quotation_after_an_aside_continues_the_speech_verb(nlp):
    text = ('"We have won ten states," Trump said, adding that the count was not final. "Last week '
            'I was far ahead of him. That is a lot of votes."')
    found = quotes(nlp, text)
    quoted = [q for q in found if q.type != "indirect"]
    assert len(quoted) == 1 and quoted[0].cue.text == "said"
    assert quoted[0].text.endswith("a lot of votes.")
    assert [(q.text, q.cue.text) for q in found if q.type == "indirect"] == [
        ("that the count was not final", "adding")]


def test_a_quoted_term_before_a_cue_is_no_interrupted_quote(nlp):
    text = 'The word "zone out" in this jargon describes a state of deep calm.'
    assert [q.text for q in quotes(nlp, text)] == ["a state of deep calm"]


def test_speaker_after_quote_inverted_and_before(nlp):
    text = ('"The plan is dead," said Sergei Lavrov. Maria Zakharova said: "We reject it entirely '
            'and will say so at the council." ')
    found = quotes(nlp, text)
    assert only(found, "The plan is dead").speaker.name == "Sergei Lavrov"
    assert only(found, "We reject it entirely").speaker.name == "Maria Zakharova"


def test_mixed_quote_spans_the_reported_clause(nlp):
    text = 'John Kerry said the meeting would "clear the air between the two sides."'
    quote = only(quotes(nlp, text), "clear the air")
    assert quote.type == "mixed"
    assert quote.text.startswith("the meeting would")
    assert quote.speaker.name == "John Kerry"


def test_indirect_quote_without_marks(nlp):
    quote = only(quotes(nlp, "Angela Merkel said the talks could resume next week."), "talks could")
    assert quote.type == "indirect" and quote.speaker.name == "Angela Merkel"
    assert quote.cue.lemma == "say"


def test_continuation_paragraph_joins_the_previous_quote(nlp):
    text = ('"The economy is growing faster than anyone expected this year," Janet Yellen told '
            'reporters.\n\n"And we expect that to continue well into next year and beyond."\n')
    found = [q for q in quotes(nlp, text) if q.type != "indirect"]
    assert len(found) == 1
    assert found[0].speaker.name == "Janet Yellen"
    assert "well into next year" in found[0].text


def test_scare_quotes_and_titles_are_dropped(nlp):
    text = ('The so-called "reset" failed. She appeared on "Meet the Press" on Sunday and the '
            'show went on.')
    assert [q for q in quotes(nlp, text) if q.type != "indirect"] == []


def test_a_show_named_after_on_is_no_fragment_of_the_quote(nlp):
    text = 'Speaking on "Harbor Lights," Dana Quill said the bridge "is falling down into the river."'
    found = [q for q in quotes(nlp, text) if q.type != "indirect"]
    assert [(q.text, [f.text for f in q.fragments]) for q in found] == [
        ('the bridge "is falling down into the river."', [])]


@pytest.mark.parametrize("text, title", [
    ('She told Radio Vell\'s "Morning Loaf." that it rained.', True),    # a period inside the mark
    ('He wrote in "The Long Field" that it rained.', True),
    ('He said "Never Again" to them.', False),                           # no "on", "in" or possessive
    ('She spoke on "the long, cold road back."', False),                  # not title-cased
    ('She said it\'s "Not How Harbours Work."', False),                   # "it is": no possessive
    ('He told them what’s "Simply Not Good Enough."', False),
    ('On the Sunday broadcast of "Harbor Lights," Quill said it rained.', True),   # "of" after a show's noun
    ('He proclaimed a goal of "Peace Through Strength."', False),                 # "of" after another noun
])
def test_a_named_title_is_a_short_title_cased_quotation_after_on_in_a_possessive_or_of_a_show(text, title):
    from service.nlp.attach import named_title
    from service.nlp.quotemarks import QuotedSpan
    open_mark = text.index('"')
    close_mark = text.index('"', open_mark + 1)
    span = QuotedSpan(open_mark + 1, close_mark, open_mark, close_mark, "double", ((open_mark + 1, close_mark),),
                      close_mark + 1)
    assert named_title(span, text) is title


def test_headline_quote_marks_are_no_quotation(nlp):
    text = ("Putin: 'We Will Respond'\n\nThe Kremlin said on Monday it was studying the sanctions "
            "closely and would respond in kind.")
    found = quotes(nlp, text)
    assert not [q for q in found if "We Will Respond" in q.text]    # no Putin in the article to say it
    assert title_lines(text) == [(0, len("Putin: 'We Will Respond'"))]


def test_a_headline_reports_like_a_sentence_but_its_quote_marks_quote_nothing(nlp):
    text = ("Governor Ruiz calls flood plan a 'betrayal' of farmers\n\n"
            "Governor Elena Ruiz spoke in Fresno on Tuesday. The plan was drawn up by the state water board.")
    headline = [q for q in quotes(nlp, text) if q.start < text.index("\n")]
    assert [(q.type, q.speaker.name, q.cue.text) for q in headline] == [("indirect", "Elena Ruiz", "calls")]


def test_a_headline_label_names_the_speaker_of_the_rest_of_the_line(nlp):
    text = ("Okafor: Port strike could last into 'the spring'\n\n"
            "Union leader Grace Okafor told reporters on Monday that talks had stalled.")
    headline = [q for q in quotes(nlp, text) if q.start < text.index("\n")]
    assert [(q.type, q.speaker.name, q.rule, q.text) for q in headline] == [
        ("indirect", "Grace Okafor", "headline-label", "Port strike could last into 'the spring'")]


def test_section_titles_still_report_nothing(nlp):
    text = ("Storm hits coast\n\nThe storm reached the coast on Monday night.\n\n"
            "Officials Warn Of More Rain\n\nThe rain is expected to last until Thursday.")
    assert not [q for q in quotes(nlp, text) if "More Rain" in q.text]


def test_cue_inside_a_quotation_is_not_a_new_quote(nlp):
    text = '"I think they said the deal was off," Jones said.'
    found = quotes(nlp, text)
    assert len(found) == 1 and found[0].speaker.name == "Jones"


def test_confidence_is_higher_for_explicit_attribution(nlp):
    text = ('"We are ready to sign the agreement today," Foreign Minister Ana Lopez said.\n\n'
            '"Nobody should doubt our commitment to the process."\n\n'
            'A long unattributed line reads "the committee will meet again next month to review '
            'every single proposal on the table" somewhere.')
    found = quotes(nlp, text)
    explicit = only(found, "ready to sign")
    assert all(0.0 <= q.confidence <= 1.0 for q in found)
    for other in found:
        if other is not explicit:
            assert other.confidence < explicit.confidence


@pytest.mark.parametrize("text", ["", " ", "\n\n", '"', "“”", "''", '" " "'])
def test_degenerate_texts_give_no_quotes(nlp, text):
    assert quotes(nlp, text) == []


def test_fact_check_sign_off_line_names_the_speaker(nlp):
    text = ('The senator repeated the claim on Tuesday.\n\n"Nearly every new dollar the economy makes '
            'ends up with the richest one percent."\n\n- Bernie Sanders.\n\nThe figure is outdated.')
    quote = only(quotes(nlp, text), "Nearly every new dollar")
    assert quote.speaker.name == "Bernie Sanders"
    assert quote.cue.text == "-"


def test_signature_on_the_quote_line_names_the_speaker(nlp):
    text = ('Readers wrote in about the bridge. “The detour adds an hour to my day and nobody '
            'has told us why.”― Maria Lopez. “I have stopped driving downtown altogether because '
            'of it.” ― Tom Berg\n')
    found = quotes(nlp, text)
    assert only(found, "The detour adds").speaker.name == "Maria Lopez"
    assert only(found, "I have stopped driving").speaker.name == "Tom Berg"


def test_speaker_mention_is_never_a_clause(nlp):
    text = ("Moscow has put Washington on the back foot by sending troops to the war-torn country "
            "and pushing reluctant world leaders to admit its ally could cling to power.")
    for quote in quotes(nlp, text):
        if quote.speaker is not None:
            assert " and " not in quote.speaker.text and "pushing" not in quote.speaker.text
