import importlib.util
import json
import os
import sys
import types
from pathlib import Path

import pytest
import torch

import companion

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("colab_cell", ROOT / "scripts" / "colab_cell.py")
colab_cell = importlib.util.module_from_spec(spec)
spec.loader.exec_module(colab_cell)


def test_every_chapter_has_the_one_pinned_colab_cell():
    expected = colab_cell.cell_source(colab_cell.package_version())
    notebooks = sorted((ROOT / "book").glob("*.ipynb"))
    assert len(notebooks) >= 11
    assert [line for path in notebooks for line in colab_cell.problems(path, expected)] == []


def test_the_cell_installs_the_package_version_with_every_extra():
    assert colab_cell.package_version() == companion.__version__
    source = colab_cell.cell_source(companion.__version__)
    assert f'@v{companion.__version__}"' in source and "[book]" in source


def test_a_changed_cell_is_reported(tmp_path):
    notebook = json.loads((ROOT / "book" / "01_background.ipynb").read_text(encoding="utf-8"))
    cell = colab_cell.colab_cells(notebook)[0]
    cell["source"] = [line.replace("[book]", "[fast]") for line in cell["source"]]
    path = tmp_path / "edited.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert colab_cell.problems(path, colab_cell.cell_source(colab_cell.package_version()))


@pytest.mark.parametrize("gpu, profile", [(True, "full"), (False, "fast")])
def test_in_colab_the_cell_picks_full_on_a_gpu_and_fast_on_a_cpu(monkeypatch, gpu, profile):
    source = colab_cell.cell_source(companion.__version__)
    python = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%pip"))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: gpu)
    monkeypatch.setenv("BERTBOOK_PROFILE", "")  # recorded, so that what the cell sets is undone after the test
    monkeypatch.delenv("BERTBOOK_PROFILE")
    exec(compile(python, "colab_cell", "exec"), {})
    assert os.environ["BERTBOOK_PROFILE"] == profile


def test_outside_colab_the_cell_changes_nothing(monkeypatch):
    source = colab_cell.cell_source(companion.__version__)
    python = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%pip"))
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setenv("BERTBOOK_PROFILE", "")
    monkeypatch.delenv("BERTBOOK_PROFILE")
    exec(compile(python, "colab_cell", "exec"), {})
    assert "BERTBOOK_PROFILE" not in os.environ
