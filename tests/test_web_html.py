"""The page with HTML input, in headless Chromium against the real gunicorn: a pasted news page
and a dropped .html file are sent as `html`, and the page highlights the quotes in the article
text the service extracted (no markup shown)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from html_pages import page_text, marks_for, news_page
from test_web import Page, browser, drop_file, marked_text, seed, server_url, words_of  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


@pytest.fixture
def tab(browser, server_url):  # noqa: F811
    page = Page(browser, server_url)
    yield page
    page.close()


def test_a_pasted_news_page_is_highlighted_in_its_article_text(tab, live_server):
    import requests

    plain = requests.post(live_server + "/v1/quotes", json={"text": seed("000")}, timeout=60).json()
    html = news_page(seed("000"), marks_for(plain))
    result = tab.extract(html)
    page = tab.page
    assert result["text"] == page_text(seed("000"))
    assert [q["text"] for q in result["quotes"]] == [q["text"] for q in plain["quotes"]]
    expect(page.locator("#status")).to_contain_text("Read the article text of the HTML")
    assert page.eval_on_selector("#article-view", "v => v.textContent") == result["text"]
    assert "<p>" not in page.inner_text("#article-view")
    for quote in result["quotes"]:
        assert marked_text(page, quote["id"]) == words_of(quote)
    assert page.locator("#article-view mark.quote").count() >= len(result["quotes"])
    bogdanov = page.locator("#roster .speaker-name", has_text="Mikhail Bogdanov")
    expect(bogdanov.first).to_be_visible()


def test_a_dropped_html_file_is_read_as_html(tab, tmp_path):
    page = tab.page
    html = news_page(seed("003"))
    drop_file(page, "story.html", "text/html", html)
    expect(page.locator("#article-text")).to_have_value(html)
    assert "story.html" in page.inner_text("#status")
    with page.expect_response(lambda r: r.url.endswith("/v1/quotes"), timeout=120_000) as info:
        page.click("#extract-button")
    assert info.value.request.post_data_json == {"html": html}
    result = info.value.json()
    expect(page.locator("#extract-button")).to_be_enabled()
    assert page.eval_on_selector("#article-view", "v => v.textContent") == result["text"]
    rouhani = next(q for q in result["quotes"] if q["text"].startswith("I think today everyone"))
    assert marked_text(page, rouhani["id"]) == words_of(rouhani)


def test_a_page_without_article_text_gets_a_clear_message(tab):
    tab.extract("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    error = tab.page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("No article text found in the HTML")
