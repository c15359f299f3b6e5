"""A news page's HTML -> its article text, with every character mapped back into the HTML.

    page = extract_article(html)        # raises NoArticleText when the page has no body text
    page.text, page.title               # the headline and body (paragraphs joined by blank lines), the headline
    page.html_span(start, end)          # (html_start, html_end): html[html_start:html_end]
                                        # renders to page.text[start:end]

Why Python's own `html.parser` tokenizer: highlighting a quote in the caller's document needs the
source position of every text node, and of the parsers that fit, only it reports them
(`getpos()` at every tag and text event, documented API). lxml and html5-parser build lxml trees
that keep a line number per element, not the character offset of text; selectolax (lexbor) and
trafilatura (lxml underneath) keep no positions at all, and aligning trafilatura's normalised
output back onto the page would be guesswork. The tokenizer is lenient by design (unclosed tags,
stray `<`, broken attributes become text or are ignored, it never raises on bad markup), ships
with Python and is maintained with it. On top of its event stream this module keeps a stack of
open elements and decides what is article text:

- dropped: `<head>`, scripts, styles, templates, SVG, forms, and boilerplate (`<header>`,
  `<nav>`, `<footer>`, `<aside>`, ARIA landmarks like `role="navigation"`, hidden elements, and
  class/id names like `menu`, `related`, `share`, `comments`), and paragraphs that are nothing
  but links (menus and "read more" lists);
- when the page marks its article (`<article>`, `<main>`, `role="main"`,
  `itemprop="articleBody"`), the marked element holding the most text is the article, so
  teasers of other stories are dropped too;
- block elements and `<br>` end paragraphs (joined by a blank line); whitespace runs inside one
  become one space, as a browser shows them; entities are decoded; `&nbsp;` is a space;
- the headline (`<h1>`, else `<title>`) is `title`; an `<h1>` headline is also the text's first
  paragraph, since a headline reports as a sentence does ("Lavrov says talks could resume"), and
  a `<title>` ("Story | Site") is not;
- the page's own publication date, where its markup states one (a `<meta>` naming it, a
  `<time>` marked as the publication time, else a JSON-LD `datePublished` in a script), is
  `published`, read in the same pass (no guessing from the text: a footer's copyright year is no
  date of publication).
"""
from __future__ import annotations

import bisect
import codecs
import html as html_entities
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

NO_ARTICLE_TEXT = "no article text found"

# Never text: what a browser does not show, or shows as controls.
HIDDEN_TAGS = frozenset({"head", "script", "style", "noscript", "template", "svg", "math",
                         "iframe", "object", "embed", "canvas", "select", "textarea", "button",
                         "form", "dialog", "input", "option"})
BOILERPLATE_TAGS = frozenset({"header", "nav", "footer", "aside", "menu"})
BOILERPLATE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search",
                               "menu", "menubar", "dialog", "alert"})
BOILERPLATE_NAMES = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|breadcrumbs?|footer|masthead|sidebar|related|"
    r"recommended|share|sharing|social|comments?|advert|advertisement|ads?|promo|newsletter|"
    r"subscribe|cookies?|banner|popup|modal|skip-link|trending|most-read|outbrain|taboola)"
    r"(?:$|[-_\s])", re.IGNORECASE)
ARTICLE_TAGS = frozenset({"article", "main"})
MAX_ARTICLE_NESTING = 32   # article markers inside article markers beyond this mark nothing more
TITLE_TAGS = frozenset({"title", "h1"})
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                       "param", "source", "track", "wbr", "keygen"})
HEAD_TAGS = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})
PARAGRAPH_BREAK = "\n\n"
# <meta> names (name, property or itemprop) that give the publication date.
PUBLISHED_META = frozenset({"article:published_time", "og:published_time", "datepublished",
                            "date", "pubdate", "publishdate", "dc.date.issued", "dcterms.issued",
                            "sailthru.date", "parsely-pub-date"})
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')

# A text node's pieces: a whitespace run, a character reference, a run of plain characters, or a
# lone "&". (The reference pattern is the one html.unescape decodes.)
_TEXT_PIECES = re.compile(r"[ \t\n\r\f\xa0]+"
                          r"|&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)"
                          r"|[^ \t\n\r\f\xa0&]+|&")
_SPACES = re.compile(r"[ \t\n\r\f\xa0]+")
# Where the tokenizer would start a tag, comment, declaration or processing instruction.
_MARKUP_START = re.compile(r"<[a-zA-Z/!?]")


class NoArticleText(ValueError):
    """The page has no body text (only navigation, scripts, or nothing)."""

    def __init__(self) -> None:
        super().__init__(NO_ARTICLE_TEXT)


@dataclass(frozen=True)
class Piece:
    """Output characters [out, out + length) come from html[src_start:src_end]. A literal piece
    maps character by character (src_end - src_start == length); any other (a whitespace run
    shown as one space, a decoded entity) maps each of its characters to the whole source range."""
    out: int
    length: int
    src_start: int
    src_end: int
    literal: bool


@dataclass(frozen=True)
class HtmlText:
    text: str
    title: str | None
    pieces: tuple[Piece, ...]
    _starts: tuple[int, ...] = field(repr=False, default=())
    published: str | None = None   # the date the page's markup gives, as it gives it

    def _piece(self, index: int) -> Piece:
        return self.pieces[bisect.bisect_right(self._starts, index) - 1]

    def html_start(self, index: int) -> int:
        """Where in the HTML the text's character `index` begins."""
        piece = self._piece(index)
        return piece.src_start + (index - piece.out if piece.literal else 0)

    def html_end(self, index: int) -> int:
        """Where in the HTML the text's character `index` ends (exclusive)."""
        piece = self._piece(index)
        return piece.src_start + index - piece.out + 1 if piece.literal else piece.src_end

    def html_span(self, start: int, end: int) -> tuple[int, int]:
        """(html_start, html_end) of text[start:end]; an empty span is empty in the HTML too."""
        if end <= start:
            position = self.html_start(start) if start < len(self.text) else self.pieces[-1].src_end
            return position, position
        return self.html_start(start), self.html_end(end - 1)


def extract_article(markup: str) -> HtmlText:
    """The article text of a page (see the module docstring). Never fails on bad markup; raises
    NoArticleText when nothing of the page is article text."""
    reader = _read(_without_unclosed_end(markup))   # a prefix: offsets into it are the page's
    blocks = _article_blocks(reader.blocks)
    if not blocks:
        raise NoArticleText()
    return _joined(blocks, _headline(reader.headlines, blocks), reader.published())


def _read(markup: str, keep_everything: bool = False) -> "_PageReader":
    reader = _PageReader(markup, keep_everything)
    reader.feed(markup)
    reader.close()
    return reader


def _without_unclosed_end(markup: str) -> str:
    """The markup without a tag, comment or declaration still open at its end ("...<p>text<a
    href=", "<!-- ..."): browsers show nothing of it, and the standard tokenizer rescans such an
    end from every "<" in it, which is quadratic ("<a " 20,000 times took 31 s)."""
    last_close = markup.rfind(">")
    opened = _MARKUP_START.search(markup, last_close + 1)
    return markup if opened is None else markup[:opened.start()]


def render_text(markup: str) -> str:
    """The text a fragment of HTML shows, whitespace collapsed, with nothing dropped (what a
    span's HTML must render to)."""
    reader = _read(markup, keep_everything=True)
    return PARAGRAPH_BREAK.join(block.text() for block in reader.blocks if block.chars)


def decode_html(data: bytes, declared_charset: str | None = None) -> str:
    """Bytes of a page -> str: a byte-order mark first, then the charset the server declared,
    then a <meta> charset in the first 4 KB, then UTF-8, else Windows-1252 (what browsers assume)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    for encoding in (declared_charset, _meta_charset(data[:4096]), "utf-8"):
        if encoding and _known_encoding(encoding):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    return data.decode("windows-1252", errors="replace")


# `=\s*(?:["']\s*)?`, not `=\s*["']?\s*`: side by side, two runs of spaces try every split of a long one
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*(?:["']\s*)?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _known_encoding(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


# --- building the text ------------------------------------------------------------------------------

@dataclass
class _Block:
    """One paragraph being read: its characters and where they came from."""
    articles: tuple[int, ...]        # ids of the article-marking elements it is inside
    boilerplate: bool = False
    parts: list[str] = field(default_factory=list)
    pieces: list[list] = field(default_factory=list)  # [out, length, src_start, src_end, literal]
    chars: int = 0
    link_chars: int = 0
    pending_space: tuple[int, int, bool] | None = None

    def add(self, text: str, src_start: int, src_end: int, literal: bool, in_link: bool) -> None:
        if self.pending_space is not None and self.chars:
            self._append(" ", *self.pending_space)
        self.pending_space = None
        self._append(text, src_start, src_end, literal)
        if in_link:
            self.link_chars += len(text)

    def space(self, src_start: int, src_end: int, literal: bool) -> None:
        """A whitespace run, shown as one space if text follows; `literal` when it is one " "."""
        if self.chars and self.pending_space is None:
            self.pending_space = (src_start, src_end, literal)

    def _append(self, text: str, src_start: int, src_end: int, literal: bool) -> None:
        self.parts.append(text)
        last = self.pieces[-1] if self.pieces else None
        if literal and last and last[4] and last[3] == src_start:
            last[1] += len(text)   # plain text running on in the source: one piece
            last[3] = src_end
        else:
            self.pieces.append([self.chars, len(text), src_start, src_end, literal])
        self.chars += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def only_links(self) -> bool:
        return self.link_chars >= self.chars - self.text().count(" ")


@dataclass
class _Element:
    tag: str
    hidden: bool          # inside something never shown
    boilerplate: bool     # inside navigation, header, footer, ...
    articles: tuple[int, ...]
    in_link: bool


class _PageReader(HTMLParser):
    """Turns the tokenizer's events into paragraphs (_Block) and headline candidates."""

    def __init__(self, markup: str, keep_everything: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.markup = markup
        self.keep_everything = keep_everything
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", markup)]
        self.stack: list[_Element] = [_Element("#root", False, False, (), False)]
        self.blocks: list[_Block] = []
        self.block: _Block | None = None
        self.headlines: list[tuple[str, _Block, tuple[int, ...], bool]] = []  # (tag, its text, articles, boilerplate)
        self.headline: tuple[str, _Block] | None = None   # the <h1> or <title> being read
        self.open_tags: dict[str, int] = {}   # how many of each tag are on the stack
        self.pending_text: int | None = None   # where a text event began, read up to the next event
        self.article_ids = 0
        self.meta_published: str | None = None      # from a <meta> or <time>
        self.json_ld_published: str | None = None   # from a script's JSON-LD

    # -- positions
    def _position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _flush_text(self) -> None:
        """A text event's source runs from its start to the next event's start."""
        if self.pending_text is None:
            return
        start, end = self.pending_text, self._position()
        self.pending_text = None
        if end > start:
            self._text(start, end)

    # -- tokenizer events
    def handle_data(self, data: str) -> None:
        # Consecutive text events (a stray "<" is one) are contiguous in the source: read them
        # as one run, from where the first began.
        if self.pending_text is None:
            self.pending_text = self._position()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._flush_text()
        self._start(tag, dict((name, value or "") for name, value in attrs))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._flush_text()
        self._start(tag, dict((name, value or "") for name, value in attrs))
        if tag not in VOID_TAGS:
            self._end(tag)

    def handle_endtag(self, tag: str) -> None:
        self._flush_text()
        self._end(tag)

    def handle_comment(self, data: str) -> None:
        self._flush_text()

    def handle_decl(self, decl: str) -> None:
        self._flush_text()

    def handle_pi(self, data: str) -> None:
        self._flush_text()

    def unknown_decl(self, data: str) -> None:
        self._flush_text()

    def close(self) -> None:
        super().close()
        if self.pending_text is not None:
            start, self.pending_text = self.pending_text, None
            self._text(start, len(self.markup))
        self._end_block()
        self._end_headline()

    # -- the publication date
    def published(self) -> str | None:
        return self.meta_published or self.json_ld_published

    def _note_published(self, tag: str, attrs: dict) -> None:
        if self.meta_published:
            return
        names = {attrs.get(key, "").lower() for key in ("name", "property", "itemprop")}
        if tag == "meta" and names & PUBLISHED_META and attrs.get("content"):
            self.meta_published = attrs["content"]
        elif tag == "time" and ("pubdate" in attrs or "datepublished" in names) and attrs.get("datetime"):
            self.meta_published = attrs["datetime"]

    # -- elements
    def _start(self, tag: str, attrs: dict) -> None:
        self._note_published(tag, attrs)
        if tag not in HEAD_TAGS:
            self._pop_to("head")   # body content closes an unclosed <head>
        if tag in BLOCK_TAGS:
            self._end_block()
            self._end_headline()   # an unclosed <h1> or <title> ends where a block begins
            if tag not in ("br", "hr") and self.stack[-1].tag == "p":
                self._pop_to("p")   # a block start closes an open paragraph
        parent = self.stack[-1]
        if tag in TITLE_TAGS and not self.keep_everything and not (parent.hidden and parent.tag != "head"):
            self.headline = (tag, _Block(parent.articles))
        if tag in VOID_TAGS:
            return
        articles = parent.articles
        if self._marks_article(tag, attrs) and len(articles) < MAX_ARTICLE_NESTING:
            self.article_ids += 1
            articles = articles + (self.article_ids,)
        drop = not self.keep_everything
        self.stack.append(_Element(
            tag, parent.hidden or (drop and (tag in HIDDEN_TAGS or _is_hidden(attrs))),
            parent.boilerplate or (drop and _is_boilerplate(tag, attrs)),
            articles, parent.in_link or tag == "a"))
        self.open_tags[tag] = self.open_tags.get(tag, 0) + 1

    def _end(self, tag: str) -> None:
        if tag in BLOCK_TAGS or tag in TITLE_TAGS:
            self._end_block()
        if self.headline is not None and self.headline[0] == tag:
            self._end_headline()
        if tag in ("body", "html"):
            return   # text after </body> is still shown by browsers
        self._pop_to(tag)

    def _pop_to(self, tag: str) -> None:
        """Close the innermost open `tag` and everything opened inside it (unclosed tags);
        an end tag with nothing open to close is ignored."""
        if not self.open_tags.get(tag):
            return
        while self.stack[-1].tag != tag:
            self._pop()
        self._pop()

    def _pop(self) -> None:
        self.open_tags[self.stack.pop().tag] -= 1

    @staticmethod
    def _marks_article(tag: str, attrs: dict) -> bool:
        return (tag in ARTICLE_TAGS or attrs.get("role", "").lower() == "main"
                or attrs.get("itemprop", "").lower() == "articlebody")

    def _end_headline(self) -> None:
        if self.headline is None:
            return
        tag, block = self.headline
        self.headline = None
        if block.chars:
            top = self.stack[-1]
            self.headlines.append((tag, block, top.articles, top.boilerplate or top.hidden and tag != "title"))

    # -- text
    def _text(self, start: int, end: int) -> None:
        if self.stack[-1].tag == "script" and self.json_ld_published is None:
            match = _JSON_LD_PUBLISHED.search(self.markup, start, end)
            self.json_ld_published = match.group(1) if match else None
        if self.stack[-1].tag == "head" and self.markup[start:end].strip():
            self._pop_to("head")   # text in a <head> is shown as body text
        top = self.stack[-1]
        if self.headline is not None and not (top.hidden and top.tag != "title"):
            self._read_into(self.headline[1], start, end, False)
            return
        if top.hidden or (top.boilerplate and not self.keep_everything):
            return
        self._read_into(self._current_block(top), start, end, top.in_link)

    def _read_into(self, block: _Block, start: int, end: int, in_link: bool) -> None:
        """The source's markup[start:end], a text event, as the block's characters."""
        for match in _TEXT_PIECES.finditer(self.markup, start, end):
            piece = match.group()
            if piece[0] in " \t\n\r\f\xa0":
                block.space(match.start(), match.end(), piece == " ")
            elif piece[0] == "&" and len(piece) > 1:
                decoded = html_entities.unescape(piece)
                if _SPACES.fullmatch(decoded):
                    block.space(match.start(), match.end(), False)
                else:
                    block.add(decoded, match.start(), match.end(), False, in_link)
            else:
                block.add(piece, match.start(), match.end(), True, in_link)

    def _current_block(self, top: _Element) -> _Block:
        if self.block is None:
            self.block = _Block(top.articles)
        return self.block

    def _end_block(self) -> None:
        if self.block is not None and self.block.chars:
            self.blocks.append(self.block)
        self.block = None


def _is_hidden(attrs: dict) -> bool:
    style = attrs.get("style", "").replace(" ", "").lower()
    return ("hidden" in attrs or attrs.get("aria-hidden", "").lower() == "true"
            or "display:none" in style or "visibility:hidden" in style)


def _is_boilerplate(tag: str, attrs: dict) -> bool:
    if tag in BOILERPLATE_TAGS or attrs.get("role", "").lower() in BOILERPLATE_ROLES:
        return True
    names = f"{attrs.get('class', '')} {attrs.get('id', '')}"
    return bool(BOILERPLATE_NAMES.search(names))


def _article_blocks(blocks: list[_Block]) -> list[_Block]:
    """The paragraphs of the article: link-only paragraphs dropped, and, when the page marks
    articles, only those inside the marked element with the most text of its own."""
    blocks = [block for block in blocks if not block.only_links()]
    own_chars: dict[int, int] = {}
    for block in blocks:
        if block.articles:
            own_chars[block.articles[-1]] = own_chars.get(block.articles[-1], 0) + block.chars
    if not own_chars:
        return blocks
    best = max(own_chars, key=own_chars.get)
    if own_chars[best] * 2 < sum(block.chars for block in blocks):
        return blocks   # the marked element holds less than half the text: not the article
    return [block for block in blocks if best in block.articles]


def _headline(headlines: list, blocks: list[_Block]) -> tuple[str, _Block] | None:
    """(tag, block) of the headline: the article's <h1>, else the first <h1> outside boilerplate,
    else the page's <title>."""
    articles = {a for block in blocks for a in block.articles}
    h1s = [(block, inside, boilerplate) for tag, block, inside, boilerplate in headlines if tag == "h1"]
    h1 = next((block for block, inside, _ in h1s if articles & set(inside)), None) \
        or next((block for block, _, boilerplate in h1s if not boilerplate), None)
    if h1 is not None:
        return "h1", h1
    return next((("title", block) for tag, block, _, _ in headlines if tag == "title"), None)


def _joined(blocks: list[_Block], headline: tuple[str, _Block] | None, published: str | None) -> HtmlText:
    """The text: an <h1> headline as its first paragraph (a headline reports as a sentence does),
    then the article's paragraphs; `title` is the headline's text."""
    if headline is not None and headline[0] == "h1":
        blocks = [headline[1]] + blocks
    parts: list[str] = []
    pieces: list[Piece] = []
    out = 0
    for block in blocks:
        if parts:
            previous_end = pieces[-1].src_end
            parts.append(PARAGRAPH_BREAK)
            pieces.append(Piece(out, len(PARAGRAPH_BREAK), previous_end, previous_end, False))
            out += len(PARAGRAPH_BREAK)
        parts.append(block.text())
        pieces.extend(Piece(out + offset, length, start, end, literal)
                      for offset, length, start, end, literal in block.pieces)
        out += block.chars
    title = headline[1].text() if headline is not None else None
    return HtmlText("".join(parts), title, tuple(pieces), tuple(piece.out for piece in pieces),
                    published)


# --- results for an HTML article ---------------------------------------------------------------------

def with_html_offsets(result: dict, page: HtmlText) -> dict:
    """An API result for an article sent as HTML: `text` (what start/end index) and `title` added,
    and `html_start`/`html_end` beside every span's `start`/`end` (quotes, fragments, speaker,
    cue, agency, addressee)."""
    return {**result, "quotes": [_mapped(quote, page) for quote in result["quotes"]],
            "text": page.text, "title": page.title}


def _mapped(value, page: HtmlText):
    if isinstance(value, list):
        return [_mapped(item, page) for item in value]
    if not isinstance(value, dict):
        return value
    mapped = {key: _mapped(item, page) for key, item in value.items()}
    if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
        mapped["html_start"], mapped["html_end"] = page.html_span(value["start"], value["end"])
    return mapped
