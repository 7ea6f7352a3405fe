import json
from pathlib import Path

import pytest

from companion import spread

BOOK = Path(__file__).resolve().parents[1] / "book"
CHECKED = sorted(BOOK.glob("*.ipynb"))  # every page's checks are judged, chapters and back matter alike


def test_asserts_finds_top_level_and_if_branches_not_loops(assert_cell):
    found = spread.asserts(assert_cell)
    assert [f["source"] for f in found] == [
        "assert accuracy >= 0.80, accuracy",
        "assert speed_up > 2 * baseline - 0.1",
        "assert speed_up > 1",
        'assert name == "bert"',
    ]
    assert found[0]["operands"] == ["accuracy"]
    assert found[1]["operands"] == ["speed_up", "baseline"]  # constants and arithmetic around them dropped
    assert [f["guards"] for f in found] == [[], ["FAST"], ["not (FAST)"], []]


def _run(notebook: str, accuracy: float, seed: int, precision: str = "fp32") -> dict:
    return {
        "notebook": notebook,
        "seed": seed,
        "precision": precision,
        "scalars": {},
        "asserts": [
            {
                "cell": 0,
                "assert": "assert accuracy >= 0.8",
                "passed": accuracy >= 0.8,
                "operands": {"accuracy": accuracy},
            }
        ],
    }


def test_summary_gives_spread_per_quantity():
    runs = [_run("a.ipynb", value, seed) for seed, value in enumerate([0.84, 0.86, 0.85])]
    row = spread.summary(runs).loc[("a.ipynb", "accuracy")]
    assert row["runs"] == 3 and row["min"] == 0.84 and row["max"] == 0.86
    assert row["mean"] == pytest.approx(0.85) and row["sd"] == pytest.approx(0.01)
    assert row["seeds"] == "0,1,2" and row["precisions"] == "fp32"


def test_summary_counts_a_value_repeated_by_the_same_seed_once():
    runs = [
        _run("a.ipynb", 0.84, 0),
        _run("a.ipynb", 0.84, 0, "bf16"),  # float32 twice: one measurement
        _run("a.ipynb", 0.86, 1),
        _run("a.ipynb", 0.85, 1, "bf16"),
    ]  # two different values: two
    row = spread.summary(runs).loc[("a.ipynb", "accuracy")]
    assert row["runs"] == 3 and row["mean"] == pytest.approx(0.85)


@pytest.mark.parametrize("floor, failed", [("0.83", 0), ("0.845", 1), ("0.9", 3)])
def test_check_asserts_judges_the_current_floor_against_every_run(tmp_path, floor, failed):
    notebook = tmp_path / "a.ipynb"
    notebook.write_text(
        json.dumps({"cells": [{"cell_type": "code", "source": [f"assert accuracy - 0.0 >= {floor}\n"]}]}),
        encoding="utf-8",
    )
    runs = [_run("a.ipynb", value, seed) for seed, value in enumerate([0.84, 0.86, 0.85])]
    table = spread.check_asserts(notebook, runs)
    assert table["runs"].tolist() == [3] and table["failed"].tolist() == [failed]


def test_check_asserts_judges_each_side_of_an_and_by_its_recorded_text(tmp_path):
    notebook = tmp_path / "a.ipynb"
    notebook.write_text(
        json.dumps(
            {"cells": [{"cell_type": "code", "source": ['assert bert["accuracy"] >= 0.69 and bert["F1"] >= 0.80\n']}]}
        ),
        encoding="utf-8",
    )
    runs = [
        {
            "notebook": "a.ipynb",
            "seed": 0,
            "precision": "fp32",
            "scalars": {},
            "asserts": [
                {
                    "cell": 0,
                    "assert": "an older text of the assert",
                    "passed": True,
                    "operands": {'bert["accuracy"]': accuracy, 'bert["F1"]': 0.81},
                }
            ],
        }
        for accuracy in (0.70, 0.68)
    ]
    table = spread.check_asserts(notebook, runs)
    assert table["runs"].tolist() == [2] and table["failed"].tolist() == [1]


def test_load_runs_says_how_to_record_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="seed_sweep.py run"):
        spread.load_runs(tmp_path / "none.jsonl")


def test_every_floor_in_the_book_holds_in_every_recorded_run():
    runs = spread.load_runs()
    recorded = sorted({run["notebook"] for run in runs})
    assert recorded, "the sweep recorded no runs"
    failures = []
    for name in recorded:
        table = spread.check_asserts(BOOK / name, runs)
        failures += [
            f"{name}: {row.assert_} fails in {row.failed} of {row.runs} runs"
            for row in table.rename(columns={"assert": "assert_"}).itertuples()
            if row.failed
        ]
    assert not failures, "\n".join(failures)


def _named_checks():
    for notebook in CHECKED:
        yield notebook, spread.check_named(notebook, spread.load_runs())


def test_every_named_floor_holds_in_every_recorded_run_of_its_name():
    unjudged, failing = [], []
    for notebook, table in _named_checks():
        unjudged += [f"{notebook.name}: {row.name!r}" for row in table.itertuples() if row.runs < 3]
        failing += [
            f"{notebook.name}: {row.name!r} {row.kind} {row.bound} fails in {row.failed} of {row.runs} runs"
            for row in table.itertuples()
            if row.failed
        ]
    assert not unjudged, (
        "named checks with fewer than 3 recorded runs (record them: scripts/seed_sweep.py run "
        "--notebooks NN ...):\n" + "\n".join(unjudged)
    )
    assert not failing, "\n".join(failing)


def test_every_named_floor_is_at_least_four_sd_from_the_mean_of_distinct_runs():
    # the rule the spread appendix states: a floor sits at or below mean - 4 sd of its quantity (a ceiling above
    # mean + 4 sd), over the distinct recorded runs; a floor set from one lucky run fails here
    broken = []
    for notebook, table in _named_checks():
        for row in table.itertuples():
            sd = 0.0 if row.sd != row.sd else row.sd  # one distinct value: no spread measured
            if row.kind == ">=" and row.bound > row.mean - 4 * sd + 1e-9:
                broken.append(f"{notebook.name}: {row.name!r} >= {row.bound}, mean - 4 sd = {row.mean - 4 * sd:.4f}")
            if row.kind == "<=" and row.bound < row.mean + 4 * sd - 1e-9:
                broken.append(f"{notebook.name}: {row.name!r} <= {row.bound}, mean + 4 sd = {row.mean + 4 * sd:.4f}")
    assert not broken, "\n".join(broken)


def test_check_names_are_unique_per_kind_in_a_chapter():
    for notebook in CHECKED:
        table = spread.named_checks(notebook)
        assert not table.duplicated(["name", "kind"]).any(), table[table.duplicated(["name", "kind"], keep=False)]


def test_no_fast_profile_floor_is_left_as_a_bare_assert():
    # a floor is `checks.at_least(name, value, floor)`: judged by its name, whatever the assert's text becomes
    import ast

    bare = []
    for notebook in CHECKED:
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for found in spread.asserts("".join(cell["source"])):
                if not any("FAST" in guard and "not (FAST)" not in guard for guard in found["guards"]):
                    continue
                tests = ast.parse(found["source"]).body[0].test
                parts = tests.values if isinstance(tests, ast.BoolOp) else [tests]
                if any(
                    isinstance(part, ast.Compare)
                    and len(part.ops) == 1
                    and isinstance(part.ops[0], (ast.Gt, ast.GtE, ast.Lt, ast.LtE))
                    and isinstance(part.comparators[0], ast.Constant)
                    for part in parts
                ):
                    bare.append(f"{notebook.name}: {found['source']}")
    assert not bare, "floors to write as checks.at_least / at_most:\n" + "\n".join(bare)


def test_named_checks_are_found_with_their_bounds(tmp_path):
    notebook = tmp_path / "a.ipynb"
    source = [
        "if FAST:\n",
        '    checks.at_least("validation accuracy", scores["accuracy"], 0.8)\n',
        'checks.at_most("share cut", share, 0.02)  # a ceiling\n',
    ]
    notebook.write_text(
        json.dumps({"cells": [{"cell_type": "code", "source": source, "metadata": {}}]}), encoding="utf-8"
    )
    table = spread.named_checks(notebook)
    assert table[["name", "kind", "bound"]].values.tolist() == [
        ["validation accuracy", ">=", 0.8],
        ["share cut", "<=", 0.02],
    ]
    runs = [
        {
            "notebook": "a.ipynb",
            "seed": seed,
            "precision": "fp32",
            "asserts": [],
            "checks": {"validation accuracy": value, "share cut": 0.01},
        }
        for seed, value in enumerate([0.79, 0.85, 0.9])
    ]
    judged = spread.check_named(notebook, runs)
    assert judged["runs"].tolist() == [3, 3] and judged["failed"].tolist() == [1, 0]
    assert judged.loc[0, "min"] == 0.79


def test_check_asserts_uses_each_runs_verdict_where_operands_are_not_numbers(tmp_path):
    notebook = tmp_path / "a.ipynb"
    notebook.write_text(
        json.dumps({"cells": [{"cell_type": "code", "source": ['assert best.idxmax() == "x"\n']}]}), encoding="utf-8"
    )
    verdict = {"cell": 0, "assert": 'assert best.idxmax() == "x"', "operands": {}}
    runs = [
        {
            "notebook": "a.ipynb",
            "seed": seed,
            "precision": "fp32",
            "scalars": {},
            "asserts": [{**verdict, "passed": passed}],
        }
        for seed, passed in enumerate([True, False, True])
    ]
    table = spread.check_asserts(notebook, runs)
    assert table["runs"].tolist() == [3] and table["failed"].tolist() == [1]


def test_check_asserts_reads_the_fast_profiles_floor(tmp_path):
    notebook = tmp_path / "a.ipynb"
    notebook.write_text(
        json.dumps({"cells": [{"cell_type": "code", "source": ["assert accuracy >= (0.85 if FAST else 0.95)\n"]}]}),
        encoding="utf-8",
    )
    runs = [_run("a.ipynb", value, seed) for seed, value in enumerate([0.84, 0.86, 0.90])]
    table = spread.check_asserts(notebook, runs)
    assert table["runs"].tolist() == [3] and table["failed"].tolist() == [1]


def test_recorded_and_per_run_read_a_named_quantity():
    runs = [
        {
            "notebook": "a.ipynb",
            "seed": seed,
            "precision": "fp32",
            "asserts": [],
            "checks": {"accuracy": value, "loss": 1 - value},
        }
        for seed, value in enumerate([0.8, 0.9])
    ]
    row = spread.recorded("a.ipynb", "accuracy", runs)
    assert row["runs"] == 2 and row["min"] == 0.8 and row["max"] == 0.9
    table = spread.per_run("a.ipynb", ["loss", "accuracy"], runs)
    assert table.columns.tolist() == ["loss", "accuracy"] and table["accuracy"].tolist() == [0.8, 0.9]
    with pytest.raises(KeyError, match="recorded: \\['accuracy', 'loss'\\]"):
        spread.recorded("a.ipynb", "F1", runs)
