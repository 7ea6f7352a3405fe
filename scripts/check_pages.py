"""Check every page of a built book in headless Chromium, with the network blocked, and screenshot each one.

Fails on what a reader would see broken.

    python scripts/check_pages.py                                  # _build/check/_build/html -> _build/pages/
    python scripts/check_pages.py HTML_DIR --screenshots DIR --width 1280

The pages are every .html file of the build outside its _static/_sources/_images folders, less redirects
(index.html). Checks, one table row each per page:
  requests   every request leaves the page: file:// must exist, anything else is blocked (a CDN dependency)
  console    no console error or uncaught exception, except the messages in KNOWN_HARMLESS
  tex        no raw TeX ($$, \\(, \\begin{, \\frac, ...) in the text outside code and MathJax's output, and
             no MathJax error box
  images     every <img> loads and decodes
  code-width no visible <pre> scrolls sideways or reaches past the content column
  attention  (pages with bertviz views; must exist on --expect-views) every view drew its SVG arcs
Screenshots: DIR/<page>.png, the full page up to MAX_SHOT_HEIGHT pixels; DIR/<page>.attention.png for a
page with views. Exit status 0 only if every check passes. Needs `apt-get install chromium` and playwright.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_SHOT_HEIGHT = 16000  # Chromium tiles a taller capture; 16000 px is 20 viewports at 800 px
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run",
         "--host-resolver-rules=MAP * ~NOTFOUND"]  # no host name resolves, even past the request routing

# Console messages that say nothing about what a reader sees: (pattern, why it is harmless).
KNOWN_HARMLESS: list[tuple[str, str]] = [
    (r"^Failed to load resource: ",
     "Chromium's echo of a failed request; the requests check reports each one with its URL"),
    (r"^Got invalid theme mode: \. Resetting to auto\.$",
     "pydata-sphinx-theme on a first visit (no mode in localStorage yet): it falls back to auto, its default"),
    (r"^uncaught Identifier 'THEBE_JS_URL' has already been declared$",
     "Jupyter Book adds sphinx-thebe's config <script> twice; the second, identical one fails, the first stays "
     "in force, and thebe only runs from a live-code button this book does not enable"),
]

# Raw TeX in rendered prose: delimiters MathJax should have consumed, commands, and $...$ dollarmath missed.
TEX_PATTERNS = [r"\$\$", r"\\[()[\]]", r"\\(begin|end)\{", r"\\[A-Za-z]{2,}",
                r"(?:^|[^\w$])\$(?=\S)[^$\n]{0,120}[\^_\\{}][^$\n]{0,120}(?<=\S)\$(?!\w)"]


CHECKS = ("requests", "console", "tex", "images", "code-width", "attention")


@dataclass
class Result:
    page: str
    check: str
    ok: bool
    detail: str = ""


def find_chromium() -> str | None:
    """Return the path of the system's Chromium (or Chrome), or None."""
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def chromium() -> str:
    """Return the system Chromium's path or exit with the command that installs it."""
    return find_chromium() or sys.exit("no Chromium found: apt-get update && apt-get install -y chromium")


def launch(playwright):
    """Start headless system Chromium (Playwright's own browser download needs the internet)."""
    return playwright.chromium.launch(executable_path=chromium(), headless=True, args=FLAGS)


def find_pages(html_dir: Path) -> list[Path]:
    """Every page of the build: .html files outside _-folders, less meta-refresh redirects."""
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        if any(part.startswith("_") for part in path.relative_to(html_dir).parts[:-1]):
            continue
        if re.search(r'http-equiv="refresh"', path.read_text(encoding="utf-8")[:2000], re.IGNORECASE):
            continue
        pages.append(path)
    return pages


WAIT_MATHJAX = """async () => {
  const start = Date.now();
  while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
    if (!document.querySelector('.math') || Date.now() - start > 15000) return;
    await new Promise(r => setTimeout(r, 100));
  }
  await MathJax.startup.promise;
}"""

# Text outside code, cell outputs (what a cell prints is data: a news story may hold a backslash) and
# MathJax, grouped by the block it sits in, so that "$a" <em>b</em> "c$" is one string.
PROSE = """() => {
  const skip = 'pre, code, kbd, samp, script, style, textarea, noscript, template, mjx-container, svg, .cell_output';
  const blocks = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    const block = parent.closest('p, li, dt, dd, td, th, h1, h2, h3, h4, h5, h6, figcaption, caption, div') || parent;
    blocks.set(block, (blocks.get(block) || '') + node.textContent);
  }
  return {texts: [...blocks.values()], errors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent)};
}"""

IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = 'eager'; });  // lazy images below the fold load too
  const decoded = await Promise.all(images.map(img => img.decode().then(() => true, () => false)));
  return images.filter((img, i) => !decoded[i]).map(img => img.getAttribute('src') || '(no src)');
}"""

CODE_WIDTH = """() => {
  const found = [];
  for (const pre of document.querySelectorAll('pre')) {
    if (!pre.checkVisibility()) continue;  // a collapsed block has no width to measure
    const column = pre.closest('article') || pre.closest('main') || document.body;
    const scroll = pre.scrollWidth - pre.clientWidth;
    const beyond = pre.getBoundingClientRect().right - column.getBoundingClientRect().right;
    if (scroll <= 1 && beyond <= 1) continue;
    const lines = pre.textContent.split('\\n');
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
    const kind = pre.closest('.cell_output') ? 'output' : pre.closest('.cell_input') ? 'code cell' : 'code block';
    found.push(`${kind} ${Math.max(scroll, beyond)} px too wide, longest line ${longest.length} chars: ` +
               JSON.stringify(longest.trim().slice(0, 60)));
  }
  return found;
}"""

VIEWS_DRAWN = """() => [...document.querySelectorAll('div[id^="bertviz-"]')].every(v => v.querySelector('line'))"""
VIEW_LINES = """() => [...document.querySelectorAll('div[id^="bertviz-"]')].map(v => [v.id, v.querySelectorAll('line').length])"""


def harmless(message: str) -> bool:
    """Whether a console message matches KNOWN_HARMLESS."""
    return any(re.search(pattern, message) for pattern, _ in KNOWN_HARMLESS)


def raw_tex(texts: list[str]) -> list[str]:
    """Each stretch of raw TeX in the texts, with a little context."""
    found = []
    for text in texts:
        for pattern in TEX_PATTERNS:
            for match in re.finditer(pattern, text):
                found.append(repr(text[max(0, match.start() - 25):match.end() + 25]))
    return sorted(set(found))


def open_page(browser, path: Path, *, width: int = 1280, height: int = 800):
    """Load a page with every non-file request aborted; return (context, page, blocked, failed, console)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    blocked: list[str] = []
    failed: list[str] = []
    console: list[str] = []

    def route(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(f"uncaught {error}"))
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.goto(path.resolve().as_uri(), wait_until="load", timeout=60_000)
    page.evaluate(WAIT_MATHJAX)
    return context, page, blocked, failed, console


def wait_for_views(page, timeout_ms: int = 20_000) -> list[tuple[str, int]]:
    """Wait until every bertviz view holds SVG lines (or the timeout); return (view id, lines) per view."""
    if page.evaluate(VIEW_LINES):
        try:
            page.wait_for_function(VIEWS_DRAWN, timeout=timeout_ms)
        except Exception:  # playwright's TimeoutError: the counts below show which view stayed blank
            pass
    return [tuple(view) for view in page.evaluate(VIEW_LINES)]


def check_page(browser, path: Path, *, name: str, shots: Path | None = None, expect_views: bool = False,
               width: int = 1280, height: int = 800, views_timeout_ms: int = 20_000) -> list[Result]:
    """Run every check on one page and save its screenshot(s); return one Result per check."""
    context, page, blocked, failed, console = open_page(browser, path, width=width, height=height)
    try:
        views = wait_for_views(page, views_timeout_ms)
        prose = page.evaluate(PROSE)
        broken = page.evaluate(IMAGES)
        wide = page.evaluate(CODE_WIDTH)
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            full = page.evaluate("() => document.documentElement.scrollHeight")
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": width, "height": min(full, MAX_SHOT_HEIGHT)})
            first_view = page.locator('div[id^="bertviz-"]').first
            if views and (first_view.bounding_box() or {}).get("height"):  # a blank view has no box to photograph
                first_view.screenshot(path=str(shots / f"{name}.attention.png"))
        page.wait_for_timeout(200)  # let late console messages arrive
    finally:
        context.close()
    tex = raw_tex(prose["texts"]) + [f"MathJax error: {error!r}" for error in prose["errors"]]
    errors = [message for message in console if not harmless(message)]
    results = [
        Result(name, "requests", not blocked and not failed,
               "; ".join([f"blocked {url}" for url in blocked] + [f"failed {url}" for url in failed
                                                                    if not any(url.startswith(b) for b in blocked)])),
        Result(name, "console", not errors, "; ".join(errors)),
        Result(name, "tex", not tex, "; ".join(tex)),
        Result(name, "images", not broken, "; ".join(f"broken {src}" for src in broken)),
        Result(name, "code-width", not wide, f"{len(wide)} too wide: " + "; ".join(wide) if wide else ""),
    ]
    if views or expect_views:
        blank = [view for view, lines in views if not lines]
        detail = (f"{len(views)} views, blank: {', '.join(blank)}" if blank else f"{len(views)} views drawn"
                  if views else "no bertviz view: was the chapter executed in this build?")
        results.append(Result(name, "attention", bool(views) and not blank, detail))
    return results


def print_table(results: list[Result], warn: set[str] = frozenset(), detail_width: int = 110) -> None:
    """Print page | check | result, one row per check (a failure of a check in warn reads WARN)."""
    page_width = max(len("page"), *(len(r.page) for r in results))
    print(f"{'page':<{page_width}}  {'check':<10}  result")
    for r in results:
        detail = r.detail if len(r.detail) <= detail_width else r.detail[:detail_width - 3] + "..."
        print(f"{r.page:<{page_width}}  {r.check:<10}  {'ok' if r.ok else 'WARN' if r.check in warn else 'FAIL'}{'  ' + detail if detail else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path, nargs="?", default=ROOT / "_build" / "check" / "_build" / "html")
    parser.add_argument("--screenshots", type=Path, default=ROOT / "_build" / "pages")
    parser.add_argument("--expect-views", nargs="*", default=["06_attention"],
                        help="page names that must hold drawn bertviz views")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--full", action="store_true", help="print every detail in full after the table")
    parser.add_argument("--warn", nargs="*", default=[], choices=CHECKS, metavar="CHECK",
                        help="checks whose failures are printed as WARN and do not fail the run")
    args = parser.parse_args()
    pages = find_pages(args.html_dir) if args.html_dir.is_dir() else []
    if not pages:
        sys.exit(f"{args.html_dir} holds no pages: build the book first (make book-check)")
    from playwright.sync_api import sync_playwright

    results: list[Result] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        stems = [path.stem for path in pages]
        for path in pages:  # a page is named by its file name, or by its path where two share one
            name = path.stem if stems.count(path.stem) == 1 else \
                path.relative_to(args.html_dir).with_suffix("").as_posix().replace("/", "__")
            results += check_page(browser, path, name=name, shots=args.screenshots,
                                  expect_views=path.stem in args.expect_views, width=args.width, height=args.height)
        browser.close()
    missing = set(args.expect_views) - {path.stem for path in pages}
    results += [Result(page, "attention", False, "page not in the build") for page in sorted(missing)]
    print_table(results, warn=set(args.warn))
    failures = [r for r in results if not r.ok and r.check not in args.warn]
    warnings = [r for r in results if not r.ok and r.check in args.warn]
    if (failures or warnings) and args.full:
        print("\nin full:")
        for r in failures + warnings:
            print(f"{r.page} {r.check}: {r.detail}")
    print(f"{len(pages)} pages: {len(results) - len(failures) - len(warnings)} checks passed, {len(failures)} failed"
          f"{f', {len(warnings)} warned' if warnings else ''}; screenshots in {args.screenshots}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
