"""Find quoted spans in raw text: pair quote marks robustly.

Reads top-down:
  1. every quote-mark character gets a role (open / close / either) from its glyph and from what
     stands either side of it; apostrophes (Assad's, '90s, rock 'n' roll) are not marks at all;
  2. double marks are paired paragraph by paragraph; a quote still open at the end of a paragraph
     continues when the next paragraph opens with a mark (news style), else it is dropped; a
     curly quote inside a curly quote (“… what he calls “hell” …”) stays inside it;
  3. single marks are paired the same way, outside the double-quoted text only.
An unbalanced mark spoils only its own quote: pairing restarts at the next opening mark and at
every paragraph break, so one stray mark never shifts the pairs of the rest of the article.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator, NamedTuple

from .lexicon import default_lexicon
from .vocab import DASHES, LONG_DASHES

OPEN, CLOSE, EITHER = "open", "close", "either"

# Glyph -> the role it has when context does not say otherwise.
DOUBLE_MARKS = {'"': EITHER, "“": OPEN, "”": CLOSE, "„": OPEN, "‟": OPEN, "«": OPEN, "»": CLOSE,
                "＂": EITHER}
SINGLE_MARKS = {"'": EITHER, "‘": OPEN, "’": CLOSE, "‚": OPEN, "‛": OPEN, "‹": OPEN, "›": CLOSE}
# Characters that may stand right before an opening mark / right after a closing mark.
BEFORE_OPEN = set("([{</:;," + DASHES) | set(DOUBLE_MARKS) | set(SINGLE_MARKS)
AFTER_CLOSE = set(".,;:!?)]}>/…" + DASHES) | set(DOUBLE_MARKS) | set(SINGLE_MARKS)
DOUBLED = ("''", "``")          # two single marks standing for one double mark (NYT, PTB style)
# The characters find_marks looks at, per style: found by one regex scan, not a loop over the text.
GLYPHS = {style: re.compile("[%s]" % re.escape("".join(sorted(set(table) | set("'`")))))
          for style, table in (("double", DOUBLE_MARKS), ("single", SINGLE_MARKS))}
MAX_PARAGRAPHS = 12
MARKUP = re.compile(r"<[A-Za-z/!][^<>\n]{0,500}>")   # <tweet id="..." author="...">: attribute quotes   # a quote continued over more paragraphs than this is a pairing error


class QuotedSpan(NamedTuple):
    start: int                      # content start (just after the opening mark)
    end: int                        # content end (just before the closing mark)
    open_mark: int                  # offset of the opening mark
    close_mark: int                 # offset of the closing mark
    style: str                      # "double" | "single"
    pieces: tuple[tuple[int, int], ...]  # per-paragraph content pieces (one unless continued)
    after: int = 0                  # offset just after the closing mark ('' is two characters)


class Mark(NamedTuple):
    pos: int
    role: str
    paragraph: int
    starts_paragraph: bool          # only whitespace between the paragraph start and the mark
    width: int = 1                  # 2 for the typewriter doubles '' and ``


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace() or unicodedata.category(ch) == "Zs"


def _role(glyph_role: str, before: str, after: str) -> str | None:
    """The mark's role from the characters either side of it (None: not usable as a mark)."""
    opens = (_is_space(before) or before in BEFORE_OPEN) and not _is_space(after)
    closes = not _is_space(before) and (_is_space(after) or after in AFTER_CLOSE)
    if opens and not closes:
        return OPEN
    if closes and not opens:
        return CLOSE
    if _is_space(before) and _is_space(after):
        return None                 # a mark standing alone between spaces quotes nothing
    return glyph_role               # both or neither: trust the glyph


def _is_apostrophe(text: str, i: int, elisions: frozenset[str]) -> bool:
    """A single mark that is part of a word: don't, Assad's, '90s, rock 'n' roll, players' union."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before.isalnum() and after.isalnum():
        return True                 # inside a word
    if after.isdigit() and not before.isalnum():
        return True                 # '90s
    if not before.isalnum() and after.isalpha():
        j = i + 1
        while j < len(text) and text[j].isalpha():
            j += 1
        if text[i + 1:j].lower() in elisions and (j >= len(text) or not text[j].isalnum()):
            return True             # 'em, 'til, 'n'
    if before.lower() == "n" and i >= 2 and text[i - 2] in "'’‘":
        return True                 # the second mark of 'n'
    return False


def _paragraph_index(text: str) -> list[tuple[int, int]]:
    """(start, paragraph number) for every non-blank line; blank lines separate nothing extra."""
    starts, number, pos = [], 0, 0
    for line in text.split("\n"):
        if line.strip():
            starts.append((pos, number))
            number += 1
        pos += len(line) + 1
    return starts


def _doubled_at(text: str, i: int) -> bool:
    """Is text[i:i+2] a doubled mark ('' or ``) and not part of a longer run?"""
    return (text[i:i + 2] in DOUBLED and (i == 0 or text[i - 1] != text[i])
            and (i + 2 >= len(text) or text[i + 2] != text[i]))


def _glyph_at(text: str, i: int, style: str) -> tuple[str, int] | None:
    """(glyph role, width) of the mark of `style` starting at i, or None."""
    ch = text[i]
    if ch in "'`" and (_doubled_at(text, i) or (i > 0 and _doubled_at(text, i - 1))):
        if style == "double" and _doubled_at(text, i):
            return (OPEN if ch == "`" else EITHER), 2
        return None                 # a doubled mark is never a single mark
    table = DOUBLE_MARKS if style == "double" else SINGLE_MARKS
    return (table[ch], 1) if ch in table else None


def find_marks(text: str, style: str, skip: list[tuple[int, int]] = (),
               elisions: frozenset[str] = frozenset()) -> list[Mark]:
    """Quote marks of one style (double/single) in order, with roles; apostrophes left out.
    `skip` holds (start, end) regions whose marks are ignored (single marks inside double quotes)."""
    lines = _paragraph_index(text)
    marks: list[Mark] = []
    line_no, skip_no = 0, 0
    for found in GLYPHS[style].finditer(text):
        i = found.start()
        glyph = _glyph_at(text, i, style)
        if glyph is None:
            continue
        glyph_role, width = glyph
        while skip_no < len(skip) and skip[skip_no][1] <= i:
            skip_no += 1
        if skip_no < len(skip) and skip[skip_no][0] <= i < skip[skip_no][1]:
            continue
        if style == "single" and _is_apostrophe(text, i, elisions):
            continue
        before = text[i - 1] if i > 0 else ""
        after = text[i + width] if i + width < len(text) else ""
        role = _role(glyph_role, before, after)
        if role is None:
            continue
        while line_no + 1 < len(lines) and lines[line_no + 1][0] <= i:
            line_no += 1
        line_start, paragraph = lines[line_no] if lines else (0, 0)
        marks.append(Mark(i, role, paragraph, not text[line_start:i].strip(), width))
    return marks


def _possessive_like(text: str, mark: Mark) -> bool:
    """players' union: a closing single mark after -s followed by a lower-case word."""
    i = mark.pos
    return (i > 0 and text[i - 1] in "sS" and i + 2 < len(text) and text[i + 1] == " "
            and text[i + 2].islower())


def pair_marks(text: str, marks: list[Mark], style: str) -> Iterator[QuotedSpan]:
    """Pair marks into quoted spans; an unbalanced mark drops only its own quote."""
    opened: Mark | None = None
    pieces: list[tuple[int, int]] = []
    piece_start = 0
    inner = 0                       # closing marks owed to quotes nested in the open one
    for k, mark in enumerate(marks):
        if opened is not None and mark.paragraph != _reached_paragraph(opened, pieces):
            continues = (mark.paragraph == _reached_paragraph(opened, pieces) + 1
                         and mark.starts_paragraph and mark.role != CLOSE
                         and len(pieces) < MAX_PARAGRAPHS)
            if continues:           # news style: the quote runs on into this paragraph
                pieces.append((piece_start, _line_end(text, piece_start)))
                piece_start = mark.pos + mark.width
                continue
            if style == "double" and _closes_next_paragraph(text, opened, pieces, piece_start, mark):
                # a line break inside the quote (text split at sentences): close it there
                pieces.append((piece_start, _line_end(text, piece_start)))
                piece_start = _paragraph_start(text, mark.pos)
            else:
                opened, pieces = None, []  # the open quote never closed: drop it alone
        if opened is None:
            if mark.role != CLOSE:  # a stray closing mark with nothing open is ignored
                opened, pieces, piece_start, inner = mark, [], mark.pos + mark.width, 0
            continue
        if mark.role == OPEN and _nested(text, opened, marks, k):
            inner += 1              # “… what he calls “hell” than …”: a quote inside the quote
            continue
        if mark.role == OPEN:       # a second opening mark: the first one was unbalanced
            opened, pieces, piece_start, inner = mark, [], mark.pos + mark.width, 0
            continue
        if inner:
            inner -= 1
            continue
        if style == "single" and _possessive_like(text, mark) and _later_close(text, marks, k):
            continue                # players' union ... 'quote': wait for the real closing mark
        span = _make_span(text, opened, mark, pieces + [(piece_start, mark.pos)], style)
        if span is not None:
            yield span
        opened, pieces = None, []


def _nested(text: str, opened: Mark, marks: list[Mark], k: int) -> bool:
    """A second “ inside a quote opened with “, when the next two marks of its paragraph are both
    ”: the inner quote's and the outer one's. (Straight marks cannot say so; a mixed pair, '"“…”
    …"', is a quotation quoted, whose inner words are the ones attributed.)"""
    following = marks[k + 1:k + 3]
    return (text[opened.pos] == text[marks[k].pos] == "“" and len(following) == 2
            and all(text[m.pos] == "”" and m.paragraph == marks[k].paragraph for m in following))


def _closes_next_paragraph(text: str, opened: Mark, pieces, piece_start: int, mark: Mark) -> bool:
    """"said, "I think so.<break>It was fun." Then…": the open quote's paragraph ends a sentence
    and the next paragraph's first mark closes it: one quote broken by a line break."""
    line_end = _line_end(text, piece_start)
    # a single line break is a pull-quote's attribution line ("…\nDonald Trump."): not this
    return (mark.role == CLOSE and not mark.starts_paragraph
            and mark.paragraph == _reached_paragraph(opened, pieces) + 1
            and text[piece_start:line_end].rstrip()[-1:] in ".!?"
            and "\n" in text[line_end + 1:_paragraph_start(text, mark.pos)])


def _paragraph_start(text: str, pos: int) -> int:
    start = text.rfind("\n", 0, pos) + 1
    while start < pos and text[start].isspace():
        start += 1
    return start


def _reached_paragraph(opened: Mark, pieces) -> int:
    """Paragraph the open quote has reached (the opening paragraph plus continuations)."""
    return opened.paragraph + len(pieces)


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _later_close(text: str, marks: list[Mark], k: int) -> bool:
    """Is there a better closing mark later in the same paragraph, before any opening mark?"""
    for later in marks[k + 1:]:
        if later.paragraph != marks[k].paragraph or later.role == OPEN:
            return False
        if not _possessive_like(text, later):
            return True
    return False


def _make_span(text: str, opened: Mark, closed: Mark, pieces, style: str) -> QuotedSpan | None:
    """The span between the marks, trimmed of whitespace; None when it holds no word."""
    start, end = opened.pos + opened.width, closed.pos
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not any(ch.isalnum() for ch in text[start:end]):
        return None
    pieces = tuple((max(a, start), min(b, end)) for a, b in pieces if min(b, end) > max(a, start))
    return QuotedSpan(start, end, opened.pos, closed.pos, style, pieces or ((start, end),),
                      closed.pos + closed.width)


def find_quoted(text: str, elisions: frozenset[str] | None = None) -> list[QuotedSpan]:
    """All top-level quoted spans in `text`, in order: double-quoted ones, and single-quoted ones
    outside them. `elisions` are words written with a leading apostrophe ('em, 'til: the
    lexicon's, by default). Never raises on any string."""
    if elisions is None:
        elisions = default_lexicon().elisions
    markup = [m.span() for m in MARKUP.finditer(text)]
    doubles = list(pair_marks(text, find_marks(text, "double", markup), "double"))
    taken = sorted(markup + [(q.open_mark, q.after) for q in doubles])
    singles = list(pair_marks(text, find_marks(text, "single", taken, elisions), "single"))
    return sorted(doubles + singles, key=lambda q: q.start)


# --- text shapes the later stages read ---------------------------------------------------------

SENTENCE_END = ".!?…:"
CLOSING = "\"'”’»›)]"


def title_like(quoted: str) -> bool:
    """"Orange Is the New Black", "Meet the Press": every long word capitalised, no sentence end."""
    words = [w for w in quoted.split() if len(w) > 3 and w[:1].isalpha()]
    return (bool(words) and all(w[:1].isupper() for w in words)
            and quoted.rstrip(CLOSING + ",").rstrip()[-1:] not in SENTENCE_END)


def next_word(text: str, offset: int) -> int:
    """Offset of the first non-space character at or after offset (within the next 200)."""
    end = min(len(text), offset + 200)
    while offset < end - 1 and text[offset].isspace():
        offset += 1
    return offset


def colon_before(text: str, offset: int) -> int | None:
    """Offset of a colon standing right before offset (spaces between allowed): "X said: "...""."""
    i = offset - 1
    while i >= 0 and text[i].isspace() and offset - i < 200:
        i -= 1
    return i if i >= 0 and text[i] == ":" else None


MAX_TITLE_WORDS = 20             # a line this short without end punctuation is a headline/title
# a quotation closed inside its sentence and followed by more words: ""We are ready," Lopez said."
ATTRIBUTED_LEDE = re.compile(r"[,.!?…][\"”’'»]\s+\w")
# the dash that signs a quotation with a name: a dash or bar, or a hyphen between spaces
SIGNATURE_DASH = r"(?:[" + LONG_DASHES + r"]|(?<=\s)-(?=\s))"
# a quotation signed on its own line: '“We woke up.” ― Julie Diaz' (a quote, not a title)
SIGNED_QUOTE = re.compile(r"[\"”»][^\S\n]*" + SIGNATURE_DASH + r"[^\S\n]*[A-Z][^\"“”]{0,60}$")


def headline(text: str) -> tuple[int, int] | None:
    """The first line of a text of several lines (its words' extent): the headline, if any."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return (start, end) if end >= 0 and text[end:].strip() else None


def without_headline(text: str, titles: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The title lines but the headline: a headline reports as a sentence does ("De Blasio says
    blast was intentional"); section titles report nothing."""
    first = headline(text)
    return [t for t in titles if first is None or not t[0] <= first[0] < t[1]]


def title_lines(text: str) -> list[tuple[int, int]]:
    """Char ranges of lines that are headlines or section titles: the first line of a multi-line
    article when short, and any short line that does not end like a sentence."""
    lines, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    ranges = []
    for k, (start, end, line) in enumerate(lines):
        words = len(line.split())
        ends_sentence = line.rstrip(CLOSING + " ")[-1:] in SENTENCE_END
        first_is_headline = k == 0 and not ATTRIBUTED_LEDE.search(line)
        if SIGNED_QUOTE.search(line):
            continue
        if len(lines) > 1 and words <= MAX_TITLE_WORDS and (first_is_headline or not ends_sentence):
            ranges.append((start, end))
    return ranges
