"""Stage the Chinese edition for `jupyter-book build`: zh/ plus the English build's outputs, executed nothing.

    python scripts/zh_build.py                       # zh/ + _build/jupyter_execute -> _build/zh-src
    python scripts/zh_build.py --lenient             # a local preview from an English build older than book/

The zh notebooks' code cells are byte-identical to the English ones (scripts/zh_sync.py --check), so the
outputs of the English build (`make book` leaves each executed notebook in _build/jupyter_execute/book/) are
the zh pages' outputs, cell by cell: this script copies them into a build copy of each zh notebook, and the zh
book is built with execution off. It stops, naming the page, if an English executed notebook is missing or was
executed from other code than book/ holds now (run `make book`). With --lenient it matches code cells by their
text instead, leaves the unmatched ones without outputs and says how many (for a preview only).

Each page not (wholly) translated gets a one-line notice at its top, in Chinese. The staged _config.yml has
the paths of zh/_config.yml (relative to zh/) rewritten relative to the staging folder; the staging folder
gets a copy of the English book's _static/ (the theme's custom CSS), which Jupyter Book picks up only there,
and links to the folders the pages include files from (../benchmarks/..., ../grading/...).
"""

from __future__ import annotations

import argparse
import copy
import difflib
import os
import re
import shutil
import sys
from pathlib import Path

import yaml
import zh_sync

ROOT = Path(__file__).resolve().parents[1]

NOTICE_UNTRANSLATED = "本页尚未翻译，以下为英文原文。"
NOTICE_PARTIAL = "本页尚有 {n} 段未翻译或译文已过时（英文原文已更新），这些段落以英文原文显示。"
NOTICE_STALE_PAGE = "本页的英文原文在翻译之后有过修改，译文可能已过时。"


def notice(status: zh_sync.PageStatus) -> str | None:
    """The Chinese notice at the top of a page not wholly translated (None for a translated page)."""
    if status.state == "translated":
        return None
    if status.kind == "md":
        return NOTICE_STALE_PAGE if status.state == "stale" else NOTICE_UNTRANSLATED
    if not status.translated:
        return NOTICE_UNTRANSLATED
    return NOTICE_PARTIAL.format(n=status.stale + status.untranslated)


def notice_cell(text: str) -> zh_sync.Cell:
    return {"cell_type": "markdown", "id": "zh-notice", "metadata": {}, "source": f":::{{note}}\n{text}\n:::\n"}


class StaleBuild(Exception):
    """The English executed notebook does not hold the code book/ holds now."""


def copy_outputs(zh: zh_sync.Notebook, executed: zh_sync.Notebook, *, lenient: bool = False) -> int:
    """Put the executed notebook's outputs into `zh`'s code cells; returns how many code cells got none.

    Strict: the code cells, in order, must be the same texts (else StaleBuild). Lenient: matched by text.
    """
    zh_code = [cell for cell in zh["cells"] if cell["cell_type"] == "code"]
    run_code = [cell for cell in executed["cells"] if cell["cell_type"] == "code"]
    texts, run_texts = [zh_sync.source(c) for c in zh_code], [zh_sync.source(c) for c in run_code]
    if texts == run_texts:
        pairs = list(zip(zh_code, run_code))
    elif not lenient:
        changed = next((i for i, (a, b) in enumerate(zip(texts, run_texts)) if a != b), min(len(texts), len(run_texts)))
        raise StaleBuild(f"code cell {changed} differs ({len(texts)} code cells, the build ran {len(run_texts)})")
    else:
        matcher = difflib.SequenceMatcher(None, texts, run_texts, autojunk=False)
        pairs = [
            (zh_code[block.a + k], run_code[block.b + k])
            for block in matcher.get_matching_blocks()
            for k in range(block.size)
        ]
    for cell, run in pairs:
        cell["outputs"] = copy.deepcopy(run.get("outputs", []))
        cell["execution_count"] = run.get("execution_count")
    return len(zh_code) - len(pairs)


def staged_config(zh_dir: Path, out: Path) -> dict:
    """zh/_config.yml with its local paths (bibliography, local extensions) made relative to `out`."""
    config = yaml.safe_load((zh_dir / "_config.yml").read_text(encoding="utf-8"))

    def moved(path: str) -> str:
        return os.path.relpath((zh_dir / path).resolve(), out.resolve())

    config["bibtex_bibfiles"] = [moved(path) for path in config.get("bibtex_bibfiles", [])]
    extensions = config.get("sphinx", {}).get("local_extensions", {})
    for name, path in extensions.items():
        extensions[name] = moved(path)
    return config


def outside_folders(root: Path) -> list[str]:
    """The repository's folders that the English pages reach with ../NAME (files they include, say)."""
    names = set()
    for path in [*(root / "book").glob("*.md"), *(root / "book").glob("*.ipynb")]:
        names |= set(re.findall(r"\.\./([A-Za-z0-9_-]+)/", path.read_text(encoding="utf-8")))
    return sorted(name for name in names if (root / name).is_dir() and name not in {"book", "zh", "_build"})


def stage(out: Path, *, root: Path = ROOT, executed_dir: Path | None = None, lenient: bool = False) -> list[str]:
    """Write the build copy of the zh book into `out`; returns one line per page that lacks outputs (lenient)."""
    zh_dir = root / "zh"
    executed_dir = executed_dir or root / "_build" / "jupyter_execute"
    problems = zh_sync.check(root)
    if problems:
        raise SystemExit("the zh edition differs from the English one:\n  " + "\n  ".join(problems))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "_config.yml").write_text(
        yaml.safe_dump(staged_config(zh_dir, out), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    shutil.copy2(zh_dir / "_toc.yml", out / "_toc.yml")
    if (root / "_static").is_dir():
        shutil.copytree(root / "_static", out / "_static")
    for name in outside_folders(root):  # what the pages include from beside book/, where `../NAME` finds it
        (out / name).symlink_to(root / name, target_is_directory=True)
    missing: list[str] = []
    for page in zh_sync.pages(root):
        source_path = zh_sync.zh_path(page, root)
        target = out / source_path.relative_to(zh_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = notice(zh_sync.page_status(page, root))
        if source_path.suffix == ".md":
            body = source_path.read_text(encoding="utf-8")
            target.write_text(body if text is None else f":::{{note}}\n{text}\n:::\n\n{body}", encoding="utf-8")
            continue
        # as `zh_sync.py --write` would leave it: a cell whose English text changed since shows the English text
        notebook, _ = zh_sync.merge(
            zh_sync.read_notebook(zh_sync.english_path(page, root)), zh_sync.read_notebook(source_path)
        )
        run_path = executed_dir / f"{page}.ipynb"
        if not run_path.exists():
            if not lenient:
                raise SystemExit(f"{run_path} is missing: the zh book takes its outputs from `make book`; run it first")
            missing.append(f"{page}: no English build, no outputs")
        else:
            try:
                unmatched = copy_outputs(notebook, zh_sync.read_notebook(run_path), lenient=lenient)
            except StaleBuild as error:
                raise SystemExit(
                    f"{run_path} was executed from other code than book/{Path(page).name}.ipynb holds now: "
                    f"{error}; run `make book` first"
                ) from None
            if unmatched:
                missing.append(f"{page}: {unmatched} code cell(s) without outputs (English build older than book/)")
        if text is not None:
            notebook["cells"].insert(0, notice_cell(text))
        zh_sync.write_notebook(target, notebook)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "zh-src")
    parser.add_argument("--executed", type=Path, default=ROOT / "_build" / "jupyter_execute")
    parser.add_argument("--lenient", action="store_true", help="preview from an older English build")
    args = parser.parse_args(argv)
    missing = stage(args.out, executed_dir=args.executed, lenient=args.lenient)
    for line in missing:
        print(f"zh_build --lenient: {line}")
    print(f"zh_build: staged the zh book in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
