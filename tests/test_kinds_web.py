"""The page's show/hide of each kind, in a real browser against the real service (as test_web.py)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from service.nlp.records import QUOTE_KINDS
from test_web import Page, browser, server_url  # noqa: F401  (the same Chromium and gunicorn fixtures)

pytestmark = pytest.mark.slow

# invented sentences: one attribution of each of four kinds
ARTICLE = ('"We will not give in," the mayor said. Researchers found that the river had risen. '
           'The governor criticized the plan. The council plans to build a new bridge.')


@pytest.fixture
def tab(browser, server_url):  # noqa: F811
    page = Page(browser, server_url)
    yield page
    page.close()


def kinds_shown(page) -> dict[str, bool]:
    """Each highlighted quote's kind -> whether its highlight is shown (not filtered)."""
    return page.eval_on_selector_all("#article-view mark.quote[id]", """marks => Object.fromEntries(
        marks.map(m => [m.dataset.kind, !m.classList.contains('filtered')]))""")


def test_each_kind_can_be_hidden_and_shown_again(tab):
    page = tab.page
    result = tab.extract(ARTICLE)
    kinds = sorted(q["kind"] for q in result["quotes"])
    assert kinds == ["evidence", "intention", "speech", "stance"]
    # one checkbox per kind the API defines (from its OpenAPI document), in its order, with counts
    expect(page.locator("#kind-options input")).to_have_count(len(QUOTE_KINDS))
    boxes = page.eval_on_selector_all("#kind-options input", "bs => bs.map(b => [b.dataset.kind, b.checked])")
    assert boxes == [[kind, True] for kind in QUOTE_KINDS]
    for kind in QUOTE_KINDS:
        assert page.inner_text(f"#count-kind-{kind}") == str(kinds.count(kind))
    assert kinds_shown(page) == dict.fromkeys(kinds, True)

    page.uncheck("#show-kind-stance")
    assert kinds_shown(page) == {**dict.fromkeys(kinds, True), "stance": False}
    assert page.locator('#roster li[data-kind="stance"]:visible').count() == 0
    assert page.locator('#roster li[data-kind="speech"]:visible').count() == 1
    stance = next(q for q in result["quotes"] if q["kind"] == "stance")
    assert page.get_attribute(f"#quote-{stance['id']}", "tabindex") == "-1"   # out of the tab order

    page.uncheck("#show-kind-speech")
    page.uncheck("#show-direct")          # the type filter and the kind filter work together
    page.check("#show-kind-stance")
    assert kinds_shown(page) == {"speech": False, "stance": True, "evidence": True, "intention": True}
    page.check("#show-direct")
    assert kinds_shown(page)["speech"] is False    # still hidden by its kind
    page.check("#show-kind-speech")
    assert kinds_shown(page) == dict.fromkeys(kinds, True)
    assert page.locator('#roster li[data-kind="stance"]:visible').count() == 1


def test_a_hidden_kind_stays_hidden_for_the_next_article_and_the_card_names_the_kind(tab):
    page = tab.page
    tab.extract(ARTICLE)
    expect(page.locator("#show-kind-intention")).to_be_attached()
    page.uncheck("#show-kind-intention")
    result = tab.extract("The city plans to close the road. The mayor said it was unsafe.")
    assert sorted(q["kind"] for q in result["quotes"]) == ["intention", "speech"]
    assert not page.is_checked("#show-kind-intention")
    assert kinds_shown(page) == {"intention": False, "speech": True}
    speech = next(q for q in result["quotes"] if q["kind"] == "speech")
    page.focus(f"#quote-{speech['id']}")
    expect(page.locator("#quote-card")).to_be_visible()
    facts = page.eval_on_selector_all("#quote-card dt", "ts => ts.map(t => [t.textContent, t.nextElementSibling.textContent])")
    assert ["Kind", "speech"] in facts
