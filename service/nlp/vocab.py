"""The tag and dependency vocabulary the rules are written in (spaCy's English labels), and the
closed-class words of English grammar they read: one name for each set, used by every stage."""

# --- parts of speech ---------------------------------------------------------------------------
NOUN_HEAD_POS = frozenset({"PROPN", "PRON", "NOUN"})      # heads of a speaker mention
NOMINAL_POS = NOUN_HEAD_POS | {"NUM"}                     # heads that can speak at all ("the two")
VERB_POS = frozenset({"VERB", "AUX"})                      # no word of a name or description
MISTAGGED_NAME_POS = frozenset({"VERB", "INTJ"})           # a capitalised subject so tagged: "Trump, ..."
CLAUSE_WORD_POS = VERB_POS | {"SCONJ"}                    # no word of a speaker mention
MENTION_START_POS = frozenset({"DET", "PROPN", "ADJ", "NOUN", "PRON", "NUM"})
NOUN_PHRASE_POS = MENTION_START_POS                       # words of a verbless "Transcript as follows:"
LEADING_POS = frozenset({"CCONJ", "SCONJ", "ADV", "INTJ"})  # "But Lavrov", "So officials"

# --- dependency labels -------------------------------------------------------------------------
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
PERSONAL_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})  # a subject that can be a speaker
# words that may follow an inverted speaker ("said Okafor again", "said Okafor Monday")
INVERTED_TAIL_DEPS = frozenset({"punct", "advmod", "npadvmod"})
CLAUSE_DEPS = ("ccomp", "xcomp")               # the reported content, in order of preference
INHERIT_SUBJECT_DEPS = frozenset({"advcl", "xcomp", "conj"})   # "..., adding that": the head's subject
NOUN_MODIFIER_CLAUSE_DEPS = frozenset({"relcl", "acl"})        # "Putin, who said ...": the noun speaks
OBJECT_CONTENT_DEPS = frozenset({"dobj", "oprd"})              # "criticized [the deal]", "called it [a disgrace]"
ADDRESSEE_DEPS = frozenset({"dobj", "dative", "iobj"})
MODIFIER_DEPS = frozenset({"amod", "compound"})   # "war-torn", "long-standing": verbs inside a noun phrase
LEADING_DEPS = frozenset({"cc", "mark", "advmod"})
VERB_GROUP_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})   # "has not yet said", "also noted"
SAYING_DEPS = frozenset({"xcomp", "advcl", "ccomp", "conj", "dobj", "pcomp", "prep"})  # "quoted X [saying]"

# What a noun phrase leaves out, by use:
SOURCE_DROP_DEPS = frozenset({"appos", "relcl", "acl", "punct", "advmod", "parataxis", "case"})
MENTION_DROP_DEPS = frozenset({"appos", "relcl", "acl", "punct", "advmod", "prep", "cc", "conj"})
BARE_DROP_DEPS = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj"})
ADDRESSEE_DROP_DEPS = frozenset({"relcl", "acl", "punct", "ccomp"})

# --- closed-class words ------------------------------------------------------------------------
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "me"})
GROUP_PRONOUNS = frozenset({"they", "them", "we", "us"})
ORG_PRONOUNS = frozenset({"it"})
PERSONAL_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
RELATIVE_SUBJECTS = frozenset({"who", "that", "which"})
# a possessive pronoun and its subject form: "he stepped up his attacks on" (frame_parts.owner_or_subject);
# "his criticism of" is resolved as a "he" would be (names.py)
POSSESSIVE_SUBJECTS = {"his": "he", "her": "she", "its": "it", "their": "they", "my": "i", "our": "we"}
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "what"})
ASIDE_RELATIVES = frozenset({"which", "who", "whom", "whose"})   # ", which ...": an aside, not a restriction
CONTENT_MARKS = frozenset({"that", "if", "whether"})
CONTRAST_MARKS = frozenset({"while", "whereas", "although", "though"})   # ", while others said ..."
DETERMINERS = frozenset({"the", "a", "an"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# what was said about an object runs on into these: "accused X of lying", "described X as Y",
# "credits X to Y", "linked X with Y" (on PolNeAR train each is in the content 8 times in 10 or more;
# "in", "on", "at", "by" only 6 in 10, "during", "after" mostly not)
OBJECT_CONTENT_PREPS = frozenset({"as", "of", "for", "to", "with", "about", "against", "over", "into"})
# "a poll shows the mayor with a lead / within two points / ahead by four" (and the object's own)
EVIDENCE_CONTENT_PREPS = OBJECT_CONTENT_PREPS | frozenset({"within", "by", "at", "in", "ahead", "behind"})

# a speech noun after these answers the words it names: "bristled at the suggestion that", "pushed
# back against claims that" (noun_frames._bearer_of)
REACTION_PREPS = frozenset({"at", "against"})
# a quoted title follows these ("said on KXT's "Morning Loaf"", "wrote in "The Long Field""), besides a possessive
TITLE_LEADS = frozenset({"on", "in"})
# ... and "of" after one of these: 'Sunday's broadcast of "Harbor Lights"', 'a copy of "The
# Long Field"'; not after other nouns: 'a goal of "Peace Through Strength"' is the speaker's words
TITLE_OF_NOUNS = frozenset({"broadcast", "broadcasts", "episode", "episodes", "edition", "editions", "copy",
                            "copies", "issue", "season", "segment", "taping", "screening", "showing", "premiere",
                            "host", "author", "star", "cover", "version", "sequel", "remake", "rendition"})
POSSESSIVE_ENDINGS = ("'s", "’s")
# a connective that may lead a sentence made of an unattributed quotation: 'But "…"' still
# continues the previous speaker (attach.continues)
QUOTE_LEADS = frozenset({"but", "and", "now", "yet", "still", "so", "then"})
# words with "'s" that are no possessive: 'it's "Morning Loaf"' names no show (attach.named_title)
S_CONTRACTIONS = frozenset({"it's", "that's", "here's", "there's", "what's", "who's", "he's", "she's",
                            "let's", "where's", "how's"})
# "announced back in May", "back then": "back" opens a time phrase, no part of the cue
BACK_IN_TIME = frozenset({"then", "when"})
BACK_IN_TIME_PREPS = frozenset({"in", "during"})   # ... when its object is a time (tree.is_time)
# the small model often gives a month no DATE entity ("announced back in May")
MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december"})
TIME_ENTS = frozenset({"DATE", "TIME"})
# a date the parse alone tells (the engine runs without the entity recognizer): "said Okafor on
# Monday", "back in May" (tree.is_time)
DAY_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                       "today", "yesterday", "tomorrow", "tonight"})   # no one's given name, unlike "May"
DATE_WORDS = MONTHS | DAY_WORDS
# words before a day that make it a time, not the start of a name: "On Monday Smith said" (the
# parser hangs "Monday" on "Smith"), but "the Sunday Times reported"
DAY_OPENERS = frozenset({"on", "last", "next", "this", "since", "by", "until", "every"})
# a second subject that repeats the first: "the leaders both said", "the unions all agreed"
FLOATING_QUANTIFIERS = frozenset({"both", "all", "each"})

# "(asked not) to be named": a clause that only keeps the speaker anonymous reports nothing
# (frame_parts.is_anonymity_clause)
ANONYMITY_PARTICIPLES = frozenset({"named", "identified", "quoted"})
ANONYMITY_REASONS = frozenset({"for", "because"})   # "... to be named for fear of reprisals"

# a child that gives the participle a subject of its own ("Johnson, having been asked")
HEARERS_PARTICIPLE_BLOCKERS = frozenset({"aux", "auxpass", "nsubj", "nsubjpass"})

# --- characters --------------------------------------------------------------------------------
DOUBLE_QUOTE_MARKS = ('"', "“", "”", "«", "»", "''", "``")
SINGLE_QUOTE_MARKS = frozenset("'’")   # a quote mark or an apostrophe (tree.is_plural_possessive)
SENTENCE_END_MARKS = frozenset({".", "?", "!"})
LONG_DASHES = "–—―"   # en dash, em dash, horizontal bar (HuffPost's dash)
DASHES = "-" + LONG_DASHES
ASIDE_MARKS = frozenset({",", "--", *DASHES})   # what sets an aside off from the words before it
TRIM_CHARS = frozenset(" \t\r\n.,;:!?\"'“”‘’«»„‟‹›…" + DASHES)   # trimmed off the ends of a span
# a name after these on a mention's head is whom the speaker works for: "a lawyer for Tom Hale",
# "an aide to Senator Jane Doe" (names._principal)
PRINCIPAL_PREPS = frozenset({"for", "to"})
