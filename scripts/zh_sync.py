"""Keep the Simplified Chinese edition (zh/book/) in step with the English one (book/).

    python scripts/zh_sync.py --write            create or update every zh page from its English twin
    python scripts/zh_sync.py --check            exit 1 if a zh notebook's code or cell structure differs
    python scripts/zh_sync.py --report [--json]  per page: translated / stale / untranslated Markdown cells

A zh notebook has its English twin's cells, in the same order, with the same ids and metadata: code cells are
byte-identical copies (so every assert and number holds in both editions). Each Markdown cell records
`metadata.zh.source_sha256`, the sha256 of the English text it mirrors: while the cell holds that English text it
is untranslated; once a translator has replaced the text, it is the translation of that English text. When the
English text changes, `--write` puts the new English text back in the cell and keeps the old translation aside in
`metadata.zh.stale` (with the hash of what it translated), so a page never shows a translation of text the English
page no longer has; the cell is stale until someone translates it again. Cells are matched by content (difflib
over the cells' hashes), not by position or id: nbstripout renumbers ids, and a cell inserted above must not shift
the others.

A Markdown page (book/*.md) is translated whole: its zh twin starts with the comment line
`% zh: source_sha256=<sha256 of the English file it mirrors>`. Untranslated, it is that line and a copy of the
English file (refreshed by `--write`); translated but stale (the English file changed since), it keeps its Chinese
text, is reported stale, and the zh build shows a notice on it.

Translating a page: run `--write`, replace the English text of the Markdown cells (or of the .md file, below its
first line) by the translation, and leave the metadata and the hash line as they are. `--check` (in `make test`)
and `--report` then keep the two editions honest.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import hashlib
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
MD_MARK = re.compile(r"\A% zh: source_sha256=([0-9a-f]{64})\n")

Notebook = dict[str, Any]
Cell = dict[str, Any]


def sha256(text: str) -> str:
    """The hash that names an English text: sha256 of its UTF-8 bytes, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source(cell: Cell) -> str:
    """A cell's source as one string (nbformat stores a list of lines or a string)."""
    text = cell.get("source", "")
    return text if isinstance(text, str) else "".join(text)


def read_notebook(path: Path) -> Notebook:
    return json.loads(path.read_text(encoding="utf-8"))


def write_notebook(path: Path, notebook: Notebook) -> None:
    """Write as nbformat (and nbstripout) do: sorted keys, one-space indent, UTF-8 text, final newline."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def pages(root: Path = ROOT) -> list[str]:
    """The English book's pages, as in its _toc.yml (e.g. 'book/01_background'), in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]
    for part in toc.get("parts", []):
        found += [chapter["file"] for chapter in part.get("chapters", [])]
    return found


def english_path(page: str, root: Path = ROOT) -> Path:
    """The English source of a page: its .ipynb, else its .md."""
    notebook = root / f"{page}.ipynb"
    return notebook if notebook.exists() else root / f"{page}.md"


def zh_path(page: str, root: Path = ROOT) -> Path:
    """The zh twin of a page: the same name under zh/."""
    return root / "zh" / english_path(page, root).relative_to(root)


def cell_key(cell: Cell) -> tuple[str, str]:
    """What a zh cell stands for: its type and the hash of the English text it mirrors (code: its own text)."""
    record = cell.get("metadata", {}).get("zh", {})
    return cell["cell_type"], record.get("source_sha256") or sha256(source(cell))


def english_key(cell: Cell) -> tuple[str, str]:
    return cell["cell_type"], sha256(source(cell))


def cell_status(cell: Cell) -> str:
    """A zh Markdown cell as it stands: 'translated' (its text is not the English it mirrors), 'stale' (English
    text, put back by --write over a translation of an older English text) or 'untranslated'."""
    record = cell.get("metadata", {}).get("zh", {})
    if "source_sha256" in record and sha256(source(cell)) != record["source_sha256"]:
        return "translated"
    return "stale" if "stale" in record else "untranslated"


def _english(cell: Cell) -> Cell:
    """An English cell as the zh notebook holds it: code byte-identical; Markdown untranslated, with its hash."""
    cell = copy.deepcopy(cell)
    if cell["cell_type"] == "markdown":
        cell["metadata"]["zh"] = {"source_sha256": sha256(source(cell))}
    return cell


def _kept(english: Cell, old: Cell) -> tuple[Cell, str]:
    """A zh cell whose English text is unchanged: keep its text, take the English metadata."""
    cell = _english(english)
    if english["cell_type"] != "markdown":
        return cell, "code"
    status = cell_status(old)
    if status != "untranslated":
        cell["source"] = old["source"]
    if status == "stale":
        cell["metadata"]["zh"]["stale"] = copy.deepcopy(old["metadata"]["zh"]["stale"])
    return cell, status


def _superseded(english: Cell, old: Cell) -> tuple[Cell, str]:
    """A zh Markdown cell whose English text changed: the new English text, the old translation kept aside."""
    cell = _english(english)
    status = cell_status(old)
    if status == "translated":
        previous = {"source_sha256": old["metadata"]["zh"]["source_sha256"], "translation": source(old)}
        cell["metadata"]["zh"]["stale"] = previous
    elif status == "stale":  # stale already: keep the translation there is
        cell["metadata"]["zh"]["stale"] = copy.deepcopy(old["metadata"]["zh"]["stale"])
    return cell, "untranslated" if status == "untranslated" else "stale"


def merge(english: Notebook, zh: Notebook | None) -> tuple[Notebook, list[str]]:
    """The zh notebook for `english`, keeping what `zh` translated; and each English Markdown cell's status.

    Statuses, one per Markdown cell in order: 'translated' (a translation of the English text as it is now),
    'stale' (translated once, the English text changed since) or 'untranslated'.
    """
    result = copy.deepcopy({key: value for key, value in english.items() if key != "cells"})
    result["cells"] = []
    statuses: list[str] = []
    new_cells = english["cells"]
    old_cells = zh["cells"] if zh else []
    matcher = difflib.SequenceMatcher(
        None, [cell_key(c) for c in old_cells], [english_key(c) for c in new_cells], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            new, i = new_cells[j], i1 + offset
            old = old_cells[i] if i < i2 else None
            if tag == "equal":
                cell, status = _kept(new, old)
            elif old is not None and old["cell_type"] == new["cell_type"] == "markdown":
                cell, status = _superseded(new, old)
            else:
                cell, status = _english(new), "untranslated" if new["cell_type"] == "markdown" else "code"
            result["cells"].append(cell)
            if new["cell_type"] == "markdown":
                statuses.append(status)
    return result, statuses


def structure_problems(english: Notebook, zh: Notebook) -> list[str]:
    """Why a zh notebook is not its English twin's cells (empty when it is): count, order, types, ids, code."""
    problems = []
    if len(english["cells"]) != len(zh["cells"]):
        problems.append(f"{len(zh['cells'])} cells, the English notebook has {len(english['cells'])}")
    for index, (en, cn) in enumerate(zip(english["cells"], zh["cells"])):
        where = f"cell {index}"
        if en["cell_type"] != cn["cell_type"] or en.get("id") != cn.get("id"):
            problems.append(f"{where}: {cn['cell_type']} {cn.get('id')!r}, English {en['cell_type']} {en.get('id')!r}")
            continue
        if en["cell_type"] == "code":
            if json.dumps(en, sort_keys=True) != json.dumps(cn, sort_keys=True):
                problems.append(f"{where}: the code cell differs from the English one")
        else:
            metadata = {key: value for key, value in cn.get("metadata", {}).items() if key != "zh"}
            if metadata != en.get("metadata", {}):
                problems.append(f"{where}: Markdown metadata (other than 'zh') differs from the English cell's")
    if {k: v for k, v in english.items() if k != "cells"} != {k: v for k, v in zh.items() if k != "cells"}:
        problems.append("notebook metadata differs from the English notebook's")
    return problems


@dataclass
class PageStatus:
    """How far a page's translation has got."""

    page: str
    kind: str  # 'ipynb' or 'md'
    translated: int
    stale: int
    untranslated: int

    @property
    def state(self) -> str:
        """'translated', 'untranslated', 'stale' (some cells stale) or 'partial'."""
        if self.stale:
            return "stale"
        if not self.untranslated:
            return "translated"
        return "untranslated" if not self.translated else "partial"


def md_status(english: str, zh: str | None) -> str:
    """A Markdown page's status: 'untranslated' (the English text it mirrors), 'translated' (other text, mirroring
    the English file as it is now) or 'stale' (other text, mirroring an older English file, or none recorded)."""
    if zh is None:
        return "untranslated"
    mark = MD_MARK.match(zh)
    body = zh[mark.end() :] if mark else zh
    if body == english or (mark and sha256(body) == mark.group(1)):
        return "untranslated"
    return "translated" if mark and mark.group(1) == sha256(english) else "stale"


def md_english(english: str) -> str:
    """An untranslated zh Markdown page: the hash line, then the English text."""
    return f"% zh: source_sha256={sha256(english)}\n{english}"


def page_status(page: str, root: Path = ROOT) -> PageStatus:
    """The status of one page, as `--write` would leave it (the zh file need not be synced yet)."""
    en_path, cn_path = english_path(page, root), zh_path(page, root)
    if en_path.suffix == ".md":
        status = md_status(en_path.read_text(encoding="utf-8"), _read_text(cn_path))
        return PageStatus(page, "md", *(int(status == s) for s in ("translated", "stale", "untranslated")))
    zh = read_notebook(cn_path) if cn_path.exists() else None
    _, statuses = merge(read_notebook(en_path), zh)
    return PageStatus(page, "ipynb", *(statuses.count(s) for s in ("translated", "stale", "untranslated")))


def _read_text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def write(root: Path = ROOT) -> list[str]:
    """Create or update every zh page from its English twin; returns the paths it changed."""
    changed = []
    for page in pages(root):
        en_path, cn_path = english_path(page, root), zh_path(page, root)
        if en_path.suffix == ".md":
            english, zh = en_path.read_text(encoding="utf-8"), _read_text(cn_path)
            if md_status(english, zh) == "untranslated" and zh != md_english(english):
                cn_path.parent.mkdir(parents=True, exist_ok=True)
                cn_path.write_text(md_english(english), encoding="utf-8")
                changed.append(str(cn_path.relative_to(root)))
            continue
        zh_nb = read_notebook(cn_path) if cn_path.exists() else None
        merged, _ = merge(read_notebook(en_path), zh_nb)
        if merged != zh_nb:
            write_notebook(cn_path, merged)
            changed.append(str(cn_path.relative_to(root)))
    return changed


def check(root: Path = ROOT) -> list[str]:
    """Every problem that makes a zh notebook differ from its English twin in code or structure."""
    problems = []
    for page in pages(root):
        en_path, cn_path = english_path(page, root), zh_path(page, root)
        if not cn_path.exists():
            problems.append(f"{cn_path.relative_to(root)}: missing (run scripts/zh_sync.py --write)")
        elif en_path.suffix == ".ipynb":
            found = structure_problems(read_notebook(en_path), read_notebook(cn_path))
            problems += [f"{cn_path.relative_to(root)}: {problem}" for problem in found]
    return problems


def report(root: Path = ROOT) -> dict[str, Any]:
    """Per page and in all: translated / stale / untranslated Markdown cells (a .md page counts as one)."""
    statuses = [page_status(page, root) for page in pages(root)]
    rows = [asdict(status) | {"state": status.state} for status in statuses]
    totals = {key: sum(row[key] for row in rows) for key in ("translated", "stale", "untranslated")}
    states = [row["state"] for row in rows]
    totals["pages"] = len(rows)
    totals["pages_translated"] = states.count("translated")
    return {"pages": rows, "totals": totals}


def print_report(data: dict[str, Any]) -> None:
    print(f"{'page':32} {'kind':5} {'translated':>10} {'stale':>6} {'untranslated':>12}  state")
    for row in data["pages"]:
        print(
            f"{row['page']:32} {row['kind']:5} {row['translated']:>10} {row['stale']:>6} "
            f"{row['untranslated']:>12}  {row['state']}"
        )
    t = data["totals"]
    print(
        f"{t['pages']} pages, {t['pages_translated']} translated; Markdown cells/pages: {t['translated']} "
        f"translated, {t['stale']} stale, {t['untranslated']} untranslated"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="create or update zh/book/ from book/")
    mode.add_argument("--check", action="store_true", help="exit 1 if zh code or cell structure differs")
    mode.add_argument("--report", action="store_true", help="translated / stale / untranslated per page")
    parser.add_argument("--json", action="store_true", help="with --report: print JSON")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # the tests' fixture
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.write:
        changed = write(root)
        print(f"zh_sync: {len(changed)} zh page(s) written" + "".join(f"\n  {path}" for path in changed))
    elif args.check:
        problems = check(root)
        for problem in problems:
            print(problem)
        print(f"zh_sync --check: {len(problems)} problem(s) in {len(pages(root))} pages")
        return 1 if problems else 0
    else:
        data = report(root)
        print(json.dumps(data, indent=1, ensure_ascii=False)) if args.json else print_report(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
