"""Realistic news pages around plain article texts, for the HTML tests (extraction, API, CLI, page).

`news_page(text, marks)` wraps an article the way a news site serves it: a <head> with a script
holding quote marks, a site header and navigation, the headline in <h1> with a byline, the body
paragraphs (each line of the text its own <p>, entities escaped) with inline markup (`marks`:
plain-text spans to wrap, e.g. <em> inside quotes and <a> around speakers), related links, share
buttons, a most-read box of other stories and a footer. `page_text(text)` is the text the
extraction must give back for it: the headline and every line after it, whitespace collapsed,
joined by blank lines.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUM = ROOT / "tests" / "data" / "gum" / "gum_news.jsonl"
SEEDS = ROOT / "tests" / "data" / "seeds"
_SPACES = re.compile(r"[ \t\n\r\f\xa0]+")

HEAD = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title} | The Daily Wire</title>
<link rel="stylesheet" href="/static/site.css">
<style>blockquote::before {{ content: "\\201C"; }} .x {{ font: 12px "Helvetica Neue"; }}</style>
<script>window.dataLayer = [{{"page": "article", "headline": "\\"Breaking,\\" he said"}}];</script>
</head>
<body class="article-page">
<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header">
  <a class="logo" href="/">The Daily Wire</a>
  <nav aria-label="Sections"><ul>
    <li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
    <li><a href="/business">Business</a></li><li><a href="/opinion">"Opinion"</a></li>
  </ul></nav>
  <form class="search" action="/search"><input name="q" placeholder="Search"><button>Go</button></form>
</header>
<div id="cookie-banner">We use cookies. <button>Accept</button></div>
<main id="content">
<article>
  <header class="article-header">
    <h1>{title}</h1>
    <p class="byline">By Staff Reporter, <time datetime="2026-11-30">30 November 2026</time></p>
  </header>
  <figure><img src="/img/lead.jpg" alt="A photo"><figcaption>Delegates arrive. (Photo: Agency)</figcaption></figure>
  <div class="article-body" itemprop="articleBody">
"""

TAIL = """
  </div>
  <aside class="related"><h2>Related</h2><ul>
    <li><a href="/a">"We will not back down," minister says</a></li>
    <li><a href="/b">Talks stall as envoys trade blame</a></li>
  </ul></aside>
  <div class="share-buttons"><a href="#">Share on X</a> <a href="#">Email</a></div>
</article>
<section class="most-read"><h2>Most read</h2><ol>
  <li><article class="teaser"><a href="/c">Markets slide</a><p>Shares fell on Monday, traders said.</p></article></li>
</ol></section>
</main>
<footer><p>&copy; 2026 The Daily Wire. All rights reserved.</p><nav><a href="/about">About</a></nav></footer>
<script src="/static/app.js"></script>
<script>document.querySelectorAll("p").forEach(p => p.title = "Share \\"this\\"");</script>
</body></html>
"""


def article_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def page_text(text: str) -> str:
    """What extracting `news_page(text)` must give: the headline and the lines after it, as paragraphs."""
    return "\n\n".join(_SPACES.sub(" ", line).strip() for line in article_lines(text))


def news_page(text: str, marks: list[tuple[int, int, str]] = ()) -> str:
    """The article as a news site's page. `marks` are (start, end, tag) spans of `text` to wrap in
    inline markup (<em>, <a>, <strong>); ones overlapping an earlier mark are left out."""
    tags = _inline_tags(marks)
    title = article_lines(text)[0]
    paragraphs, position = [], 0
    for line in text.split("\n"):
        start, position = position, position + len(line) + 1
        if line.strip() and start >= text.index(title) + len(title):
            paragraphs.append(f"    <p>{_marked_up(line, start, tags)}</p>")
    body = "\n".join(paragraphs)
    return HEAD.format(title=html.escape(title)) + body + TAIL


def _inline_tags(marks) -> dict[int, list[str]]:
    """Tag strings to insert at each offset of the text: closing tags before opening ones."""
    accepted: list[tuple[int, int]] = []
    opening: dict[int, list[str]] = {}
    closing: dict[int, list[str]] = {}
    for start, end, tag in marks:
        if end <= start or any(start < e and s < end for s, e in accepted):
            continue
        accepted.append((start, end))
        attributes = ' href="/topic/x"' if tag == "a" else ""
        opening.setdefault(start, []).append(f"<{tag}{attributes}>")
        closing.setdefault(end, []).append(f"</{tag}>")
    return {at: closing.get(at, []) + opening.get(at, []) for at in opening.keys() | closing.keys()}


def _marked_up(line: str, line_start: int, tags: dict[int, list[str]]) -> str:
    """One line of the text, entities escaped, with the inline tags that fall inside it."""
    out, last = [], 0
    for offset in sorted(at - line_start for at in tags if line_start <= at <= line_start + len(line)):
        out.append(html.escape(line[last:offset]))
        out.extend(tags[line_start + offset])
        last = offset
    out.append(html.escape(line[last:]))
    return "".join(out)


def marks_for(result: dict) -> list[tuple[int, int, str]]:
    """Inline markup a newsroom CMS would put in this article: a speaker's name linked, a cue
    in <strong>, and <em> around the middle words of every quote (so the quote crosses it)."""
    marks = []
    for quote in result["quotes"]:
        words = [m.span() for m in re.finditer(r"\S+", quote["text"])]
        if len(words) >= 3:
            marks.append((quote["start"] + words[1][0], quote["start"] + words[-2][1], "em"))
        if quote["speaker"]:
            marks.append((quote["speaker"]["start"], quote["speaker"]["end"], "a"))
        if quote["cue"]:
            marks.append((quote["cue"]["start"], quote["cue"]["end"], "strong"))
    return marks


def plain_articles() -> dict[str, str]:
    """The seed stories and GUM's news texts, by name."""
    articles = {path.stem[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}
    for line in GUM.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        articles[f"gum-{record['id']}"] = record["text"]
    return articles
