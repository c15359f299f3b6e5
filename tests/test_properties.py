"""Property tests: extract never raises and every offset it returns is valid, on any text."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.nlp import chunks, extract

QUOTE_MARKS = list('"\'“”‘’«»„‹›`')
WORDS = ["said", "told", "he", "Lavrov", "the minister", "according to", ":", ",", ".", "\n",
         "\n\n", " ", "Bogdanov said", "quoted", "as saying", "(", ")", "'s", "-"]
# Text made of arbitrary Unicode, quote marks and news words, in any mix
TEXTS = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(QUOTE_MARKS), st.sampled_from(WORDS)),
                 max_size=120).map("".join)
FIELDS = ("speaker", "cue", "agency", "addressee")


def assert_offsets_valid(text: str, result: dict) -> None:
    for quote in result["quotes"]:
        assert 0 <= quote["start"] < quote["end"] <= len(text)
        assert text[quote["start"]:quote["end"]] == quote["text"]
        assert quote["type"] in ("direct", "mixed", "indirect")
        assert 0.0 <= quote["confidence"] <= 1.0
        for field in FIELDS:
            part = quote[field]
            if part is not None:
                assert 0 <= part["start"] <= part["end"] <= len(text)
                assert text[part["start"]:part["end"]] == part["text"], field
    named = {quote_id for speaker in result["speakers"] for quote_id in speaker["quotes"]}
    assert named <= {q["id"] for q in result["quotes"]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(TEXTS, min_size=1, max_size=4))
def test_extract_never_raises_and_offsets_are_valid(nlp, texts):
    results = list(extract(nlp, texts, batch_size=3))
    assert len(results) == len(texts)
    for text, result in zip(texts, results):
        assert_offsets_valid(text, result)


@settings(max_examples=40, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(QUOTE_MARKS + list("ab .,\n")), max_size=400))
def test_quote_marks_only_texts(nlp, text):
    (result,) = extract(nlp, [text])
    assert_offsets_valid(text, result)


def test_very_long_input_is_read_in_chunks_with_valid_offsets(nlp):
    paragraph = ('"We regard Iran as a very important partner," Bogdanov said. '
                 'Lavrov said it could happen before the end of the year. "Unclosed quote\n\n')
    text = paragraph * 1600                       # ~230,000 characters: more than one chunk
    (result,) = extract(nlp, [text])
    assert_offsets_valid(text, result)
    speakers = {q["speaker"]["name"] for q in result["quotes"] if q["speaker"]}
    assert "Bogdanov" in " ".join(speakers)
    assert len(result["quotes"]) >= 1600          # quotes from every chunk, not just the first


@pytest.mark.parametrize("size", [10, 1000])
def test_chunks_cover_the_text_exactly(size):
    text = ("word " * 50 + "\n") * 40
    pieces = chunks(text, size)
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in pieces)
    assert all(len(piece) <= size for _, piece in pieces)


def test_long_runs_of_quote_marks_are_tokenized_in_pieces_and_keep_the_text(nlp):
    # spaCy's own tokenizer is quadratic on such runs (4,000 marks took 6 s); the guard cuts them.
    for run in ("'" * 20_000, '"' * 20_000, "«»" * 10_000):
        text = f'He said "{run}" and "that is all," she said.'
        doc = nlp.make_doc(text)
        assert doc.text == text
        assert max(len(token) for token in doc) <= 64
        (result,) = extract(nlp, [text])
        for quote in result["quotes"]:
            assert text[quote["start"]:quote["end"]] == quote["text"]
