import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("seed_sweep", ROOT / "scripts" / "seed_sweep.py")
seed_sweep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(seed_sweep)


def test_probe_records_operands_and_outcomes(assert_cell):
    namespace = {"accuracy": 0.79, "FAST": True, "speed_up": 3.0, "baseline": 1.0, "name": "bert", "values": [1]}
    exec(seed_sweep.PROBE_HELPER, namespace)
    exec(seed_sweep.probe_source(assert_cell, cell=4), namespace)
    records = namespace["_spread_records"]
    assert [r["passed"] for r in records] == [False, True, True]  # the else branch is not probed when FAST
    assert records[0] == {
        "cell": 4,
        "assert": "assert accuracy >= 0.80, accuracy",
        "operands": {"accuracy": 0.79},
        "passed": False,
    }
    assert records[1]["operands"] == {"speed_up": 3.0, "baseline": 1.0}
    assert records[2]["operands"] == {}  # a string is not a measurement


def test_probe_survives_a_cell_that_failed_before_its_assert():
    namespace = {}
    exec(seed_sweep.PROBE_HELPER, namespace)
    exec(seed_sweep.probe_source("assert missing > 1", cell=0), namespace)
    record = namespace["_spread_records"][0]
    assert record["passed"] is None and "NameError" in record["error"]


def test_cells_that_are_not_python_have_no_probe():
    assert seed_sweep.probe_source("def broken(:\n    assert x", cell=0) is None
    assert seed_sweep.probe_source("print('no asserts')", cell=0) is None


def test_report_cell_prints_the_records_scalars_and_peak_memory(capsys):
    namespace = {"accuracy": 0.85, "name": "bert", "flag": True}
    exec(seed_sweep.PROBE_HELPER, namespace)
    exec(seed_sweep.REPORT_CELL, namespace)
    line = capsys.readouterr().out.strip()
    assert line.startswith("SPREAD-JSON ")
    report = json.loads(line[len("SPREAD-JSON ") :])
    assert report["scalars"] == {"accuracy": 0.85}  # numbers only: not strings, not booleans
    assert report["asserts"] == [] and (report["peak_rss_mb"] is None or report["peak_rss_mb"] > 0)
    assert isinstance(report["checks"], dict)  # the named checks this kernel made (none here)
