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
        "assert": "accuracy >= 0.8",  # spread.key of the test: what check_asserts looks it up by
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


def test_normalise_renames_an_older_runs_asserts_and_operands_by_key(tmp_path):
    notebook = tmp_path / "a.ipynb"
    cell = 'assert (scores["f1"] >= 0.30 and\n        scores["em"] >= 0.2)\n'
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "source": [cell]}]}), encoding="utf-8")
    older = {
        "notebook": "a.ipynb",
        "seed": 0,
        "asserts": [
            {
                "cell": 3,
                "assert": "assert fine_tuned['f1'] >= (0.25 if FAST else 0.40), fine_tuned",
                "operands": {"fine_tuned['f1']": 0.36, "0.25 if FAST else 0.40": 0.25},
                "passed": True,
            },
            {"cell": 4, "assert": 'assert (scores["f1"] >= 0.30 and', "operands": {'scores["f1"]': 0.4}},
            {"cell": 5, "assert": "assert (gone and", "operands": {}},
        ],
    }
    run, left = seed_sweep.normalise_run(older, notebook)
    assert [record["assert"] for record in run["asserts"]] == [
        'fine_tuned["f1"] >= (0.25 if FAST else 0.4)',
        'scores["f1"] >= 0.3 and scores["em"] >= 0.2',  # its first line alone is not Python: found in the notebook
        "assert (gone and",
    ]
    assert run["asserts"][0]["operands"] == {'fine_tuned["f1"]': 0.36}  # the profile's literal is no measurement
    assert left == ["assert (gone and"] and run["keys"] == seed_sweep.spread.KEYS
    assert seed_sweep.normalise_run(run, notebook) == (run, [])  # a converted run stays as it is


def test_probe_keys_match_what_check_asserts_reads(assert_cell):
    from companion import spread

    probed = seed_sweep.probe_source(assert_cell, cell=0)
    for found in spread.asserts(assert_cell):
        if found["guards"] or found["operands"] == []:
            continue
        assert json.dumps(found["test"]) in probed
        assert all(json.dumps(operand) in probed for operand in found["operands"])
