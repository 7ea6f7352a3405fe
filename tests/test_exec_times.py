"""scripts/exec_times.py reads the execution data myst-nb leaves in Sphinx's saved environment."""

import importlib.util
import pickle
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("exec_times", ROOT / "scripts" / "exec_times.py")
exec_times = importlib.util.module_from_spec(spec)
spec.loader.exec_module(exec_times)


def write_environment(build: Path, nb_metadata: dict) -> None:
    (build / ".doctrees").mkdir(parents=True)
    env = types.SimpleNamespace(nb_metadata=nb_metadata)  # what myst-nb sets on Sphinx's BuildEnvironment
    (build / ".doctrees" / "environment.pickle").write_bytes(pickle.dumps(env))


def test_rows_and_table_slowest_first(tmp_path):
    write_environment(
        tmp_path,
        {
            "book/01_background": {"exec_data": {"runtime": 11.05, "succeeded": True, "method": "auto"}},
            "book/05_pretraining": {"exec_data": {"runtime": 253.8, "succeeded": False, "error": "CellExecutionError"}},
            "book/intro": {},  # a markdown page: nothing executed
        },
    )
    rows = exec_times.exec_times(tmp_path)
    assert [row["page"] for row in rows] == ["book/01_background", "book/05_pretraining"]
    lines = exec_times.table(rows).splitlines()
    assert lines[1].split() == ["book/05_pretraining", "253.8", "FAILED"]
    assert lines[2].split() == ["book/01_background", "11.1", "passed"]
    assert lines[-1] == "2 pages executed in 265 s (4.4 min)"


def test_missing_build_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        exec_times.exec_times(tmp_path)
