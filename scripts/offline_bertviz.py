"""Make bertviz views in a built book work offline: copy require.js, d3 and jQuery from node_modules into
<html>/_static/bertviz-vendor/ and point every page's CDN URLs at those copies.

    npm ci && python scripts/offline_bertviz.py _build/html

Run it after `jupyter-book build`; it exits non-zero if a CDN URL is left or node_modules is missing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# CDN URL (as bertviz 1.4 writes it) -> (file in node_modules, name under _static/bertviz-vendor,
# as require.js wants it)
SCRIPTS = {
    "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js": ("requirejs/require.js", "require.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/d3/5.7.0/d3.min": ("d3/dist/d3.min.js", "d3.min"),
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/2.0.0/jquery.min": ("jquery/dist/jquery.min.js", "jquery.min"),
}
LEFT_OVER = re.compile(
    r"https://(cdnjs\.cloudflare\.com|ajax\.googleapis\.com|cdn\.jsdelivr\.net|unpkg\.com)/[^\"' ]*(require|d3|jquery)[^\"' ]*"  # noqa: E501
)


def vendor(html_dir: Path, node_modules: Path) -> Path:
    """Copy the three libraries into html_dir/_static/bertviz-vendor and return that folder."""
    target = html_dir / "_static" / "bertviz-vendor"  # not _static/vendor: the theme uses that
    target.mkdir(parents=True, exist_ok=True)
    for source, name in SCRIPTS.values():
        path = node_modules / source
        if not path.is_file():
            sys.exit(f"{path} is missing: run `npm ci` (package.json pins requirejs, d3 and jquery) first")
        shutil.copyfile(path, target / (name if name.endswith(".js") else name + ".js"))
    return target


def rewrite(html_dir: Path, target: Path) -> list[Path]:
    """Point the CDN URLs in every HTML page at the vendored copies; return the pages changed."""
    changed = []
    for page in sorted(html_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if not any(url in text for url in SCRIPTS):
            continue
        relative = Path(os.path.relpath(target, page.parent)).as_posix()
        for url, (_, name) in SCRIPTS.items():
            text = text.replace(url, f"{relative}/{name}")
        page.write_text(text, encoding="utf-8")
        changed.append(page)
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path, nargs="?", default=ROOT / "_build" / "html")
    parser.add_argument("--node-modules", type=Path, default=ROOT / "node_modules")
    args = parser.parse_args()
    if not (args.html_dir / "index.html").is_file():
        sys.exit(f"{args.html_dir} holds no index.html: build the book first (make book)")
    target = vendor(args.html_dir, args.node_modules)
    changed = rewrite(args.html_dir, target)
    left = [
        (page, match.group(0))
        for page in args.html_dir.rglob("*.html")
        for match in LEFT_OVER.finditer(page.read_text(encoding="utf-8"))
    ]
    for page, url in left:
        print(f"{page}: still loads {url}", file=sys.stderr)
    print(f"offline bertviz: {len(changed)} page(s) now load require.js, d3 and jQuery from {target}")
    sys.exit(1 if left else 0)


if __name__ == "__main__":
    main()
