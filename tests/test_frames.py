"""The frames stage on its own (find_frames over a Reading of a parsed Doc). What each rule finds
is tested as a table in test_rules.py; these are the properties every frame has."""
import random

from service.nlp.frames import find_frames


def frames_of(nlp, text):
    doc = nlp(text)
    return doc, find_frames(nlp.get_pipe("quotewire").reading(doc))


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


def test_every_frame_names_its_rule_and_the_rule_is_registered(nlp):
    from service.nlp import rules
    names = {rule.name for rule in rules.all_rules()}
    _, frames = frames_of(nlp, 'Lavrov said it could happen. "We are ready," Bozell answers. '
                               "According to the ministry, the talks went well.")
    assert frames and all(f.rule.split("+")[0] in names for f in frames)
