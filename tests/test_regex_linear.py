"""Patterns that stay linear on long runs of spaces (a fuzzer found them quadratic: a request
burnt its whole time limit on one line of spaces). Each runs under a time limit far above its
linear cost and far below its quadratic one, so a regression fails with TimeLimitExceeded;
what it asserts is what the patterns read. Invented texts."""
import pytest

from service.html import _META_CHARSET
from service.nlp.component import extract_quotes
from service.nlp.quote_frames import SIGN_OFF, SIGN_OFF_SAME_LINE
from service.nlp.transcripts import _LABELLED, _PARAGRAPH
from service.timelimit import time_limit

SPACES = " " * 200_000
LIMIT_S = 5   # linear: milliseconds; quadratic: minutes


def test_a_labelled_line_with_a_long_run_of_spaces_inside_is_read_to_its_last_word():
    text = "Q: Where?\nA: x" + SPACES + "y \t\nQ: And then?\n" + "\t" + SPACES + "y" + SPACES + "\n"
    with time_limit(LIMIT_S):
        lines = [m.group("label", "words") for m in _LABELLED.finditer(text)]
        paragraphs = [m.group("words") for m in _PARAGRAPH.finditer(text)]
    assert lines == [("Q", "Where?"), ("A", "x" + SPACES + "y"), ("Q", "And then?")]
    assert paragraphs == ["Q: Where?", "A: x" + SPACES + "y", "Q: And then?", "y"]


@pytest.mark.parametrize("words", ["x" * 100, "Bernie Sanders."], ids=["too-long-to-be-a-name", "a-name"])
def test_a_sign_off_line_with_a_long_run_of_spaces_is_read_or_refused_at_once(words):
    signed = "”\n\n- " + SPACES + words
    with time_limit(LIMIT_S):
        match = SIGN_OFF.match(signed, 1)
    assert (match and match.group(1)) == (None if words.startswith("x") else "Bernie Sanders")


@pytest.mark.parametrize("after", ["x" * 100, "\n", "“"], ids=["more-words", "line-end", "next-quote"])
def test_a_same_line_signature_before_a_long_run_of_spaces(after):
    # matched at a quote's end it was linear, but rescanned the run once for each of its name's
    # 60 possible ends; the guard leaves one or two rescans
    signed = "” ― Carla" + SPACES + after
    with time_limit(LIMIT_S):
        match = SIGN_OFF_SAME_LINE.match(signed, 1)
    assert (match and match.group(1)) == (None if after.startswith("x") else "Carla")


def test_a_meta_charset_after_a_long_run_of_spaces():
    spaces = SPACES.encode()   # more than the head decode_html reads, so that quadratic would show
    with time_limit(LIMIT_S):
        assert _META_CHARSET.search(b"<meta charset=" + spaces + b'"' + spaces + b'utf-8">').group(1) == b"utf-8"
        assert _META_CHARSET.search(b"<meta charset=" + spaces + b">") is None


def test_the_engine_reads_a_transcript_whose_answer_holds_a_long_run_of_spaces(nlp):
    text = ("Biologist Nick Bos tells Wikinews about his work on ants.\n\nQ: How did the colony survive?\n"
            "A: I think the queen moved it" + SPACES + "deeper into the soil.\nWe dug for two days to find it."
            + SPACES + "And we found it.\nQ: What comes next?\nA: More digging, and a paper in the spring.")
    doc = nlp(text, disable=["quotewire"])
    extractor = nlp.get_pipe("quotewire")
    with time_limit(LIMIT_S):
        found = extract_quotes(doc, extractor.lexicon, extractor.patterns, extractor.model)
    assert [(q.text.replace(SPACES, " "), q.speaker.name) for q in found if q.rule == "transcript-label"] == [
        ("How did the colony survive?", "Wikinews"),
        ("I think the queen moved it deeper into the soil.", "Nick Bos"),
        ("We dug for two days to find it. And we found it.", "Nick Bos"),
        ("What comes next?", "Wikinews"),
        ("More digging, and a paper in the spring.", "Nick Bos"),
    ]
