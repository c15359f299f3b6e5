"""Interview transcripts without quote marks (service/nlp/transcripts.py), on the real engine.
Invented texts."""
from service.nlp import extract

Q_AND_A = """Biologist Nick Bos tells Wikinews about his work on ants.

Q: How did the colony survive the winter?
A: I think the queen moved it deeper into the soil.

We dug for two days to find it.
Q: What comes next?
A: More digging, and a paper in the spring."""

NAMED = """Wikinews interviewed Mary Stone, the mayor of Ashford, about the flood.

Wikinews: Was the town ready?
Stone: We had sandbags out by Tuesday. Nobody expected that much rain.
Wikinews: Will you rebuild the bridge?
Mary Stone: "Yes, by next summer," she said."""


def turns(text, nlp):
    (result,) = extract(nlp, [text])
    quotes = result["quotes"]
    for q in quotes:
        assert text[q["start"]:q["end"]] == q["text"]
    return [(q["text"], q["speaker"]["name"], q["speaker"]["text"]) for q in quotes if q["rule"] == "transcript-label"]


def test_answers_are_the_interviewees_and_questions_the_interviewers(nlp):
    assert turns(Q_AND_A, nlp) == [
        ("How did the colony survive the winter?", "Wikinews", "Q"),
        ("I think the queen moved it deeper into the soil.", "Nick Bos", "A"),
        ("We dug for two days to find it.", "Nick Bos", "A"),       # the answer's next paragraph
        ("What comes next?", "Wikinews", "Q"),
        ("More digging, and a paper in the spring.", "Nick Bos", "A"),
    ]


def test_name_labels_are_the_people_and_outlets_they_name(nlp):
    found = turns(NAMED, nlp)
    assert found == [
        ("Was the town ready?", "Wikinews", "Wikinews"),
        ("We had sandbags out by Tuesday. Nobody expected that much rain.", "Mary Stone", "Stone"),
        ("Will you rebuild the bridge?", "Wikinews", "Wikinews"),
    ]   # the last line has quote marks: the quote the other stages read, not a second one
    (result,) = extract(nlp, [NAMED])
    assert any(q["text"].startswith("Yes, by next summer") and q["speaker"]["name"] == "Mary Stone"
               for q in result["quotes"])


def test_an_answer_without_a_named_interviewee_keeps_its_label_and_less_confidence(nlp):
    text = "Q: Was it cold?\nA: Very cold, and we had no coats."
    (result,) = extract(nlp, [text])
    answer = next(q for q in result["quotes"] if q["text"].startswith("Very cold"))
    question = next(q for q in result["quotes"] if q["text"] == "Was it cold?")
    assert answer["speaker"]["name"] == "A" and question["speaker"]["name"] == "interviewer"
    assert answer["confidence"] < 0.7 and question["confidence"] < 0.7


def test_labels_that_name_no_one_or_no_dialogue_are_no_transcript(nlp):
    text = ("Parents face trial over their baby's death.\n\nImage: Jambula.\n\nUpdate: The trial opens on "
            "Monday.\n\nThomas Reed, the father, said the farm failed.")
    assert turns(text, nlp) == []
    # one labelled line is no dialogue
    assert turns("Nick Bos studies ants.\n\nBos: We counted them by hand.", nlp) == []


def test_labelled_figures_headings_and_one_line_each_are_no_dialogue(nlp):
    figures = ("Ann Lee and Tom Hart ran for mayor.\n\nAnn Lee: 1,769.\nTom Hart: 1,501.\nLee: 547.\n"
               "Hart: 46.")
    assert turns(figures, nlp) == []
    headings = ("Ann Lee and Tom Hart want to fix student debt.\n\nAnn Lee: Student loans Two years ago, "
                "Senator Ann Lee proposed a cap on rates.\nTom Hart: Credit scores On his website, Tom "
                "Hart calls for reform of the credit bureaus.")
    assert turns(headings, nlp) == []


def test_a_broadcast_transcript_in_capitals_names_its_speakers(nlp):
    text = ("CNN's Jake Tapper spoke with Governor Mary Fallin on Sunday.\n\n"
            "TAPPER: Do you think the campaign has been fair to the voters?\n"
            "FALLIN: I believe the state has to pull together on this.\n"
            "TAPPER: And will you campaign for him in the fall?")
    assert [(name, label) for _, name, label in turns(text, nlp)] == [
        ("Jake Tapper", "TAPPER"), ("Mary Fallin", "FALLIN"), ("Jake Tapper", "TAPPER")]


def test_unknown_labels_in_capitals_end_the_turn_before_and_speak_unresolved(nlp):
    text = ("Governor Mary Fallin spoke on Sunday.\n\n"
            "RON BAKER: Do you think the campaign has been fair to the voters?\n"
            "FALLIN: I believe the state has to pull together on this.\n"
            "(END VIDEO CLIP)\n"
            "BAKER: And will you campaign for him in the fall?\n"
            "FALLIN: Yes, I will be on the road from September.")
    (result,) = extract(nlp, [text])
    found = [(q["speaker"]["name"], q["text"][:12], q["confidence"]) for q in result["quotes"]
             if q["rule"] == "transcript-label"]
    assert [(name, words) for name, words, _ in found] == [
        ("Ron Baker", "Do you think"), ("Mary Fallin", "I believe th"), ("Ron Baker", "And will you"),
        ("Mary Fallin", "Yes, I will ")]
    assert found[0][2] < found[1][2]   # a name the article does not give is less sure


def credited(text, nlp):
    (result,) = extract(nlp, [text])
    for q in result["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"]
    return [(q["text"], q["speaker"]["name"], q["speaker"]["text"]) for q in result["quotes"]
            if q["rule"] == "credit-line"]


def test_a_first_person_paragraph_ended_by_a_persons_name_is_their_pull_quote(nlp):
    text = ("Ruth Calder worked on the ship for nine years.\n\n"
            "I was sent below deck and told that my brother had betrayed us. Ruth Calder\n\n"
            "We never saw the coast again. — Ruth Calder")
    assert credited(text, nlp) == [
        ("I was sent below deck and told that my brother had betrayed us.", "Ruth Calder", "Ruth Calder"),
        ("We never saw the coast again.", "Ruth Calder", "Ruth Calder")]


def test_a_name_after_words_that_are_not_first_person_or_are_quoted_is_no_credit(nlp):
    text = ("Ruth Calder worked on the ship for nine years.\n\n"
            "The ship left port in May. Ruth Calder\n\n"
            '"I was sent below deck," she said. Ruth Calder\n\n'
            "I was sent below deck. Ruth")
    assert credited(text, nlp) == []


QUOTED = '''Councillor Ada Okafor spoke to Radio Vell on Sunday about the bridge. A partial transcript follows:

"HOST: Two questions tonight. Why would the council close the bridge for a whole year?

"OKAFOR: Well, look, the council knew this was coming.

"The engineers warned us in the spring, and we listened to them.

"HOST: And will the mayor be at the hearing?

"OKAFOR: She will be there, and she will answer every question."'''


def test_a_transcript_quoted_paragraph_by_paragraph_is_read_turn_by_turn(nlp):
    """Each paragraph opens with a quote mark, only the last closes: the turns are the quotes
    (not one run-on quotation), a turn's paragraphs one quote, without the closing mark."""
    assert turns(QUOTED, nlp) == [
        ("Two questions tonight. Why would the council close the bridge for a whole year?", "Host", "HOST"),
        ('Well, look, the council knew this was coming.\n\n"The engineers warned us in the spring, and we '
         'listened to them.', "Ada Okafor", "OKAFOR"),
        ("And will the mayor be at the hearing?", "Host", "HOST"),
        ("She will be there, and she will answer every question.", "Ada Okafor", "OKAFOR"),
    ]
    (result,) = extract(nlp, [QUOTED])
    assert all(q["rule"] == "transcript-label" or q["type"] == "indirect" for q in result["quotes"])


def test_a_quotation_in_a_plain_transcript_stays_the_quote_stages(nlp):
    text = NAMED + '\n"We will be ready," she added, "and the bridge will open by June."\nWikinews: Thank you.'
    (result,) = extract(nlp, [text])
    quoted = [q for q in result["quotes"] if "bridge will open" in q["text"]]
    assert quoted and all(q["rule"] != "transcript-label" for q in quoted)
