"""Check in headless Chromium, with every host name unresolvable, that the built chapter 6 draws its bertviz views.

    python scripts/check_attention_views.py                       # _build/html/book/06_attention.html
    python scripts/check_attention_views.py PAGE --screenshot out.png

Loads the page twice with a fresh profile: once to dump the DOM after the scripts ran (each bertviz view
must hold SVG <line> elements: the attention arcs), once to take a screenshot with the drawn views moved to the top.
Exit status 0 only if every view drew its arcs.
"""

from __future__ import annotations

import argparse
import html.parser
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--host-resolver-rules=MAP * ~NOTFOUND",  # no host name resolves: a CDN script would fail to load
         "--virtual-time-budget=15000", "--hide-scrollbars"]


class ViewCounter(html.parser.HTMLParser):
    """Count SVG <line> elements inside each <div id="bertviz-...">."""

    def __init__(self) -> None:
        super().__init__()
        self.views: dict[str, int] = {}
        self.stack: list[str | None] = []  # the bertviz id each open element belongs to

    def handle_starttag(self, tag, attrs):
        owner = self.stack[-1] if self.stack else None
        element_id = dict(attrs).get("id") or ""
        if tag == "div" and element_id.startswith("bertviz-"):
            owner = element_id
            self.views.setdefault(owner, 0)
        if tag == "line" and owner:
            self.views[owner] += 1
        if tag not in {"br", "img", "input", "meta", "link", "hr", "option"}:
            self.stack.append(owner)

    def handle_startendtag(self, tag, attrs):
        owner = self.stack[-1] if self.stack else None
        if tag == "line" and owner:
            self.views[owner] += 1

    def handle_endtag(self, tag):
        if tag not in {"br", "img", "input", "meta", "link", "hr", "option"} and self.stack:
            self.stack.pop()


def chromium() -> str:
    """Return the Chromium executable or exit with the install command."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    sys.exit("no Chromium found: apt-get update && apt-get install -y chromium")


def run(args: list[str]) -> str:
    """Run Chromium with the check's flags and a fresh profile; return its stdout."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120)
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, nargs="?", default=ROOT / "_build" / "html" / "book" / "06_attention.html")
    parser.add_argument("--screenshot", type=Path, default=ROOT / "_build" / "attention_views.png")
    args = parser.parse_args()
    if not args.page.is_file():
        sys.exit(f"{args.page} not found: build the book (make book) and run scripts/offline_bertviz.py first")
    url = args.page.resolve().as_uri()
    counter = ViewCounter()
    counter.feed(run(["--dump-dom", url]))
    args.screenshot.parent.mkdir(parents=True, exist_ok=True)
    # --screenshot ignores #anchors and scrolling: photograph a copy of the page (same folder, same links)
    # that, once its own scripts have drawn the views, moves them to the top of the page
    scrolled = args.page.with_name(args.page.stem + ".screenshot.html")
    scroll = ("<script>window.addEventListener('load', () => setTimeout(() => { const views = "
              "[...document.querySelectorAll('div[id^=bertviz-]')].reverse(); "
              "views.forEach(v => document.body.prepend(v)); }, 1000));</script></body>")
    scrolled.write_text(args.page.read_text(encoding="utf-8").replace("</body>", scroll), encoding="utf-8")
    try:
        run([f"--screenshot={args.screenshot.resolve()}", "--window-size=1280,1400", scrolled.resolve().as_uri()])
    finally:
        scrolled.unlink()
    for view, lines in counter.views.items():
        print(f"{view}: {lines} SVG lines {'(drawn)' if lines else '(BLANK)'}")
    print(f"screenshot: {args.screenshot}" if args.screenshot.is_file() else "screenshot: none written")
    if not counter.views:
        sys.exit("no bertviz view found on the page: was the notebook executed when the book was built?")
    sys.exit(0 if all(counter.views.values()) else 1)


if __name__ == "__main__":
    main()
