"""Quote-mark pairing on raw text (no model needed)."""
from service.nlp.quotemarks import find_quoted


def quoted(text: str) -> list[str]:
    return [text[q.start:q.end] for q in find_quoted(text)]


def test_straight_and_curly_double_quotes():
    assert quoted('He said "we agree," and left.') == ["we agree,"]
    assert quoted("“We regard Iran as a partner,” he said.") == ["We regard Iran as a partner,"]


def test_guillemets_and_low_opening_mark():
    assert quoted("«Nous sommes prêts», a-t-il dit.") == ["Nous sommes prêts"]
    assert quoted("Er sagte „wir kommen“ heute.") == ["wir kommen"]


def test_single_quotes_are_quotes_but_apostrophes_are_not():
    text = "Assad's men loved the '90s and rock 'n' roll. 'Long way to go' he wrote; don’t ‘panic now’."
    assert quoted(text) == ["Long way to go", "panic now"]


def test_plural_possessive_does_not_close_a_single_quote():
    assert quoted("the players’ union said ‘no deal’ today") == ["no deal"]


def test_typewriter_doubled_marks_are_one_double_mark():
    text = "''It's a huge day for us,'' said Ana Ruiz. A ``quiet kid'' grew up."
    assert quoted(text) == ["It's a huge day for us,", "quiet kid"]


def test_unbalanced_mark_spoils_only_its_own_quote():
    text = 'He called it "absurd. Later "We will win," she said. Then "we lost," he said.'
    assert quoted(text) == ["We will win,", "we lost,"]


def test_unclosed_quote_at_paragraph_end_is_dropped_alone():
    text = '"This one never closes.\n\nPlain paragraph.\n\n"This one does," she said.'
    assert quoted(text) == ["This one does,"]


def test_quote_running_over_paragraphs_is_one_quote():
    text = '“First paragraph of the quote.\n\n“Second paragraph,” he said.'
    spans = find_quoted(text)
    assert len(spans) == 1
    assert text[spans[0].start:spans[0].end] == "First paragraph of the quote.\n\n“Second paragraph,"
    assert len(spans[0].pieces) == 2


def test_single_quotes_inside_double_quotes_stay_inside():
    text = "“He told me ‘never again’ yesterday,” she said."
    assert quoted(text) == ["He told me ‘never again’ yesterday,"]


def test_markup_attribute_values_are_not_quotes():
    text = '<tweet id="123" author="@x">Rally "tonight" at 8</tweet>'
    assert quoted(text) == ["tonight"]


def test_offsets_exclude_the_marks():
    text = 'x "quoted words" y'
    (span,) = find_quoted(text)
    assert text[span.open_mark] == '"' and text[span.close_mark] == '"'
    assert span.start == span.open_mark + 1 and span.end == span.close_mark


def test_marks_with_nothing_between_them_quote_nothing():
    assert quoted('"" and " " and "." and “”') == []


def test_quote_broken_by_a_blank_line_without_a_new_opening_mark_is_one_quote():
    # Text split at a sentence end inside a quote, the next paragraph not reopening it.
    text = 'The coach said, "I think we played well.\n\nIt was a hard game." Then he left.'
    assert quoted(text) == ["I think we played well.\n\nIt was a hard game."]
    # Not when the first paragraph stops mid-sentence, nor across a single line break
    # (a pull quote's credit line).
    assert quoted('He called it "absurd\n\nand more." Done.') == []
    assert quoted('"We will build it.\nDonald Trump." she read.') == []


def test_curly_quote_inside_a_curly_quote_stays_inside():
    text = "“I would sooner stay in what he calls “chaos” than move anywhere,” she said. “Yes “no” maybe"
    assert quoted(text) == ["I would sooner stay in what he calls “chaos” than move anywhere,", "no"]
