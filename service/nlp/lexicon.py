"""The engine's language data: every word list the rules read, from the files in service/nlp/data.

A Lexicon is built once from a data folder (`Lexicon.from_dir`) and held by the quotewire
component as its state, so it is saved and loaded with the pipeline (`nlp.to_disk` /
`spacy.load`). Everything is matched on surface forms (token.lower_), so the engine needs no
lemmatizer: each verb line in the data files lists the lemma and its inflected forms.

File formats (all UTF-8; blank lines and lines starting with "#" are skipped):
- word list: one entry a line;
- verb list: a lemma and its forms on one line ("say says said saying");
- cue with prepositions: forms, "|", prepositions ("call calls called | for on");
- sections: "[name]" headers, then one entry a line (speaker_kinds.txt, word_lists.txt; in
  cue_kinds.txt an entry is a lemma and its forms);
- agencies: aliases of one agency separated by "|", the canonical name first.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .records import Agency, QUOTE_KINDS
from .tree import word_hashes
from .word_classes import FILE_NAME as WORD_CLASSES_FILE, WordClasses

DATA_DIR = Path(__file__).parent / "data"

SPEECH = "speech"        # say, tell, add, insist ...
BELIEF = "belief"        # believe, think, know; evidence: polls show, a study found
QUOTING = "quoting"      # quote, cite: an outlet relaying someone's words
OBJECT = "object"        # criticize, endorse, call: the direct object is the content
INTENTION = "intention"  # the kind of the quotes of intention verbs (plan, want, intend)


# --- the readers --------------------------------------------------------------------------------

def data_lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a data file, stripped."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_sections(path: Path) -> dict[str, frozenset[str]]:
    """{section: entries} of a file of "[section]" headers, entries in lower case."""
    sections: dict[str, set[str]] = {}
    current = None
    for line in data_lines(path):
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), set())
        elif current is not None:
            current.add(line.lower())
    return {name: frozenset(words) for name, words in sections.items()}


def _read_verbs(path: Path, kind: str, lemmas: dict[str, str], kinds: dict[str, str]) -> None:
    for line in data_lines(path):
        forms = line.lower().split()
        kinds.setdefault(forms[0], kind)   # a lemma in two files keeps its first kind
        for form in forms:
            lemmas.setdefault(form, forms[0])


def _read_cue_kinds(path: Path, known: dict[str, str]) -> dict[str, str]:
    """{lemma or form: kind} of cue_kinds.txt, whose sections must be quote kinds, after `known`.
    A line is a lemma and its forms: a cue no verb list knows has no lemma, only its form."""
    found = dict(known)
    for kind, lines in read_sections(path).items():
        if kind not in QUOTE_KINDS:
            raise ValueError(f"{path.name}: [{kind}] is not a quote kind ({', '.join(QUOTE_KINDS)})")
        found.update(dict.fromkeys((form for line in lines for form in line.split()), kind))
    return found


def _read_prep_cues(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    found: dict[str, tuple[str, frozenset[str]]] = {}
    for line in data_lines(path):
        words, _, preps = line.lower().partition("|")
        forms = words.split()
        for form in forms:
            lemma, known = found.get(form, (forms[0], frozenset()))
            found[form] = (lemma, known | frozenset(preps.split()))
    return found


def _read_agencies(path: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    for line in data_lines(path):
        parts = [part.strip() for part in line.split("|") if part.strip()]
        for alias in parts:
            names.setdefault(alias.casefold(), parts[0])
    return names


def _words(path: Path) -> frozenset[str]:
    return frozenset(line.lower() for line in data_lines(path))


# --- the lexicon --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lexicon:
    data_dir: Path
    verb_lemmas: dict[str, str]        # surface form (lower case) -> lemma
    verb_kinds: dict[str, str]         # lemma -> SPEECH | BELIEF | QUOTING | OBJECT
    cue_kinds: dict[str, str]          # lemma or form -> what it attributes (cue_kinds.txt)
    object_lemmas: frozenset[str]      # lemmas whose direct object may be the content
    quoted_object_lemmas: frozenset[str]   # ... only when that object holds quoted words
    clause_only_lemmas: frozenset[str]     # "continue": a to-infinitive is no content
    evidence_object_lemmas: frozenset[str]  # "show": the object is content under an evidence subject
    evidence_nouns: frozenset[str]     # "poll", "survey": subjects that report by showing
    nominal_cues: dict[str, str]       # noun form -> lemma: "claims" -> "claim" (with a that-clause)
    issuing_verbs: frozenset[str]      # "made", "issued": their subject authored the speech noun
    prep_cues: dict[str, tuple[str, frozenset[str]]]   # form -> (lemma, prepositions): "called for"
    nominal_prep_cues: dict[str, tuple[str, frozenset[str]]]  # "remarks" -> ("remark", {"on", ...})
    light_verbs: frozenset[str]        # "had", "made": verbs that name no act of saying
    time_words: frozenset[str]         # "tuesday", "night": heads of when-phrases
    agency_names: dict[str, str]       # alias (case-folded) -> canonical name
    agency_words: frozenset[str]       # "agency", "newswire", ...
    short_aliases: frozenset[str]      # aliases of 3 characters or fewer, as written ("AP", "dpa")
    agency_pattern: re.Pattern         # whole-word match of any known alias
    titles: frozenset[str]             # "minister", "senator": title words
    kinds: dict[str, frozenset[str]]   # speaker kinds by head word (speaker_kinds.txt)
    words: dict[str, frozenset[str]]   # the small lists of word_lists.txt, by section
    elisions: frozenset[str]           # 'n', 'em, 'til: a mark before them is an apostrophe
    word_classes: WordClasses = field(compare=False, repr=False)   # Brown clusters, for the learned layer

    @cached_property
    def cue_words(self) -> frozenset[str]:
        """Every word that can start a cue (with the cues of pattern matches, the tokens the frame
        rules look at)."""
        return frozenset(self.verb_lemmas) | frozenset(self.prep_cues) | frozenset(self.nominal_cues) \
            | frozenset(self.nominal_prep_cues) | self.words.get("no_response_verbs", frozenset())

    @cached_property
    def cue_hashes(self):
        """The cue words' string hashes, made once per lexicon (frames.find_frames reads them)."""
        return word_hashes(self.cue_words)

    @cached_property
    def idioms(self):
        """(the hashes of their verbs, [(words, the verb's position)]) of the fixed phrases that
        report nothing (word_lists.txt discourse_idioms; frame_parts.idiom_verbs), made once."""
        idioms = [(words, k) for words in map(str.split, self.words.get("discourse_idioms", ()))
                  for k, w in enumerate(words) if self.verb_lemma(w) is not None]
        return word_hashes({words[k] for words, k in idioms}), idioms

    @cached_property
    def given_names(self) -> dict[str, frozenset[str]]:
        """given_names.txt by section: each gender's given names and title words (name_runs)."""
        return read_sections(self.data_dir / "given_names.txt")

    @cached_property
    def title_hashes(self):
        """The title words' string hashes (name_runs.doc_name_runs: where a name run may start)."""
        return word_hashes(self.titles)

    @cached_property
    def interview_hashes(self):
        """The interview and telling verbs' string hashes (interviews.py: does an article name an
        interview at all)."""
        return word_hashes(self.words.get("interview_verbs", frozenset()) | self.words.get("telling_verbs", frozenset()))

    @classmethod
    def from_dir(cls, data_dir: Path = DATA_DIR) -> "Lexicon":
        d = Path(data_dir)
        lemmas: dict[str, str] = {}
        kinds: dict[str, str] = {}
        # quoting verbs first: "quoted" is a quoting cue before it is anything else
        _read_verbs(d / "quoting_verbs.txt", QUOTING, lemmas, kinds)
        _read_verbs(d / "reporting_verbs.txt", SPEECH, lemmas, kinds)
        _read_verbs(d / "belief_verbs.txt", BELIEF, lemmas, kinds)
        intentions: dict[str, str] = {}   # read like belief verbs: a clause or a to-infinitive
        _read_verbs(d / "intention_verbs.txt", BELIEF, lemmas, intentions)
        for lemma, kind in intentions.items():
            kinds.setdefault(lemma, kind)
        by_file = {}
        for name in ("object_verbs", "quoted_object_verbs", "evidence_object_verbs"):
            by_file[name] = {}
            _read_verbs(d / f"{name}.txt", OBJECT, lemmas, by_file[name])
        for lemma, kind in (by_file["object_verbs"] | by_file["quoted_object_verbs"]
                            | by_file["evidence_object_verbs"]).items():
            kinds.setdefault(lemma, kind)
        light: dict[str, str] = {}
        _read_verbs(d / "light_verbs.txt", "light", light, {})
        agencies = _read_agencies(d / "agencies.txt")
        # longest aliases first, so "Xinhua News Agency" wins over "Xinhua"
        aliases = sorted(agencies, key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in aliases) + r")(?!\w)",
                             re.IGNORECASE)
        agency_lines = [part.strip() for line in data_lines(d / "agencies.txt") for part in line.split("|")]
        return cls(
            data_dir=d,
            verb_lemmas=lemmas,
            verb_kinds=kinds,
            cue_kinds=_read_cue_kinds(d / "cue_kinds.txt", {lemma: INTENTION for lemma in intentions}),
            object_lemmas=frozenset(by_file["object_verbs"]),
            quoted_object_lemmas=frozenset(by_file["quoted_object_verbs"]),
            clause_only_lemmas=_words(d / "clause_only_verbs.txt"),
            evidence_object_lemmas=frozenset(by_file["evidence_object_verbs"]),
            evidence_nouns=_words(d / "evidence_nouns.txt"),
            nominal_cues={form: line.lower().split()[0] for line in data_lines(d / "nominal_cues.txt")
                          for form in line.lower().split()},
            issuing_verbs=_words(d / "issuing_verbs.txt"),
            prep_cues=_read_prep_cues(d / "prep_cues.txt"),
            nominal_prep_cues=_read_prep_cues(d / "nominal_prep_cues.txt"),
            light_verbs=frozenset(light),
            time_words=_words(d / "time_words.txt"),
            agency_names=agencies,
            agency_words=_words(d / "agency_words.txt"),
            short_aliases=frozenset(a for a in agency_lines if a and len(a) <= 3),
            agency_pattern=pattern,
            titles=frozenset(data_lines(d / "titles.txt")),
            kinds=read_sections(d / "speaker_kinds.txt"),
            words=read_sections(d / "word_lists.txt"),
            elisions=frozenset(data_lines(d / "elisions.txt")),
            word_classes=WordClasses.from_file(d / WORD_CLASSES_FILE),
        )

    def to_dir(self, path: Path) -> None:
        """Write the data files this lexicon was read from (spaCy's to_disk of the component)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for source in sorted(self.data_dir.glob("*.txt")) + sorted(self.data_dir.glob("*.json")) + sorted(self.data_dir.glob("*.npz")):
            shutil.copyfile(source, path / source.name)

    # --- lookups ---------------------------------------------------------------------------------

    def verb_lemma(self, word: str) -> str | None:
        """The lemma of a reporting/belief/quoting verb form ("said" -> "say"), or None."""
        return self.verb_lemmas.get(word.lower())

    def cue_kind(self, lemma: str | None) -> str | None:
        """What a cue attributes by its lemma or form (cue_kinds.txt, intention verbs), or None."""
        return self.cue_kinds.get(lemma)

    def verb_kind(self, lemma: str | None) -> str | None:
        return self.verb_kinds.get(lemma) if lemma else None

    def kind_of_word(self, word: str) -> str | None:
        """SPEECH / BELIEF / QUOTING / OBJECT for a verb form, or None."""
        return self.verb_kind(self.verb_lemma(word))

    def pattern_list(self, name: str) -> frozenset[str]:
        """A word list by the name patterns.json gives it ("@nominal_cues")."""
        lists = {
            "nominal_cues": lambda: frozenset(self.nominal_cues),
            "prep_cues": lambda: frozenset(self.prep_cues),
            "quoting_verbs": lambda: self._forms_of(QUOTING),
            "speech_verbs": lambda: self._forms_of(SPEECH),
            "relay_verbs": lambda: frozenset(form for form, lemma in self.verb_lemmas.items()
                                             if lemma in self.words["relay_verbs"]),
        }
        return lists[name]() if name in lists else self.words[name]

    def _forms_of(self, kind: str) -> frozenset[str]:
        return frozenset(form for form, lemma in self.verb_lemmas.items() if self.verb_kinds.get(lemma) == kind)

    def listed(self, section: str, word: str) -> bool:
        """Whether word (lower case) is in a section of word_lists.txt."""
        return word in self.words.get(section, ())

    def kind_words(self, kind: str) -> frozenset[str]:
        return self.kinds.get(kind, frozenset())

    def known_agency(self, text: str) -> tuple[str, int, int] | None:
        """(canonical name, start, end) of the first known agency alias within text, or None.
        Short aliases ("AP", "dpa") must match exactly as written, so that "ap" is no agency."""
        for match in self.agency_pattern.finditer(text):
            found = match.group(0)
            if len(found) <= 3 and found not in self.short_aliases:
                continue
            name = self.agency_names.get(found.casefold())
            if name is not None:     # (a case-insensitive match that case-folds otherwise: "İ")
                return name, match.start(), match.end()
        return None

    def outlet_name(self, text: str) -> str:
        """An outlet's name as a speaker: the canonical name of the known agency in `text`, else
        `text` as written."""
        known = self.known_agency(text)
        return known[0] if known else text

    def agency_name_from_words(self, words: list[str]) -> str | None:
        """The name of an outlet phrase recognised by pattern, or None when the phrase names none:
        - an agency word: "Interfax news agency" -> "Interfax", "the agency Abc Def" -> "Abc Def";
        - state media: "Chinese state television" (the phrase is the name);
        - an outlet word after a capitalised name: "the Kommersant newspaper" -> "Kommersant";
        - a masthead: "the Harbour Gazette" -> "Harbour Gazette"."""
        lowered = [w.lower() for w in words]
        agency_at = next((i for i, w in enumerate(lowered) if w in self.agency_words), None)
        if agency_at is not None:
            return _name_by_word(words, lowered, agency_at)
        state = self._state_media(words, lowered)
        if state is not None:
            return state
        outlets = self.words["outlet_words"]
        # as written, lower case: "Radio Free Europe" is a name, no "<Name> radio"
        outlet_at = next((i for i, w in enumerate(words) if w in outlets), None)
        named = _name_by_word(words, lowered, outlet_at) if outlet_at is not None else None
        return named or self._masthead(words)

    def _state_media(self, words: list[str], lowered: list[str]) -> str | None:
        """"Chinese state media", "Iran's state TV": the whole phrase (without "the"), for
        a state outlet with no name of its own; None for other phrases."""
        at = next((i for i, w in enumerate(lowered) if w in self.words["state_media"]), None)
        if at is None or at == 0 or lowered[at - 1] not in ("state", "state-run", "state-owned", "state-controlled"):
            return None
        start = 1 if lowered[0] == "the" else 0
        return " ".join(words[start:at + 1])

    def _masthead(self, words: list[str]) -> str | None:
        """"The Harbour Gazette", "the Springfield Herald": a run of capitalised words ending in a
        masthead word (word_lists.txt), without "The"; a masthead word alone ("the Times") is
        too often something else."""
        last = words[-1].lower() if words else ""
        if last not in self.words["masthead_words"]:
            return None
        start = len(words) - 1
        while start > 0 and words[start - 1][:1].isupper():
            start -= 1
        name = words[start + 1:] if words[start] == "The" else words[start:]
        return " ".join(name) if len(name) >= 2 else None

    def agency_record(self, doc_text: str, start_char: int, end_char: int) -> Agency | None:
        """An Agency for the phrase doc_text[start_char:end_char] if it names one (known or by
        pattern), else None."""
        text = doc_text[start_char:end_char]
        known = self.known_agency(text)
        if known is not None:
            return Agency(name=known[0], text=text, start=start_char, end=end_char)
        name = self.agency_name_from_words(re.findall(r"[\w'’.-]+", text))
        if name is None:
            return None
        return Agency(name=name, text=text, start=start_char, end=end_char)


def _name_by_word(words: list[str], lowered: list[str], at: int) -> str | None:
    """The capitalised words before the outlet word at `at` ("the state-run Xyz news agency" ->
    "Xyz"), else those right after it ("the agency Abc Def" -> "Abc Def"); None if neither."""
    name_end = at
    if name_end > 0 and lowered[name_end - 1] in ("news", "press", "information", "state"):
        name_end -= 1
    name_start = name_end
    while name_start > 0 and words[name_start - 1][:1].isupper() and words[name_start - 1] != "The":
        name_start -= 1
    if name_start < name_end:
        return " ".join(words[name_start:name_end])
    tail = []
    for w in words[at + 1:]:
        if not w[:1].isupper():
            break
        tail.append(w)
    return " ".join(tail) or None


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped data, for code and tests that run a stage without a pipeline."""
    return Lexicon.from_dir(DATA_DIR)
