"""Screenshot of the page with an article extracted (for the README), in headless Chromium.

    python -m service.web.screenshot http://127.0.0.1:8000 tests/data/seeds/000_*.txt docs/screenshot.png [--phone]

Needs a running service, Debian's chromium and Playwright (a test dependency).
"""
from __future__ import annotations

import argparse
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDE = {"width": 1280, "height": 2600}   # tall enough that the sticky side panel is not cut off
PHONE = {"width": 390, "height": 844}


def take(url: str, article: str, out: Path, phone: bool = False, focus_text: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE if phone else WIDE, device_scale_factor=1)
        page.goto(url.rstrip("/") + "/")
        page.fill("#article-text", article)
        page.click("#extract-button")
        page.wait_for_selector("#article-view mark.quote", timeout=120_000)
        page.evaluate("document.getElementById('article-text').scrollTop = 0")
        page.mouse.move(0, 0)  # a pointer left over a highlight would show that quote's card instead
        # Show the details card of one quote, as a reader hovering it would see it.
        marks = page.locator("#article-view mark.quote[tabindex='0']")
        target = marks.filter(has_text=focus_text).first if focus_text else marks.first
        target.focus()
        page.wait_for_timeout(300)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=not phone)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("article", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--phone", action="store_true", help="390 px wide, the visible screen only")
    parser.add_argument("--focus", default="We regard Iran", help="text of the quote whose card is shown")
    args = parser.parse_args()
    take(args.url, args.article.read_text(encoding="utf-8"), args.out, args.phone, args.focus)


if __name__ == "__main__":
    main()
