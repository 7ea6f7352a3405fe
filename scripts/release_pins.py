"""Check that every pin of the book's release names the package's current version (the tag v<version>).

    python scripts/release_pins.py             # exit 1, listing each pin that names another version
    python scripts/release_pins.py --version   # print pyproject.toml's version (release.yml tags v<it>)

Readers install `companion` and download the checkpoints at the tag `v<version>`: the Colab cell of every
notebook, README.md and book/how_to_use.md name that tag, and companion/checkpoints.py builds its download
address from `companion.__version__`. `.github/workflows/release.yml` creates the tag when the version in
pyproject.toml changes on main; this check (a unit test runs it too) keeps every pin on that version.
Standard library only, so the release workflow runs it before installing anything.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A pin is a tag of this repository: "v" and three numbers ("SQuAD v1.1" is not one).
PIN = re.compile(r"(?<![\w.])v(\d+\.\d+\.\d+(?:[-.]?(?:a|b|rc|post|dev)\d*)?)(?![\w.]*\d)")
PINNED_TEXTS = ("README.md", "book/how_to_use.md")  # each must pin the release at least once
# In a notebook only an install address pins the release ("...bert-book@v0.4.0"): its code and prose may name
# other software's versions ("transformers v4.12.0").
INSTALL_PIN = re.compile(r"@v(\d+\.\d+\.\d+(?:[-.]?(?:a|b|rc|post|dev)\d*)?)(?![\w.]*\d)")


def package_version(pyproject: str) -> str:
    """Return the version in pyproject.toml's [project] table, given the file's text."""
    project = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", pyproject, re.M | re.S)
    match = project and re.search(r'^version\s*=\s*"([^"]+)"', project.group(1), re.M)
    if not match:
        raise ValueError('pyproject.toml has no version = "..." line in its [project] table')
    return match.group(1)


def pins(text: str, pattern: re.Pattern = PIN) -> list[tuple[int, str]]:
    """Return (line number, version) for every v<major>.<minor>.<patch> tag the pattern finds in the text."""
    return [(text.count("\n", 0, match.start()) + 1, match.group(1)) for match in pattern.finditer(text)]


def mismatches(text: str, version: str, *, where: str, required: bool = True, pattern: re.Pattern = PIN) -> list[str]:
    """Return one line per pin in the text that names another version (and one if a required pin is absent)."""
    found = pins(text, pattern)
    if required and not found:
        return [f"{where}: pins no release (expected v{version})"]
    return [
        f"{where}:{line}: pins v{named}, but pyproject.toml's version is {version} (expected v{version})"
        for line, named in found
        if named != version
    ]


def problems(root: Path = ROOT) -> list[str]:
    """Return every pin under root that does not name pyproject.toml's version (empty when all agree)."""
    version = package_version((root / "pyproject.toml").read_text(encoding="utf-8"))
    found = []
    init = (root / "companion" / "__init__.py").read_text(encoding="utf-8")
    declared = re.search(r'^__version__ = "([^"]+)"', init, re.M)
    if declared is None or declared.group(1) != version:
        found.append(
            f"companion/__init__.py: __version__ is {declared and declared.group(1)!r}, "
            f"but pyproject.toml's version is {version}: make them equal"
        )
    template = (root / "companion" / "checkpoints.py").read_text(encoding="utf-8")
    if "/v{__version__}/checkpoints/" not in template:
        found.append("companion/checkpoints.py: raw_url no longer downloads from the tag v{__version__}")
    for name in PINNED_TEXTS:
        found += mismatches((root / name).read_text(encoding="utf-8"), version, where=name)
    for notebook in sorted((root / "book").glob("*.ipynb")):
        text = notebook.read_text(encoding="utf-8")
        found += mismatches(
            text, version, where=f"book/{notebook.name}", required="google.colab" in text, pattern=INSTALL_PIN
        )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true", help="print pyproject.toml's version and exit")
    args = parser.parse_args(argv)
    if args.version:
        print(package_version((ROOT / "pyproject.toml").read_text(encoding="utf-8")))
        return 0
    found = problems()
    version = package_version((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    print("\n".join(found) or f"every pin names v{version}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
