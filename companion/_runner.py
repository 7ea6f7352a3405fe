"""Tooling, not for readers: execute a book notebook in a fresh kernel, as the seed sweep and the book benchmark do.

`scripts/seed_sweep.py` and `benchmarks/book_run.py` both run notebooks this way: the same environment, nbclient
with errors allowed (a failing cell is reported, and later cells still run), a last cell that prints one line of
JSON after a marker, and the errors of every cell except those tagged `raises-exception` (the book's teaching
tracebacks). It lives in the package, private, because those two are run as scripts from folders that cannot
import each other without editing `sys.path`, while the installed `companion` is importable from both.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUIET = {  # progress bars off and no windows: the executed notebook's output is read, not watched
    "TQDM_DISABLE": "1",
    "HF_DATASETS_DISABLE_PROGRESS_BARS": "1",
    "MPLBACKEND": "agg",
    "TOKENIZERS_PARALLELISM": "false",
}


def prepare_environment(*, threads: int, **settings: str | None) -> None:
    """Set the environment a kernel started now inherits: `threads` CPU threads, QUIET, the hub offline unless set,
    and each BERTBOOK_* setting given (None removes it, so the book's default applies)."""
    os.environ.update({"OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), **QUIET})
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    for name, value in settings.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@dataclass
class Executed:
    """A notebook as executed: its cells with the inserted ones, where each came from, the time and the report."""

    notebook: Any  # the nbformat notebook, outputs and per-cell timings filled in
    origin: list[int | None]  # each executed cell's index in the file; None for a cell the runner inserted
    seconds: float  # from the kernel's start to the last cell's reply
    report: Any  # the JSON the last cell printed after the marker; None when it printed none

    def cells(self) -> list[tuple[int, Any]]:
        """Return (index in the file, executed cell) for the file's own cells, in order."""
        return [(index, cell) for index, cell in zip(self.origin, self.notebook.cells) if index is not None]

    def errors(self) -> list[tuple[int, str]]:
        """Return (index in the file, 'ename: evalue') for each error of a file's cell not tagged raises-exception."""
        return [
            (index, f"{output.ename}: {output.evalue}")
            for index, cell in self.cells()
            if cell.cell_type == "code" and "raises-exception" not in cell.metadata.get("tags", [])
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error"
        ]


def execute(
    path: str | os.PathLike,
    *,
    timeout: int,
    last_cell: str,
    marker: str,
    first_cell: str | None = None,
    after_cell: Callable[[str, int], str | None] | None = None,
) -> Executed:
    """Run a notebook in a fresh kernel from its own folder; the environment is this process's (prepare_environment).

    `first_cell` runs before the notebook, `after_cell(source, index)` may return code to run after each code cell,
    and `last_cell` runs at the end and prints `marker` and one line of JSON: the report.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    cells, origin = [], []
    if first_cell is not None:
        cells.append(nbformat.v4.new_code_cell(first_cell))
        origin.append(None)
    for index, cell in enumerate(notebook.cells):
        cells.append(cell)
        origin.append(index)
        extra = after_cell(cell.source, index) if after_cell is not None and cell.cell_type == "code" else None
        if extra:
            cells.append(nbformat.v4.new_code_cell(extra))
            origin.append(None)
    cells.append(nbformat.v4.new_code_cell(last_cell))
    origin.append(None)
    notebook.cells = cells
    started = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        record_timing=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    seconds = time.perf_counter() - started
    report = None
    for output in notebook.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith(marker + " "):
                report = json.loads(line[len(marker) + 1 :])
    return Executed(notebook=notebook, origin=origin, seconds=seconds, report=report)
