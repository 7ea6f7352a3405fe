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
pytestmark = pytest.mark.skipif(
    check_pages.find_chromium() is None, reason="no chromium on PATH: apt-get install -y chromium"
)

# A 1x1 PNG, so a page can hold an image that does load.
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0g"
    "AAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = check_pages.launch(playwright)
        yield browser
        browser.close()


def run(browser, folder: Path, body: str, **kwargs) -> dict[str, check_pages.Result]:
    page = folder / "page.html"
    page.write_text(
        f"<!doctype html><html><body><article style='width: 600px'>{body}</article></body></html>", encoding="utf-8"
    )
    results = check_pages.check_page(
        browser, page, name="page", shots=folder / "shots", views_timeout_ms=3000, **kwargs
    )
    return {result.check: result for result in results}


def failing(results: dict) -> set[str]:
    return {check for check, result in results.items() if not result.ok}


def test_clean_page_passes_and_is_photographed(browser, tmp_path):
    results = run(
        browser,
        tmp_path,
        f"<h1>Title</h1><p>Cost $5 and $10; a (b) [c].</p>"
        f"<pre>x = 1</pre><code>r'\\frac'</code><img src='{PIXEL}' alt='dot'>",
    )
    assert failing(results) == set(), results
    assert (tmp_path / "shots" / "page.png").stat().st_size > 0


@pytest.mark.parametrize(
    "tex",
    [
        "$$x^2$$",
        "\\(a + b\\)",
        "\\begin{align} a \\end{align}",
        "the ratio \\frac{a}{b}",
        "dollars left: $x_1 + y$ unparsed",
    ],
)
def test_raw_tex_in_prose_fails(browser, tmp_path, tex):
    results = run(browser, tmp_path, f"<p>{tex}</p>")
    assert failing(results) == {"tex"}, results
    assert "tex" in results and results["tex"].detail


def test_backslashes_in_what_a_cell_prints_are_data_not_tex(browser, tmp_path):
    results = run(
        browser,
        tmp_path,
        "<div class='cell_output'><table><tr><td>high\\jumper \\frac</td></tr></table></div><p>prose</p>",
    )
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
    body = (
        "<div id='bertviz-1'></div><script src='https://cdn.example.org/d3.js'></script>"
        "<script>d3.select('#bertviz-1').append('svg').append('line')</script>"
    )
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
    assert [p.relative_to(tmp_path).as_posix() for p in check_pages.find_pages(tmp_path)] == [
        "book/a.html",
        "search.html",
    ]


# Executed cells as myst-nb renders them: a .cell holding a .cell_output with one block per output.
def cell(output: str, *, tags: tuple[str, ...] = ()) -> str:
    classes = " ".join(["cell", "docutils", "container", *(f"tag_{tag}" for tag in tags)])
    return (
        f"<div class='{classes}'><div class='cell_input'><pre>x</pre></div>"
        f"<div class='cell_output docutils container'>{output}</div></div>"
    )


def stream(text: str, kind: str = "stream") -> str:
    return f"<div class='output {kind} highlight-myst-ansi notranslate'><div class='highlight'><pre>{text}</pre></div></div>"  # noqa: E501


NOISE = {"stderr", "warning", "traceback", "path", "debris"}


def test_clean_outputs_pass(browser, tmp_path):
    body = (
        cell(stream("accuracy 0.857\ntraining: 100%|██████████| 10/10 [00:01<00:00]"))
        + cell(f"<img src='{PIXEL}' alt='plot'>")
        + cell("<table><tr><td>0.5</td></tr></table>")
        + cell(stream("the FutureWarning class and warnings as a topic, a path like ~/models/"))
    )
    results = run(browser, tmp_path, body)
    assert failing(results) & NOISE == set(), results


@pytest.mark.parametrize(
    "output, check",
    [
        (stream("Some weights were not initialized", kind="stderr"), "stderr"),
        (stream("model.py:12: FutureWarning: `x` is deprecated"), "warning"),
        (stream('/usr/lib/python3/torch/jit.py:5: TracerWarning("...")'), "warning"),
        (stream("WARNING: something odd"), "warning"),
        (stream("[transformers] WARNING the config"), "warning"),
        (stream("warnings.warn(msg)"), "warning"),
        (stream("ValueError: bad", kind="traceback"), "traceback"),
        (stream("Traceback (most recent call last):\n  File x\nKeyError: 1"), "traceback"),
        (stream("loaded from /work/repo/.venv/lib/python3.11/site-packages/transformers"), "path"),
        (stream("saved to /tmp/model.onnx"), "path"),
        (stream("cache at /root/.cache/huggingface"), "path"),
        (stream("/home/ci/bert-book/book"), "path"),
        (stream("training:   0%|          | 0/10\ntraining: 100%|██████████| 10/10"), "debris"),
        (stream("predicting:  40%|████      | 4/10 [00:01<00:02]"), "debris"),
        (stream("done&#13;training: 100%|██████████| 10/10"), "debris"),
        (stream(""), "debris"),
        ("", "debris"),
    ],
)
def test_output_noise_fails(browser, tmp_path, output, check):
    results = run(browser, tmp_path, cell(output))
    assert check in failing(results), results
    assert results[check].detail.startswith("1: cell output 1"), results[check].detail


def test_a_teaching_error_may_show_its_traceback_but_not_a_path(browser, tmp_path):
    error = stream("Traceback (most recent call last):\nFutureWarning: x\nTypeError: list indices", kind="traceback")
    taught = run(browser, tmp_path, cell(error, tags=("raises-exception",)))
    assert failing(taught) & NOISE == set(), taught
    with_path = stream("File /work/x/.venv/lib/python3.11/site-packages/t.py:3\nTypeError: no", kind="traceback")
    assert failing(run(browser, tmp_path, cell(with_path, tags=("raises-exception",)))) & NOISE == {"path"}


def test_prose_and_code_are_not_outputs(browser, tmp_path):
    results = run(browser, tmp_path, "<p>A FutureWarning: in /tmp/x</p><pre>warnings.warn('x') # site-packages</pre>")
    assert failing(results) & NOISE == set(), results


def test_output_noise_without_a_browser():
    outputs = [
        {"cell": 0, "kind": "stderr", "text": "x:1: UserWarning: y\n", "media": False, "tags": []},
        {"cell": 1, "kind": "text_html", "text": "  ", "media": True, "tags": []},
    ]
    noise = check_pages.output_noise(outputs)
    assert [check for check, problems in noise.items() if problems] == ["stderr", "warning"]
    assert check_pages.progress_debris("a: 100%|##| 2/2\nb: 100%|##| 2/2") == []
