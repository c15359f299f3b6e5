"""HTML -> article text with offsets back into the HTML (service/html.py).

The seed stories and GUM's 24 news texts are wrapped in a realistic news page (tests/html_pages.py):
the extraction must give back exactly the article's body, the engine must find the same quotes in
it, and every span maps back to HTML that renders to the span's text -- checked with our own
renderer and independently with lxml.
"""
from __future__ import annotations

import re
import time

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from service.html import NoArticleText, decode_html, extract_article, render_text
from service.nlp import extract
from html_pages import article_lines, marks_for, news_page, page_text, plain_articles

ARTICLES = plain_articles()
SPAN_ROLES = ("speaker", "cue", "agency", "addressee")
_SPACES = re.compile(r"\s+")
LXML_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "br", "ul", "ol", "td", "tr", "section", "article"}


def lxml_render(fragment: str) -> str:
    """What lxml shows of an HTML fragment, blocks as spaces and whitespace collapsed."""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        if element.tag in LXML_BLOCKS:
            element.tail = " " + (element.tail or "")
            element.text = " " + (element.text or "")
    return _SPACES.sub(" ", root.text_content()).strip()


def spans_of(result: dict):
    """(start, end, text) of every span in a result: quotes, their fragments, and their parts."""
    for quote in result["quotes"]:
        yield quote["start"], quote["end"], quote["text"]
        for fragment in quote.get("fragments") or ():
            yield fragment["start"], fragment["end"], fragment["text"]
        for role in SPAN_ROLES:
            if quote[role]:
                yield quote[role]["start"], quote[role]["end"], quote[role]["text"]


def comparable(result: dict) -> list[tuple]:
    """What a reader compares between two results: each quote's words, speaker, cue and agency."""
    def words(text):
        return _SPACES.sub(" ", text).strip()
    return [(q["type"], words(q["text"]), (q["speaker"] or {}).get("name"),
             (q["cue"] or {}).get("lemma"), (q["agency"] or {}).get("name"))
            for q in result["quotes"]]


@pytest.fixture(scope="module")
def pages(nlp):
    """name -> (plain result, page HTML, extracted HtmlText, result on the extracted text)."""
    names = list(ARTICLES)
    plain = list(extract(nlp, [ARTICLES[name] for name in names]))
    html_pages = [news_page(ARTICLES[name], marks_for(result)) for name, result in zip(names, plain)]
    extracted = [extract_article(page) for page in html_pages]
    from_html = list(extract(nlp, [page.text for page in extracted]))
    return {name: row for name, *row in zip(names, plain, html_pages, extracted, from_html)}


def test_the_page_gives_back_exactly_the_article_and_its_headline(pages):
    for name, (_, page, extracted, _) in pages.items():
        assert extracted.text == page_text(ARTICLES[name]), name
        assert extracted.title == article_lines(ARTICLES[name])[0].strip(), name
        for boilerplate in ("Skip to content", "We use cookies", "Share on X", "Markets slide",
                            "All rights reserved", "Talks stall", "By Staff Reporter", "(Photo: Agency)"):
            assert boilerplate not in extracted.text, (name, boilerplate)


def test_the_page_has_inline_markup_inside_quotes(pages):
    """The test is only worth something if quotes really cross markup in the pages."""
    crossing = sum(page.count("<em>") for _, page, _, _ in pages.values())
    assert crossing > 150


def test_the_engine_finds_the_same_quotes_in_the_page_as_in_the_plain_text(pages):
    for name, (plain, _, _, from_html) in pages.items():
        assert comparable(from_html) == comparable(plain), name


def test_every_span_found_in_a_page_maps_back_to_html_rendering_its_text(pages):
    checked = 0
    for name, (_, page, extracted, from_html) in pages.items():
        for start, end, text in spans_of(from_html):
            assert extracted.text[start:end] == text
            html_start, html_end = extracted.html_span(start, end)
            fragment = page[html_start:html_end]
            assert render_text(fragment) == text, (name, fragment)
            assert lxml_render(fragment) == _SPACES.sub(" ", text).strip(), (name, fragment)
            checked += 1
    assert checked > 700


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_span_of_words_maps_back(pages, data):
    name = data.draw(st.sampled_from(sorted(pages)))
    _, page, extracted, _ = pages[name]
    # within the headline or within the body: a byline and a photo caption the text leaves out
    # lie between them in the page
    body = len(extracted.title) + len("\n\n")
    region = data.draw(st.sampled_from([(0, len(extracted.title)), (body, len(extracted.text))]))
    words = [m.span() for m in re.finditer(r"\S+", extracted.text) if region[0] <= m.start() < region[1]]
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, min(len(words) - 1, first + 80)))
    # from anywhere inside the first word to anywhere inside the last one
    start = data.draw(st.integers(*words[first]).filter(lambda i: i < words[first][1]))
    end = data.draw(st.integers(max(start, words[last][0]) + 1, words[last][1]))
    span = extracted.text[start:end]
    if span != span.strip():
        return
    html_start, html_end = extracted.html_span(start, end)
    assert render_text(page[html_start:html_end]) == span


# --- what news pages do to a parser ---------------------------------------------------------------

def test_entities_are_decoded_and_map_to_the_whole_reference():
    page = "<p>AT&amp;T&#8217;s &ldquo;plan&rdquo;&nbsp;&copy; &unknown; &amp</p>"
    extracted = extract_article(page)
    assert extracted.text == "AT&T’s “plan” © &unknown; &"
    start = extracted.text.index("“")
    assert page[slice(*extracted.html_span(start, start + 1))] == "&ldquo;"


def test_blocks_and_line_breaks_become_paragraphs():
    page = "<div>First line<br>second line<br/><br> third  \n line<p>para</p>tail</div>"
    assert extract_article(page).text == "First line\n\nsecond line\n\nthird line\n\npara\n\ntail"


def test_a_br_only_layout_keeps_its_paragraphs():
    page = ("<html><body><font face=arial>\"We will go,\" Lavrov said.<br><br>"
            "He added that the talks would go on.<br>\"It is early,\" he said.</font></body></html>")
    assert extract_article(page).text.split("\n\n") == [
        '"We will go," Lavrov said.', "He added that the talks would go on.", '"It is early," he said.']


def test_scripts_styles_and_hidden_parts_are_dropped_even_with_quote_marks_inside():
    page = ("<script>var s = \"</p>\\\"a quote,\\\" he said\";</script><style>p:before{content:'\"'}</style>"
            "<p>Text.</p><noscript>\"Enable JavaScript,\" we say.</noscript>"
            "<div hidden>\"Hidden,\" it said.</div><p style='display: none'>\"None\"</p>"
            "<template><p>\"Template\"</p></template><svg><text>\"Graph\"</text></svg>")
    assert extract_article(page).text == "Text."


def test_headlines_are_kept_apart_from_the_body():
    page = "<title>Site | Story</title><h1>Russia steps up push</h1><p>Lavrov said it could happen.</p>"
    extracted = extract_article(page)
    assert (extracted.title, extracted.text) == ("Russia steps up push",
                                                 "Russia steps up push\n\nLavrov said it could happen.")
    assert extracted.html_span(0, len("Russia steps up push")) == (page.index("Russia"), page.index("</h1>"))
    only_title = extract_article("<title>Only &amp; title</title><p>Body.</p>")
    assert (only_title.title, only_title.text) == ("Only & title", "Body.")   # a <title> is no text


def test_the_marked_article_wins_over_teasers_and_unmarked_text():
    page = ("<div>Sign up for our newsletter today.</div><article><p>Short teaser.</p></article>"
            "<article><p>The real story is longer than the teaser, it said.</p></article>")
    assert extract_article(page).text == "The real story is longer than the teaser, it said."


def test_paragraphs_that_are_only_links_are_dropped():
    page = '<p>Kerry said so.</p><p><a href="/x">Read more</a> <a href="/y">Next story</a></p>'
    assert extract_article(page).text == "Kerry said so."


@pytest.mark.parametrize("page", [
    "<p>Unclosed <b>bold <i>and italic<p>next paragraph",
    "<div><p>Wrong <b>nesting <i>here</b> still</i> text</div></p></span>",
    "<p>A < b and a <notatag and <!-- unclosed comment",
    "<p>Broken <a href=\"x>attribute</a> text</p><p>After.</p>",
    "<html><head><title>Unclosed title<body><p>Body text.</p>",
    "<h1>Unclosed headline<p>Body text.</p>",
    "<head><meta charset=utf-8>Text in a head without a body",
    "<![CDATA[ x ]]><?php echo 1 ?><!DOCTYPE html><p>Still fine.</p>",
    "\x00<p>NUL\x00 and \u202eright-to-left\u202c text 🚀</p>",
])
def test_bad_html_never_fails_and_keeps_its_offsets(page):
    extracted = extract_article(page)
    assert extracted.text.strip()
    for match in re.finditer(r"\S+", extracted.text):
        html_start, html_end = extracted.html_span(*match.span())
        assert render_text(page[html_start:html_end]) == match.group()


@pytest.mark.parametrize("page", [
    "", "   ", "<html><head><title>Only a title</title></head><body></body></html>",
    "<nav><a href=/>Home</a> <a href=/world>World</a></nav><footer>(c) 2026</footer>",
    "<script>document.write('\"Hi,\" he said')</script>", "<p>  &nbsp; </p><p><img src=x></p>",
])
def test_a_page_without_body_text_says_so(page):
    with pytest.raises(NoArticleText, match="no article text found"):
        extract_article(page)


def test_five_megabytes_of_navigation_is_quick_to_reject():
    links = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(120_000))
    page = f"<html><body><nav><ul>{links}</ul></nav><div class='menu'><ul>{links}</ul></div></body></html>"
    assert len(page) > 5_000_000
    started = time.monotonic()
    with pytest.raises(NoArticleText):
        extract_article(page)
    assert time.monotonic() - started < 60   # a sanity bound on a shared machine, not a benchmark


@pytest.mark.parametrize("page, text", [
    ('<p>"Hello," she said.<a href=', '"Hello," she said.'),
    ('<p>"Hello," she said.</p><!-- tracking pixel', '"Hello," she said.'),
    ("<p>She said 3 < 5, and more.", "She said 3 < 5, and more."),   # a "<" that opens nothing
])
def test_a_tag_or_comment_open_at_the_end_shows_nothing(page, text):
    """As in a browser; the tokenizer would rescan such an end from its every "<"."""
    assert extract_article(page).text == text


def test_deep_nesting_does_not_recurse_or_crawl():
    page = "<div>" * 100_000 + "<p>Deep text.</p>" + "</span>" * 100_000 + "</div>" * 100_000
    assert extract_article(page).text == "Deep text."


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<b>", "</i>", "<br>", "<nav>", "</nav>", "<script>",
                                 "</script>", "&amp;", "&", "&#x27;", "<", ">", "<!--", "-->", "\"",
                                 "<a href='", "'>", " ", "\n", "word", "Said", "<h1>", "</h1>"]),
                max_size=40))
def test_any_tag_soup_either_has_text_that_maps_back_or_says_it_has_none(pieces):
    page = "".join(pieces)
    try:
        extracted = extract_article(page)
    except NoArticleText:
        return
    for piece in extracted.pieces:
        if piece.literal:
            assert page[piece.src_start:piece.src_end] == extracted.text[piece.out:piece.out + piece.length]


def test_declared_charsets_decode_bytes():
    body = '<p>«Мы готовы», — сказал Лавров.</p>'
    page = f'<html><head><meta charset="windows-1251"></head><body>{body}</body></html>'
    assert extract_article(decode_html(page.encode("cp1251"))).text == "«Мы готовы», — сказал Лавров."
    latin = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>Café</p>'
    assert decode_html(latin.encode("latin-1")).endswith("<p>Café</p>")
    assert decode_html("<p>Café</p>".encode("utf-8"), declared_charset="utf-8") == "<p>Café</p>"
    assert decode_html(b"\xef\xbb\xbf<p>BOM</p>", declared_charset="latin-1") == "<p>BOM</p>"
    assert decode_html("<p>ça</p>".encode("cp1252")) == "<p>ça</p>"   # undeclared, not UTF-8
    assert decode_html(b"<meta charset=nonsense><p>x</p>") == "<meta charset=nonsense><p>x</p>"


def test_a_declared_charset_in_an_already_decoded_page_is_harmless():
    page = '<meta charset="iso-8859-1"><p>“Quoted,” said Müller.</p>'
    assert extract_article(page).text == "“Quoted,” said Müller."


# ---- the publication date, read in the same pass as the text ---------------------------------

BODY = "<article><p>“We are ready,” the minister said.</p></article>"


@pytest.mark.parametrize("head, published", [
    ('<meta property="article:published_time" content="2013-06-03T10:00:00Z">', "2013-06-03T10:00:00Z"),
    ('<meta name="DC.date.issued" content="2013-06-04"/>', "2013-06-04"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2013-06-05"}</script>',
     "2013-06-05"),
    # A <meta> or <time> wins over JSON-LD, wherever each is.
    ('<script type="application/ld+json">{"datePublished": "2001-01-01"}</script>'
     '<meta itemprop="datePublished" content="2013-06-06">', "2013-06-06"),
    ('<meta name="description" content="2013-06-07">', None),
], ids=["og-meta", "dc-meta-self-closed", "json-ld", "meta-before-json-ld", "other-meta"])
def test_the_page_gives_its_own_publication_date(head, published):
    page = extract_article(f"<html><head>{head}</head><body>{BODY}</body></html>")
    assert page.published == published
    assert page.text == "“We are ready,” the minister said."


def test_a_time_marked_as_published_dates_the_page_and_a_date_in_the_text_does_not():
    marked = extract_article(f'<body><time pubdate datetime="2013-06-08">June 8</time>{BODY}</body>')
    assert marked.published == "2013-06-08"
    text_only = extract_article('<body><p>"datePublished": "2013-06-09", he wrote.</p></body>')
    assert text_only.published is None


def test_a_bulk_html_record_is_parsed_once_for_its_text_and_its_date(monkeypatch):
    from html.parser import HTMLParser

    from service.bulk.extraction import with_text
    from service.bulk.records import Article

    feeds = []
    original = HTMLParser.feed
    monkeypatch.setattr(HTMLParser, "feed", lambda self, data: (feeds.append(len(data)), original(self, data)))
    html = f'<html><head><meta name="pubdate" content="2013-06-10"></head><body>{BODY}</body></html>'
    article = with_text(Article("p1", None, {"section": "world"}, html=html))
    assert feeds == [len(html)]
    assert article.meta == {"section": "world", "published": "2013-06-10"}
    assert article.text == "“We are ready,” the minister said."
