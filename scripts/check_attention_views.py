"""Check in headless Chromium, with the network blocked, that the built chapter 6 draws its bertviz views.

    python scripts/check_attention_views.py                       # _build/html/book/06_attention.html
    python scripts/check_attention_views.py PAGE --screenshot out.png

Uses the browser set-up of scripts/check_pages.py (system Chromium through Playwright, every non-file request
aborted): loads the page, waits for every bertviz view to hold SVG <line> elements (the attention arcs) and
takes a screenshot with the first view at the top. `make check-pages` runs the same check on every page.
Exit status 0 only if every view drew its arcs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import check_pages  # noqa: E402  (a sibling script, not a package)

ROOT = check_pages.ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, nargs="?", default=ROOT / "_build" / "html" / "book" / "06_attention.html")
    parser.add_argument("--screenshot", type=Path, default=ROOT / "_build" / "attention_views.png")
    args = parser.parse_args()
    if not args.page.is_file():
        sys.exit(f"{args.page} not found: build the book (make book) and run scripts/offline_bertviz.py first")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = check_pages.launch(playwright)
        context, page, blocked, _, _ = check_pages.open_page(browser, args.page, width=1280, height=1400)
        views = check_pages.wait_for_views(page)
        if views:
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.evaluate("""() => document.querySelector('div[id^="bertviz-"]').scrollIntoView()""")
            page.screenshot(path=str(args.screenshot))
        context.close()
        browser.close()
    for view, lines in views:
        print(f"{view}: {lines} SVG lines {'(drawn)' if lines else '(BLANK)'}")
    for url in blocked:
        print(f"blocked: {url}")
    print(f"screenshot: {args.screenshot}" if views else "screenshot: none written")
    if not views:
        sys.exit("no bertviz view found on the page: was the notebook executed when the book was built?")
    sys.exit(0 if all(lines for _, lines in views) else 1)


if __name__ == "__main__":
    main()
