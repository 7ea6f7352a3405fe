"""Check every page of a built book in headless Chromium, with the network blocked, and screenshot each one.

Fails on what a reader would see broken.

    python scripts/check_pages.py                                  # _build/html -> _build/pages/
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
Output noise, in what executed cells print (cells tagged raises-exception, errors the page teaches, are
exempt from all but `path`):
  stderr     no stderr block (warnings, library logs and progress bars go there)
  warning    no warning text (FutureWarning:, UserWarning:, "WARNING ...", warnings.warn(...)) in any output
  traceback  no traceback block and no "Traceback (most recent call last)" in any output
  path       no path of the build machine (site-packages, .venv, /root/, /home/, /work/, /tmp/) in any output
  debris     no progress bar drawn twice or left unfinished, no carriage-return or backspace leftovers, no
             empty output box
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
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]  # no host name resolves, even past the request routing

# Console messages that say nothing about what a reader sees: (pattern, why it is harmless).
KNOWN_HARMLESS: list[tuple[str, str]] = [
    (
        r"^Failed to load resource: ",
        "Chromium's echo of a failed request; the requests check reports each one with its URL",
    ),
    (
        r"^Got invalid theme mode: \. Resetting to auto\.$",
        "pydata-sphinx-theme on a first visit (no mode in localStorage yet): it falls back to auto, its default",
    ),
    (
        r"^uncaught Identifier 'THEBE_JS_URL' has already been declared$",
        "Jupyter Book adds sphinx-thebe's config <script> twice; the second, identical one fails, the first stays "
        "in force, and thebe only runs from a live-code button this book does not enable",
    ),
]

# Raw TeX in rendered prose: delimiters MathJax should have consumed, commands, and $...$ dollarmath missed.
TEX_PATTERNS = [
    r"\$\$",
    r"\\[()[\]]",
    r"\\(begin|end)\{",
    r"\\[A-Za-z]{2,}",
    r"(?:^|[^\w$])\$(?=\S)[^$\n]{0,120}[\^_\\{}][^$\n]{0,120}(?<=\S)\$(?!\w)",
]


# Output noise. A cell tagged raises-exception shows an error on purpose: only the path check applies to it.
TEACHING_ERROR_TAG = "raises-exception"
WARNING_PATTERNS = [
    r"\b[A-Z]\w*Warning\b(?=:|\()",
    r"(?m)^\s*(?:\[[^\]\n]*\]\s*)?WARNING\b",
    r"\bwarnings\.warn\(",
    r"(?m)^\s*Warning: ",
]
TRACEBACK_PATTERN = r"Traceback \(most recent call last\)"
PATH_PATTERN = r"site-packages|dist-packages|(?<![\w.-])\.venv\b|(?<![\w.~-])/(?:root|home|work|tmp)/"
# A text progress bar as tqdm draws it: "desc:  40%|████      | 4/10 [00:01<00:02, 3.1it/s]"
BAR_PATTERN = r"(?m)^(?P<desc>[^\n|]*?)\s*(?P<percent>\d{1,3})%\|[^|\n]*\|"

CHECKS = (
    "requests",
    "console",
    "tex",
    "images",
    "code-width",
    "attention",
    "stderr",
    "warning",
    "traceback",
    "path",
    "debris",
)


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

# Every output of every executed cell: its kind (the class myst-nb gives it), its text, whether it shows an
# image, table or other drawing, and the tags of its cell.
OUTPUTS = """() => {
  const kinds = ['stderr', 'traceback', 'stream', 'text_plain', 'text_html', 'text_latex'];
  const media = 'img, svg, canvas, iframe, video, table, mjx-container, div[id^="bertviz-"]';
  const found = [];
  document.querySelectorAll('.cell_output').forEach((box, index) => {
    const cell = box.closest('.cell');
    const tags = cell ? [...cell.classList].filter(c => c.startsWith('tag_')).map(c => c.slice(4)) : [];
    const parts = [...box.children];
    if (!parts.length) found.push({cell: index, kind: 'empty', text: '', media: false, tags});
    for (const part of parts) {
      const kind = kinds.find(k => part.classList.contains(k) || part.querySelector(`.${k}`)) || 'other';
      const media_inside = !!(part.matches(media) || part.querySelector(media));
      found.push({cell: index, kind, text: part.textContent, media: media_inside, tags});
    }
  });
  return found;
}"""

VIEWS_DRAWN = """() => [...document.querySelectorAll('div[id^="bertviz-"]')].every(v => v.querySelector('line'))"""
VIEW_LINES = """() => [...document.querySelectorAll('div[id^="bertviz-"]')].map(v => [v.id, v.querySelectorAll('line').length])"""  # noqa: E501


def harmless(message: str) -> bool:
    """Whether a console message matches KNOWN_HARMLESS."""
    return any(re.search(pattern, message) for pattern, _ in KNOWN_HARMLESS)


def raw_tex(texts: list[str]) -> list[str]:
    """Each stretch of raw TeX in the texts, with a little context."""
    found = []
    for text in texts:
        for pattern in TEX_PATTERNS:
            for match in re.finditer(pattern, text):
                found.append(repr(text[max(0, match.start() - 25) : match.end() + 25]))
    return sorted(set(found))


def _line_at(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]


def output_noise(outputs: list[dict]) -> dict[str, list[str]]:
    """What each output-noise check finds in a page's cell outputs (as OUTPUTS collects them), by check."""
    found: dict[str, list[str]] = {check: [] for check in ("stderr", "warning", "traceback", "path", "debris")}
    for output in outputs:
        where = f"cell output {output['cell'] + 1}"
        text = output["text"]
        for match in re.finditer(PATH_PATTERN, text):
            found["path"].append(f"{where}: {_line_at(text, match.start()).strip()[:100]!r}")
        if TEACHING_ERROR_TAG in output["tags"]:
            continue
        if output["kind"] == "stderr":
            found["stderr"].append(f"{where}: {text.strip()[:100]!r}")
        for pattern in WARNING_PATTERNS:
            for match in re.finditer(pattern, text):
                found["warning"].append(f"{where}: {_line_at(text, match.start()).strip()[:100]!r}")
        if output["kind"] == "traceback" or re.search(TRACEBACK_PATTERN, text):
            lines = [line for line in text.strip().splitlines() if line.strip()]
            found["traceback"].append(f"{where}: {(lines[-1] if lines else '').strip()[:100]!r}")
        found["debris"] += [f"{where}: {problem}" for problem in progress_debris(text)]
        if not text.strip() and not output["media"]:
            found["debris"].append(f"{where}: an empty output box")
    return {check: list(dict.fromkeys(problems)) for check, problems in found.items()}


def progress_debris(text: str) -> list[str]:
    """Leftovers of a redrawn progress bar in one output's text: control characters, repeated or unfinished bars."""
    problems = []
    if "\r" in text or "\b" in text:
        problems.append("carriage-return or backspace characters (a bar redrawn in place)")
    bars: dict[str, list[int]] = {}
    for match in re.finditer(BAR_PATTERN, text):
        bars.setdefault(match["desc"].strip(), []).append(int(match["percent"]))
    for desc, percents in bars.items():
        name = repr(desc) if desc else "a bar"
        if len(percents) > 1:
            problems.append(f"{name} drawn {len(percents)} times ({', '.join(f'{p}%' for p in percents)})")
        elif percents[0] < 100:
            problems.append(f"{name} left at {percents[0]}%")
    return problems


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


def check_page(
    browser,
    path: Path,
    *,
    name: str,
    shots: Path | None = None,
    expect_views: bool = False,
    width: int = 1280,
    height: int = 800,
    views_timeout_ms: int = 20_000,
) -> list[Result]:
    """Run every check on one page and save its screenshot(s); return one Result per check."""
    context, page, blocked, failed, console = open_page(browser, path, width=width, height=height)
    try:
        views = wait_for_views(page, views_timeout_ms)
        prose = page.evaluate(PROSE)
        broken = page.evaluate(IMAGES)
        wide = page.evaluate(CODE_WIDTH)
        noise = output_noise(page.evaluate(OUTPUTS))
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            full = page.evaluate("() => document.documentElement.scrollHeight")
            page.screenshot(
                path=str(shots / f"{name}.png"),
                full_page=True,
                clip={"x": 0, "y": 0, "width": width, "height": min(full, MAX_SHOT_HEIGHT)},
            )
            first_view = page.locator('div[id^="bertviz-"]').first
            if views and (first_view.bounding_box() or {}).get("height"):  # a blank view has no box to photograph
                first_view.screenshot(path=str(shots / f"{name}.attention.png"))
        page.wait_for_timeout(200)  # let late console messages arrive
    finally:
        context.close()
    tex = raw_tex(prose["texts"]) + [f"MathJax error: {error!r}" for error in prose["errors"]]
    errors = [message for message in console if not harmless(message)]
    results = [
        Result(
            name,
            "requests",
            not blocked and not failed,
            "; ".join(
                [f"blocked {url}" for url in blocked]
                + [f"failed {url}" for url in failed if not any(url.startswith(b) for b in blocked)]
            ),
        ),
        Result(name, "console", not errors, "; ".join(errors)),
        Result(name, "tex", not tex, "; ".join(tex)),
        Result(name, "images", not broken, "; ".join(f"broken {src}" for src in broken)),
        Result(name, "code-width", not wide, f"{len(wide)} too wide: " + "; ".join(wide) if wide else ""),
    ]
    results += [
        Result(name, check, not problems, f"{len(problems)}: " + "; ".join(problems) if problems else "")
        for check, problems in noise.items()
    ]
    if views or expect_views:
        blank = [view for view, lines in views if not lines]
        detail = (
            f"{len(views)} views, blank: {', '.join(blank)}"
            if blank
            else f"{len(views)} views drawn"
            if views
            else "no bertviz view: was the chapter executed in this build?"
        )
        results.append(Result(name, "attention", bool(views) and not blank, detail))
    return results


def print_table(results: list[Result], warn: set[str] = frozenset(), detail_width: int = 110) -> None:
    """Print page | check | result, one row per check (a failure of a check in warn reads WARN)."""
    page_width = max(len("page"), *(len(r.page) for r in results))
    print(f"{'page':<{page_width}}  {'check':<10}  result")
    for r in results:
        detail = r.detail if len(r.detail) <= detail_width else r.detail[: detail_width - 3] + "..."
        print(
            f"{r.page:<{page_width}}  {r.check:<10}  {'ok' if r.ok else 'WARN' if r.check in warn else 'FAIL'}"
            f"{'  ' + detail if detail else ''}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path, nargs="?", default=ROOT / "_build" / "html")
    parser.add_argument("--screenshots", type=Path, default=ROOT / "_build" / "pages")
    parser.add_argument(
        "--expect-views", nargs="*", default=["06_attention"], help="page names that must hold drawn bertviz views"
    )
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--full", action="store_true", help="print every detail in full after the table")
    parser.add_argument(
        "--warn",
        nargs="*",
        default=[],
        choices=CHECKS,
        metavar="CHECK",
        help="checks whose failures are printed as WARN and do not fail the run",
    )
    args = parser.parse_args()
    pages = find_pages(args.html_dir) if args.html_dir.is_dir() else []
    if not pages:
        sys.exit(f"{args.html_dir} holds no pages: build the book first (make book)")
    from playwright.sync_api import sync_playwright

    results: list[Result] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        stems = [path.stem for path in pages]
        for path in pages:  # a page is named by its file name, or by its path where two share one
            name = (
                path.stem
                if stems.count(path.stem) == 1
                else path.relative_to(args.html_dir).with_suffix("").as_posix().replace("/", "__")
            )
            results += check_page(
                browser,
                path,
                name=name,
                shots=args.screenshots,
                expect_views=path.stem in args.expect_views,
                width=args.width,
                height=args.height,
            )
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
    print(
        f"{len(pages)} pages: {len(results) - len(failures) - len(warnings)} checks passed, {len(failures)} failed"
        f"{f', {len(warnings)} warned' if warnings else ''}; screenshots in {args.screenshots}"
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
