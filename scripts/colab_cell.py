"""Write or check the one Colab set-up cell that every chapter starts with.

python scripts/colab_cell.py --check   # exit 1 if any book/*.ipynb lacks the cell or has another variant
python scripts/colab_cell.py --write   # put the cell (pinned to companion's version) in every chapter
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = '"google.colab" in sys.modules'
TAGS = ["hide-input"]  # folded in the HTML book; in Jupyter and Colab it stays a normal cell


def package_version() -> str:
    """Return the version in pyproject.toml (the tag the Colab cell installs is v<version>)."""
    match = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    if match is None:
        raise SystemExit("pyproject.toml has no version line")
    return match.group(1)


def cell_source(version: str) -> str:
    """Return the cell's code: in Colab, install companion at the tag v<version>; full profile on a GPU, else fast."""
    return (
        "import os\n"
        "import sys\n"
        "\n"
        "# Colab: install companion (pinned to this book's release)\n"
        f"if {MARKER}:\n"
        f'    %pip install -q "bertbook-companion[book] @ git+https://github.com/bert-book/bert-book@v{version}"\n'
        "    import torch\n"
        "\n"
        "    # a GPU runtime runs the full profile (sized to the book's time budget), a CPU one fast\n"
        '    profile = "full" if torch.cuda.is_available() else "fast"\n'
        '    os.environ.setdefault("BERTBOOK_PROFILE", profile)'
    )


def colab_cells(notebook: dict) -> list[dict]:
    """Return the cells that mention Colab's module (every chapter must have exactly one)."""
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code" and MARKER in "".join(cell["source"])]


def problems(path: Path, expected: str) -> list[str]:
    """Return what is wrong with one notebook's Colab cell (empty when it is the canonical cell)."""
    cells = colab_cells(json.loads(path.read_text(encoding="utf-8")))
    if len(cells) != 1:
        return [f"{path.name}: {len(cells)} Colab cells, expected 1"]
    found = []
    if "".join(cells[0]["source"]) != expected:
        found.append(f"{path.name}: the Colab cell differs from scripts/colab_cell.py (run it with --write)")
    if cells[0].get("metadata", {}).get("tags") != TAGS:
        found.append(f"{path.name}: the Colab cell's tags are not {TAGS}")
    return found


def write(path: Path, expected: str) -> None:
    """Replace the notebook's Colab cell with the canonical one (it must already have one)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = colab_cells(notebook)
    if len(cells) != 1:
        raise SystemExit(f"{path}: {len(cells)} Colab cells; add one after the title cell by hand first")
    lines = expected.splitlines(keepends=True)
    cells[0]["source"] = lines
    cells[0].setdefault("metadata", {})["tags"] = list(TAGS)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true")
    group.add_argument("--write", action="store_true")
    args = parser.parse_args()
    expected = cell_source(package_version())
    notebooks = sorted((ROOT / "book").glob("*.ipynb"))
    if args.write:
        for path in notebooks:
            write(path, expected)
        return 0
    found = [line for path in notebooks for line in problems(path, expected)]
    print("\n".join(found) or f"{len(notebooks)} notebooks share the Colab cell (v{package_version()})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
