"""scripts/check_pages.py's checks on small pages written here, in the system Chromium."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("check_pages", ROOT / "scripts" / "check_pages.py")
check_pages = importlib.util.module_from_spec(spec)
sys.modules["check_pages"] = check_pages  # its dataclass looks its module up there
spec.loader.exec_module(check_pages)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make install)")
pytestmark = pytest.mark.skipif(check_pages.find_chromium() is None,
                                reason="no chromium on PATH: apt-get install -y chromium")

# A 1x1 PNG, so a page can hold an image that does load.
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0g"
         "AAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = check_pages.launch(playwright)
        yield browser
        browser.close()


def run(browser, folder: Path, body: str, **kwargs) -> dict[str, check_pages.Result]:
    page = folder / "page.html"
    page.write_text(f"<!doctype html><html><body><article style='width: 600px'>{body}</article></body></html>",
                    encoding="utf-8")
    results = check_pages.check_page(browser, page, name="page", shots=folder / "shots", views_timeout_ms=3000,
                                      **kwargs)
    return {result.check: result for result in results}


def failing(results: dict) -> set[str]:
    return {check for check, result in results.items() if not result.ok}


def test_clean_page_passes_and_is_photographed(browser, tmp_path):
    results = run(browser, tmp_path, f"<h1>Title</h1><p>Cost $5 and $10; a (b) [c].</p>"
                                     f"<pre>x = 1</pre><code>r'\\frac'</code><img src='{PIXEL}' alt='dot'>")
    assert failing(results) == set(), results
    assert (tmp_path / "shots" / "page.png").stat().st_size > 0


@pytest.mark.parametrize("tex", ["$$x^2$$", "\\(a + b\\)", "\\begin{align} a \\end{align}",
                                 "the ratio \\frac{a}{b}", "dollars left: $x_1 + y$ unparsed"])
def test_raw_tex_in_prose_fails(browser, tmp_path, tex):
    results = run(browser, tmp_path, f"<p>{tex}</p>")
    assert failing(results) == {"tex"}, results
    assert "tex" in results and results["tex"].detail


def test_backslashes_in_what_a_cell_prints_are_data_not_tex(browser, tmp_path):
    results = run(browser, tmp_path, "<div class='cell_output'><table><tr><td>high\\jumper \\frac</td></tr>"
                                     "</table></div><p>prose</p>")
    assert "tex" not in failing(results), results


def test_overflowing_pre_fails(browser, tmp_path):
    results = run(browser, tmp_path, f"<pre style='overflow: auto'>{'x' * 300}</pre>")
    assert failing(results) == {"code-width"}, results
    assert "300 chars" in results["code-width"].detail


def test_pre_reaching_past_the_column_fails(browser, tmp_path):
    results = run(browser, tmp_path, "<pre style='width: 900px'>short</pre>")
    assert failing(results) == {"code-width"}, results


def test_broken_image_fails(browser, tmp_path):
    results = run(browser, tmp_path, "<img src='missing.png' alt='gone'>")
    assert "images" in failing(results)
    assert "missing.png" in results["images"].detail


def test_console_error_fails_unless_listed(browser, tmp_path):
    results = run(browser, tmp_path, "<script>console.error('something broke')</script>")
    assert failing(results) == {"console"}, results
    harmless = run(browser, tmp_path, "<script>console.error('Got invalid theme mode: . Resetting to auto.')</script>")
    assert failing(harmless) == set(), harmless


def test_network_is_blocked_and_a_cdn_view_stays_blank(browser, tmp_path):
    body = ("<div id='bertviz-1'></div><script src='https://cdn.example.org/d3.js'></script>"
            "<script>d3.select('#bertviz-1').append('svg').append('line')</script>")
    results = run(browser, tmp_path, body)
    assert {"requests", "attention"} <= failing(results), results
    assert "cdn.example.org" in results["requests"].detail


def test_drawn_view_passes_and_a_missing_one_fails(browser, tmp_path):
    drawn = run(browser, tmp_path, "<div id='bertviz-1'><svg><line x1='0' y1='0' x2='5' y2='5'/></svg></div>")
    assert failing(drawn) == set() and "1 views drawn" in drawn["attention"].detail
    missing = run(browser, tmp_path, "<p>no views here</p>", expect_views=True)
    assert failing(missing) == {"attention"}


def test_find_pages_skips_assets_and_redirects(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "book").mkdir()
    (tmp_path / "_static" / "x.html").write_text("<p>asset</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/a.html" />', encoding="utf-8")
    (tmp_path / "book" / "a.html").write_text("<p>a</p>", encoding="utf-8")
    (tmp_path / "search.html").write_text("<p>search</p>", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in check_pages.find_pages(tmp_path)] == ["book/a.html", "search.html"]
