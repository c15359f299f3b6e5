"""The page at GET / in a real browser: headless Chromium (Debian's package) driven by Playwright,
against the real service (nginx in front of gunicorn, as in production). Every test also checks that no request leaves the service."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import expect, sync_playwright

from service.nlp.serialize import ROW_COLUMNS, quote_rows

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Small limits so the error paths are cheap to reach; both seed articles fit well inside them.
MAX_BODY_BYTES = 40_000
MAX_TEXT_CHARS = 20_000


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def server_url(live_server):
    """The shared real service from conftest (nginx + gunicorn, default settings)."""
    return live_server


@pytest.fixture(scope="module")
def small_limits_url(start_service):
    """A second real service (nginx + gunicorn) with small body/text limits, so the error paths
    are cheap to reach."""
    server = start_service(env={"QUOTEWIRE_MAX_BODY_BYTES": str(MAX_BODY_BYTES),
                                 "QUOTEWIRE_MAX_TEXT_CHARS": str(MAX_TEXT_CHARS)}, workers=1)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make system-deps)")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """A browser tab on the page that records every request and blocks any to another origin."""

    def __init__(self, browser, server_url, viewport=None):
        self.origin = server_url
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                                           accept_downloads=True)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)
        self.page.goto(server_url + "/")

    def _console(self, message):
        # The browser logs every non-2xx response as an error; those are expected in error tests.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if self.on_origin(url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    def on_origin(self, url: str) -> bool:
        parts, origin = urlsplit(url), urlsplit(self.origin)
        return (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc)

    def extract(self, text: str) -> dict | None:
        """Paste `text`, press Extract and return the API's JSON answer (None if not JSON)."""
        self.page.fill("#article-text", text)
        with self.page.expect_response(lambda r: r.url.endswith("/v1/quotes"), timeout=120_000) as info:
            self.page.click("#extract-button")
        response = info.value
        # Locator waits, not wait_for_function: the page's CSP (rightly) forbids the eval it polls with.
        expect(self.page.locator("#extract-button")).to_be_enabled()
        self.page.mouse.move(0, 0)  # the pointer must not hover a highlight and show its card
        try:
            return response.json()
        except Exception:  # noqa: BLE001 - a non-JSON body is reported by the caller's asserts
            return None

    def close(self):
        self.context.close()
        off_origin = [url for url in self.requests
                      if not (self.on_origin(url) or url.startswith(("data:", "blob:")))]
        assert self.requests, "the page made no requests at all"
        assert off_origin == [], f"requests left the service: {off_origin}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def tab(browser, server_url):
    page = Page(browser, server_url)
    yield page
    page.close()


@pytest.fixture
def limited_tab(browser, small_limits_url):
    page = Page(browser, small_limits_url)
    yield page
    page.close()


@pytest.fixture(scope="module")
def seeds_result(browser, server_url):
    """Both seed articles in one paste: the page and the API answer after extraction."""
    page = Page(browser, server_url)
    text = seed("000") + "\n\n" + seed("003")
    result = page.extract(text)
    yield page, text, result
    page.close()


def marked_text(page, quote_id: str) -> str:
    """The article text under all highlight pieces of one quote, in document order."""
    return page.eval_on_selector_all(
        f'#article-view mark.quote[data-quote="{quote_id}"]',
        """marks => marks.filter(m => !m.parentElement.closest(`mark.quote[data-quote="${m.dataset.quote}"]`))
                        .map(m => m.textContent).join('')""")


def words_of(quote: dict) -> str:
    """What the page marks of a quote: its fragments when it is interrupted, else its text."""
    return "".join(f["text"] for f in quote["fragments"]) or quote["text"]


def quotes_by(result: dict, name: str) -> list[dict]:
    return [q for q in result["quotes"] if q["speaker"] and q["speaker"]["name"] == name]


def drop_file(page, name: str, media_type: str, content: str) -> None:
    """A real drop event carrying a file on the drop zone, as a desktop browser sends it."""
    page.evaluate("""([name, type, content]) => {
      const data = new DataTransfer();
      data.items.add(new File([content], name, { type }));
      const zone = document.getElementById('drop-zone');
      for (const event of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(event, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    }""", [name, media_type, content])


def roster_names(page) -> list[str]:
    return page.eval_on_selector_all("#roster .speaker-name", "nodes => nodes.map(n => n.textContent)")


def test_page_and_assets_are_served_by_the_service(tab):
    page = tab.page
    assert page.title().startswith("Quotewire")
    assert {urlsplit(u).path for u in tab.requests} >= {
        "/", "/static/web/app.css", "/static/web/app.js", "/static/web/highlight.js"}
    csp = requests.get(tab.origin + "/", timeout=10).headers["Content-Security-Policy"]
    assert "connect-src 'self'" in csp and "script-src 'self'" in csp
    assert page.locator("#status").get_attribute("role") == "status"
    assert page.locator("#article-text").is_visible()
    docs = page.eval_on_selector("a[href='docs']", "a => a.href")  # the link to the API docs works
    assert requests.get(docs, timeout=30).status_code == 200


def test_seed_articles_show_speakers_with_their_quotes_highlighted(seeds_result):
    tab, text, result = seeds_result
    page = tab.page
    assert result is not None and "quotes" in result, result
    assert page.locator("#error").is_hidden()
    assert page.locator("#status").inner_text().startswith(f"Found {len(result['quotes'])} quote")

    names = roster_names(page)
    for speaker, quote_start in [("Mikhail Bogdanov", "We regard Iran as a very important partner"),
                                 ("Sergei Lavrov", "They did not refuse to come to Moscow"),
                                 ("Hassan Rouhani", "I think today everyone has accepted")]:
        assert speaker in names, f"{speaker} not in the roster {names}"
        own = quotes_by(result, speaker)
        assert any(q["text"].startswith(quote_start) for q in own), (speaker, [q["text"] for q in own])
        for quote in own:
            assert marked_text(page, quote["id"]) == words_of(quote)
            # Highlighted in this speaker's colour, like the roster swatch.
            fill = page.eval_on_selector(f"#quote-{quote['id']}", "m => getComputedStyle(m).getPropertyValue('--fill')")
            swatch = page.eval_on_selector(f'#roster .speaker[data-speaker="{speaker}"] .swatch',
                                           "s => getComputedStyle(s).getPropertyValue('--fill')")
            assert fill and fill == swatch

    # Different speakers, different colours.
    fills = {page.eval_on_selector(f'#roster .speaker[data-speaker="{n}"] .swatch',
                                   "s => s.style.getPropertyValue('--fill')")
             for n in ["Mikhail Bogdanov", "Sergei Lavrov", "Hassan Rouhani"]}
    assert len(fills) == 3


def test_every_highlight_covers_exactly_its_quote(seeds_result):
    tab, text, result = seeds_result
    page = tab.page
    assert result["quotes"], "no quotes found in the seed articles"
    for quote in result["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]
        assert marked_text(page, quote["id"]) == words_of(quote), quote["id"]
    # The article is shown in full, as text.
    assert page.eval_on_selector("#article-view", "v => v.textContent") == text


def test_focusing_the_interfax_quote_shows_its_agency_and_details(seeds_result):
    tab, text, result = seeds_result
    page = tab.page
    quote = next(q for q in result["quotes"] if q["text"].startswith("We regard Iran"))
    assert quote["agency"] and quote["agency"]["name"] == "Interfax", quote
    page.focus(f"#quote-{quote['id']}")
    card = page.locator("#quote-card")
    assert card.is_visible()
    details = dict(zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts()))
    assert details["Agency"] == "Interfax"
    assert details["Type"] == quote["type"]
    assert details["Cue"] == quote["cue"]["text"]
    assert card.locator("strong").inner_text() == "Mikhail Bogdanov"
    assert "null" not in card.inner_text() and "undefined" not in card.inner_text()
    # Screen readers get the same facts through aria-describedby.
    described = page.get_attribute(f"#quote-{quote['id']}", "aria-describedby")
    assert "Agency: Interfax" in page.eval_on_selector(f"#{described}", "d => d.textContent")
    page.keyboard.press("Escape")
    assert card.is_hidden()


def test_roster_click_jumps_to_the_quote_and_type_toggles_filter(seeds_result):
    tab, text, result = seeds_result
    page = tab.page
    rouhani = quotes_by(result, "Hassan Rouhani")[0]
    page.click(f'#roster button.jump[data-quote="{rouhani["id"]}"]')
    assert page.evaluate("document.activeElement.id") == f"quote-{rouhani['id']}"
    assert page.locator("#quote-card").is_visible()

    for type_ in ["direct", "mixed", "indirect"]:
        count = sum(q["type"] == type_ for q in result["quotes"])
        assert page.inner_text(f"#count-{type_}") == str(count)
        page.uncheck(f"#show-{type_}")
        hidden = page.eval_on_selector_all(
            f'#article-view mark.quote[data-type="{type_}"]',
            "ms => ms.every(m => m.classList.contains('filtered') && m.tabIndex < 1)")
        assert hidden
        assert page.locator(f'#roster li[data-type="{type_}"]:visible').count() == 0
        page.check(f"#show-{type_}")
        assert page.locator(f'#roster li[data-type="{type_}"]:visible').count() == count


def test_keyboard_reaches_quotes_with_a_visible_focus(seeds_result):
    tab, text, result = seeds_result
    page = tab.page
    page.focus("#extract-button")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.quote')"):
            break
    first = page.evaluate("document.activeElement.id")
    assert first == page.eval_on_selector("#article-view mark.quote[tabindex='0']", "m => m.id")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    assert page.locator("#quote-card").is_visible()


def test_exports_match_the_api_result_and_the_cli_columns(seeds_result, tmp_path):
    tab, text, result = seeds_result
    page = tab.page
    with page.expect_download() as info:
        page.click("#export-json")
    assert json.loads(Path(info.value.path()).read_text(encoding="utf-8")) == result

    with page.expect_download() as info:
        page.click("#export-csv")
    assert info.value.suggested_filename.endswith(".csv")
    content = Path(info.value.path()).read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(content, newline="")))
    assert tuple(rows[0]) == ROW_COLUMNS
    expected = [[_csv_value(row[c]) for c in ROW_COLUMNS] for row in quote_rows(result["id"], result)]
    assert rows[1:] == expected


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # JavaScript prints 1.0 as 1
    return str(value)


def test_astral_characters_do_not_shift_highlights(tab):
    # Emoji, flags and mathematical letters are one code point each in Python, two UTF-16 units in JS.
    text = "🇷🇺 𝐌𝐨𝐬𝐜𝐨𝐰 👍🏽 — " + seed("000")
    result = tab.extract(text)
    assert result["quotes"], "no quotes found after the astral prefix"
    for quote in result["quotes"]:
        assert marked_text(tab.page, quote["id"]) == words_of(quote), quote


def test_an_interrupted_quote_is_marked_on_its_words_not_on_the_attribution(tab):
    text = '"I have given this city twelve years of my life," Dubois said. "I have no regrets."'
    (quote,) = tab.extract(text)["quotes"]
    assert len(quote["fragments"]) == 2
    assert marked_text(tab.page, quote["id"]) == words_of(quote)
    assert "Dubois" not in marked_text(tab.page, quote["id"])
    # one focusable mark per quote: the second fragment lights up with the first
    assert tab.page.locator(f'#article-view mark.quote[data-quote="{quote["id"]}"][tabindex="0"]').count() == 1


def test_nested_and_crossing_quotes_are_laid_out_without_losing_text(tab):
    # The renderer on its own, with spans a result may contain: a mixed quote holding a direct one,
    # and two that cross. Offsets are code points, as the API sends them.
    outcome = tab.page.evaluate("""async () => {
      const h = await import('/static/web/highlight.js');
      const text = '😀 He said the plan "is 🚀 fine" and "done" today.';
      const pts = h.codePoints(text);
      const at = (s) => { const i = pts.join('').indexOf(s); return h.codePoints(pts.join('').slice(0, i)).length; };
      const span = (s) => ({ start: at(s), end: at(s) + h.codePoints(s).length });
      const items = [
        { kind: 'quote', ...span('the plan "is 🚀 fine" and'), id: 'outer' },
        { kind: 'quote', ...span('is 🚀 fine'), id: 'inner' },
        { kind: 'quote', ...span('and "done" today'), id: 'cross' },
      ];
      const frag = h.renderLayout(document, h.layoutSpans(pts, items), (item, continued) => {
        const m = document.createElement('mark'); m.dataset.q = item.id; m.dataset.continued = continued; return m; });
      const box = document.createElement('div'); box.append(frag);
      const pieces = (id) => [...box.querySelectorAll(`mark[data-q="${id}"]`)]
        .filter(m => !m.parentElement.closest(`mark[data-q="${id}"]`)).map(m => m.textContent).join('');
      return { all: box.textContent, text,
               outer: pieces('outer'), inner: pieces('inner'), cross: pieces('cross'),
               innerInsideOuter: !!box.querySelector('mark[data-q="outer"] mark[data-q="inner"]'),
               crossPieces: box.querySelectorAll('mark[data-q="cross"]').length };
    }""")
    assert outcome["all"] == outcome["text"]
    assert outcome["outer"] == 'the plan "is 🚀 fine" and'
    assert outcome["inner"] == "is 🚀 fine"
    assert outcome["cross"] == 'and "done" today'
    assert outcome["innerInsideOuter"]
    assert outcome["crossPieces"] == 2


def test_article_text_is_never_treated_as_markup(tab):
    text = ('<img src="https://example.invalid/x.png" onerror="document.title=\'pwned\'"> '
            + seed("000"))
    tab.extract(text)
    page = tab.page
    assert page.locator("#article-view img").count() == 0
    assert page.title() != "pwned"
    assert page.inner_text("#article-view").startswith('<img src="https://example.invalid/x.png"')


def test_too_large_article_gets_a_clear_413_message(limited_tab):
    tab = limited_tab
    tab.extract("Word " * (MAX_BODY_BYTES // 4))
    error = tab.page.locator("#error")
    assert error.is_visible()
    assert error.get_attribute("role") == "alert"
    assert "too large" in error.inner_text()
    assert tab.page.inner_text("#extract-button") == "Extract quotes"


def test_too_long_text_gets_a_clear_422_message(limited_tab):
    tab = limited_tab
    text = "Word " * (MAX_TEXT_CHARS // 5 + 100)
    assert len(text.encode()) < MAX_BODY_BYTES - 100 and len(text) > MAX_TEXT_CHARS
    tab.extract(text)
    error = tab.page.locator("#error")
    assert error.is_visible()
    assert "could not accept this text" in error.inner_text()


def test_text_that_is_not_english_gets_the_warning_and_english_text_none(tab):
    page = tab.page
    result = tab.extract("„Wir schaffen das“, sagte Merkel.")
    assert result["quotes"] == [] and "not English" in result["meta"]["warning"]
    warning = page.locator("#warning")
    expect(warning).to_be_visible()
    assert warning.inner_text() == result["meta"]["warning"]
    assert "German" in warning.inner_text()

    result = tab.extract('"It was a team effort," Kane said.')
    assert len(result["quotes"]) == 1 and "warning" not in result["meta"]
    expect(warning).to_be_hidden()


def test_network_failure_and_empty_input_get_clear_messages(tab):
    page = tab.page
    page.click("#extract-button")
    assert "Paste an article" in page.inner_text("#error")

    page.route("**/v1/quotes", lambda route: route.abort("connectionrefused"))
    page.fill("#article-text", seed("000"))
    page.click("#extract-button")
    page.wait_for_selector("#error:not([hidden])")
    assert "Could not reach the Quotewire service" in page.inner_text("#error")
    assert page.is_enabled("#extract-button")


def test_readable_on_a_phone(browser, server_url):
    phone = Page(browser, server_url, viewport={"width": 390, "height": 844})
    try:
        result = phone.extract(seed("003"))
        page = phone.page
        assert result["quotes"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("#roster .speaker").count() >= 1
        page.focus(f"#quote-{result['quotes'][0]['id']}")
        box = page.locator("#quote-card").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        # The bottom sheet leaves the focused quote in sight.
        quote_box = page.locator(f"#quote-{result['quotes'][0]['id']}").bounding_box()
        assert quote_box["y"] >= 0 and quote_box["y"] + quote_box["height"] <= box["y"]
    finally:
        phone.close()


def test_a_txt_file_can_be_chosen_or_dropped(tab, tmp_path):
    page = tab.page
    article = seed("003")
    path = tmp_path / "article.txt"
    path.write_text(article, encoding="utf-8")
    page.set_input_files("#file-input", str(path))
    expect(page.locator("#article-text")).to_have_value(article)
    assert "article.txt" in page.inner_text("#status")

    page.fill("#article-text", "")
    drop_file(page, "dropped.txt", "text/plain", "Dropped “article” 🚀")
    expect(page.locator("#article-text")).to_have_value("Dropped “article” 🚀")
    assert "dropped.txt" in page.inner_text("#status")


def test_no_accessibility_violations_before_and_after_extraction(browser, server_url):
    from axe_playwright_python.sync_playwright import Axe

    for viewport in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        tab = Page(browser, server_url, viewport=viewport)
        try:
            before = Axe().run(tab.page).response["violations"]
            assert before == [], [(v["id"], v["help"]) for v in before]
            tab.extract(seed("000"))
            tab.page.focus("#article-view mark.quote[tabindex='0']")  # with the card showing
            after = Axe().run(tab.page).response["violations"]
            assert after == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in after]
        finally:
            tab.close()


def test_waiting_is_announced_and_the_button_locked(tab):
    page = tab.page
    held = []
    page.route("**/v1/quotes", lambda route: held.append(route))  # hold the request until the page has been checked
    page.fill("#article-text", seed("000"))
    page.click("#extract-button")
    expect(page.locator("#status")).to_have_text(re.compile("^Extracting"))
    assert page.is_disabled("#extract-button")
    assert page.get_attribute("#extract-form", "aria-busy") == "true"
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#status")).to_have_text(re.compile("^Found"), timeout=120_000)
    assert page.is_enabled("#extract-button")
    assert page.get_attribute("#extract-form", "aria-busy") == "false"


def test_text_without_quotes_says_so(tab):
    result = tab.extract("The weather was mild on Tuesday. Markets were closed for the holiday.")
    assert result["quotes"] == []
    assert tab.page.inner_text("#status").startswith("Found 0 quotes from 0 speakers")
    assert tab.page.inner_text("#roster") == "No quotes found in this text."
    assert tab.page.locator("#article-view mark").count() == 0


def test_hovering_a_quote_shows_its_card(seeds_result):
    tab, text, result = seeds_result
    page = tab.page
    rouhani = quotes_by(result, "Hassan Rouhani")[0]
    page.focus("#article-text")  # no quote focused: the card then follows the pointer alone
    page.hover(f"#quote-{rouhani['id']}")
    card = page.locator("#quote-card")
    expect(card).to_be_visible()
    assert card.locator("strong").inner_text() == "Hassan Rouhani"
    details = dict(zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts()))
    assert details["Addressee"] == (rouhani["addressee"] or {}).get("text", "—")
    assert details["Confidence"] == f"{round(rouhani['confidence'] * 100)}%"
    assert details["Rule"] == rouhani["rule"]  # why the engine says Rouhani said it
    page.mouse.move(0, 0)
    expect(card).to_be_hidden()


def test_csv_cells_are_escaped_and_defused(tab):
    cells = tab.page.evaluate("""async () => {
      const h = await import('./static/web/highlight.js');
      return ['plain', 'a, b', 'say "no"', 'two\\nlines', '=HYPERLINK("x")', '-5 percent', 3, 0.25, null]
        .map(h.csvCell);
    }""")
    assert cells == ["plain", '"a, b"', '"say ""no"""', '"two\nlines"', '"\'=HYPERLINK(""x"")"',
                     "'-5 percent", "3", "0.25", ""]
