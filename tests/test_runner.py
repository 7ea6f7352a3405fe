import os

import nbformat

from companion import _runner


def test_execute_inserts_cells_keeps_origins_and_reports_errors_but_taught_ones(tmp_path):
    cells = [
        nbformat.v4.new_code_cell("x = 2"),
        nbformat.v4.new_markdown_cell("some prose"),
        nbformat.v4.new_code_cell("raise ValueError('a taught error')", metadata={"tags": ["raises-exception"]}),
        nbformat.v4.new_code_cell("y = x * 3\nraise KeyError('a broken cell')"),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "a.ipynb")
    executed = _runner.execute(
        tmp_path / "a.ipynb",
        timeout=60,
        first_cell="seen = []",
        after_cell=lambda source, index: f"seen.append({index})" if "x" in source else None,
        last_cell="import json, os\nprint('REPORT ' + json.dumps({'seen': seen, 'y': y, 'folder': os.getcwd()}))",
        marker="REPORT",
    )
    assert executed.origin == [None, 0, None, 1, 2, 3, None, None]
    assert [index for index, _ in executed.cells()] == [0, 1, 2, 3]
    assert executed.report == {"seen": [0, 3], "y": 6, "folder": str(tmp_path)}  # later cells ran; in its folder
    assert executed.errors() == [(3, "KeyError: 'a broken cell'")] and executed.seconds > 0


def test_execute_without_the_marker_reports_none(tmp_path):
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), tmp_path / "a.ipynb")
    assert _runner.execute(tmp_path / "a.ipynb", timeout=60, last_cell="print('no')", marker="REPORT").report is None


def test_prepare_environment_sets_threads_quiet_and_the_given_settings(monkeypatch):
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "BERTBOOK_SEED", "BERTBOOK_PROFILE", *_runner.QUIET):
        monkeypatch.setenv(name, "before")  # so that monkeypatch restores each afterwards, set or not
    monkeypatch.setenv("BERTBOOK_PROFILE", "full")
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # a setting of the caller's stays
    _runner.prepare_environment(threads=3, BERTBOOK_SEED="7", BERTBOOK_PROFILE=None)
    assert os.environ["OMP_NUM_THREADS"] == os.environ["MKL_NUM_THREADS"] == "3"
    assert os.environ["BERTBOOK_SEED"] == "7" and "BERTBOOK_PROFILE" not in os.environ
    assert os.environ["HF_HUB_OFFLINE"] == "0" and os.environ["MPLBACKEND"] == "agg"
