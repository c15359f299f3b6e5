"""Canonical-name accuracy (service.evaluate_names), pinned on hand-made names (no model needed)."""
import pytest

from service.evaluate_names import name_right, name_scores, same_name

TEXT = 'Mary Jones chairs the club. She told the BBC: "This is a disgrace." The club said no.'


@pytest.mark.parametrize("gold, returned, kind", [
    ("Mary Jones", "Mary Jones", "person"),
    ("Mary Jones", "Jones", "person"),                        # the surname alone names her
    ("Hamdullah Mohib", "Afghan Ambassador Hamdullah Mohib", "person"),   # title words are no given name
    ("Christine Gregoire", "Chris Gregoire", "person"),       # a shortened given name
    ("Hernán Darío Gómez", "Hernan Dario Gomez", "person"),   # accents never matter
    ("Korean Central News Agency", "KCNA", "organization"),   # the acronym
    ("United States Department of Agriculture", "U.S. Department of Agriculture", "organization"),
    ("Yonhap News Agency", "Yonhap news agency", "organization"),
    ("Secunia.com", "Secunia.com", "organization"),             # a full stop inside the last word
])
def test_right_names(gold, returned, kind):
    assert name_right(gold, returned, kind)


@pytest.mark.parametrize("gold, returned, kind", [
    ("Harry Kane", "Budweiser Man", "person"),                # not his surname
    ("Mary Jones", "Tom Jones", "person"),                    # another given name contradicts
    ("Mark Zuckerberg", "Facebook co", "person"),
    ("Tom Molomby", "SC", "person"),
    ("Harvard University", "Harvard Medical School University", "organization"),  # other words of an org
    ("Mary Jones", None, "person"),                           # no name at all
    ("Mary Jones", "she", "person"),
])
def test_wrong_names(gold, returned, kind):
    assert not name_right(gold, returned, kind)


def test_strict_is_the_same_full_name():
    assert same_name("The Straits Times", "Straits Times")
    assert same_name("Mary Jones", "mary jones")
    assert not same_name("Mary Jones", "Jones")
    assert not same_name("Mary Jones", None)


def gold_quote(start, end, name, kind, text_name=None):
    return {"start": start, "end": end, "type": "direct", "speaker": "x", "speaker_start": 0,
            "speaker_end": 1, "speaker_name": name, "speaker_mention_kind": kind,
            "speaker_entity": {"type": "person", "text_name": text_name or name}}


def pred_quote(start, end, name):
    return {"start": start, "end": end, "type": "direct",
            "speaker": None if name is None else {"name": name, "text": "she", "start": 28, "end": 31}}


def test_scores_by_mention_kind_over_matched_quotes_with_a_gold_name():
    quote = TEXT.index("This"), TEXT.index('."')
    said = TEXT.index("no"), TEXT.index("no") + 2
    gold = [gold_quote(*quote, "Mary Jones", "pronoun"), gold_quote(*said, None, "nominal"),
            gold_quote(0, 4, "Mary Jones", "name")]       # no prediction matches this one
    scores = name_scores([{"id": "a", "text": TEXT, "quotes": gold}],
                         [{"quotes": [pred_quote(*quote, "Jones"), pred_quote(*said, "the club")]}])
    assert (scores["all"]["judged"], scores["all"]["right"], scores["all"]["strict"]) == (1, 1, 0)
    assert scores["pronoun"]["accuracy"] == 1.0 and scores["nominal"]["judged"] == 0


def test_the_name_the_text_gives_counts_as_gold():
    quote = TEXT.index("This"), TEXT.index('."')
    gold = [gold_quote(*quote, "Creswell Eastman", "name", text_name="Cres Eastman")]
    scores = name_scores([{"id": "a", "text": TEXT, "quotes": gold}], [{"quotes": [pred_quote(*quote, "Cres Eastman")]}])
    assert scores["all"]["strict"] == 1


def test_gold_without_speaker_names_has_no_name_scores():
    assert name_scores([{"id": "a", "text": TEXT, "quotes": [{"start": 0, "end": 4}]}],
                       [{"quotes": [pred_quote(0, 4, "Jones")]}]) is None
