import importlib.util
import json
from importlib.resources import files
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("canary", ROOT / "scripts" / "canary.py")
canary = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(canary)

REQUIREMENTS = """\
# direct dependencies
torch==2.13.0
transformers>=5.0,<6
Scikit_Learn>=1.5                  # a comment
nbval>=0.11
"""


def test_exact_pins_become_lower_bounds_and_ranges_stay():
    assert canary.unconstrained(REQUIREMENTS) == "torch>=2.13.0\ntransformers>=5.0,<6\nScikit_Learn>=1.5\nnbval>=0.11\n"


def test_a_held_package_keeps_the_requirement_it_is_held_at():
    loosened = canary.unconstrained(
        REQUIREMENTS, hold={"scikit-learn": "scikit-learn==1.5.2", "Torch": "torch==2.14.1"}
    )
    assert loosened.splitlines() == ["torch==2.14.1", "transformers>=5.0,<6", "scikit-learn==1.5.2", "nbval>=0.11"]


def test_holding_a_package_requirements_txt_lacks_says_so():
    with pytest.raises(ValueError, match="--hold names numpy, which requirements.txt does not list"):
        canary.unconstrained(REQUIREMENTS, hold={"numpy": "numpy==2.0"})


def test_the_real_requirements_install_without_a_single_exact_pin():
    loosened = canary.unconstrained((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    assert "==" not in loosened and "torch>=" in loosened


def test_constraints_are_read_by_canonical_name():
    assert canary.pins("# header\nPyYAML==6.0.4\ntyping_extensions==4.16.0\n") == {
        "pyyaml": "6.0.4",
        "typing-extensions": "4.16.0",
    }


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["....", "312 passed, 23 skipped in 301.52s (0:05:01)"], "312 passed, 23 skipped"),
        (["= 2 failed, 10 passed, 1 warning in 3.1s ="], "2 failed, 10 passed, 1 warning"),
        (["collected 0 items", "no tests ran in 0.01s"], ""),
        (["Traceback (most recent call last):"], ""),
    ],
)
def test_pytest_summary_keeps_the_counts_without_the_time(lines, expected):
    assert canary.pytest_summary(lines) == expected


def test_a_hold_must_name_a_version():
    assert canary._holds(["torch==2.13.0"]) == {"torch": "torch==2.13.0"}
    with pytest.raises(SystemExit, match="give a requirement such as"):
        canary._holds(["torch"])


def test_the_recorded_run_is_one_the_status_page_can_show():
    record = json.loads((files("companion") / "measurements" / "last_verified.json").read_text(encoding="utf-8"))
    assert record["result"] in {"passed", "failed"} and len(record["date"]) == len("2026-12-03")
    assert {"torch", "transformers", "datasets"} <= set(record["packages"])
    assert all(versions["verified"] for versions in record["packages"].values())
    assert (record["result"] == "passed") == all(step["result"] == "passed" for step in record["steps"])


def test_the_markdown_summary_lists_each_step_and_each_moved_package():
    result = {
        "result": "failed",
        "date": "2026-12-03",
        "python": "3.11.7",
        "platform": "Linux x86_64",
        "data": "public sources",
        "steps": [
            {"step": "unit tests", "result": "passed", "summary": "300 passed"},
            {"step": "chapters 03_architecture", "result": "failed", "summary": "1 failed, 20 passed"},
        ],
        "held": {"torch": {"requirement": "torch==2.14.1", "reason": "no CPU build of 2.15.0 here"}},
        "packages": {
            "torch": {"pinned": "2.13.0", "verified": "2.14.1"},
            "numpy": {"pinned": "2.4.6", "verified": "2.4.6"},
        },
    }
    text = canary.markdown(result)
    assert text.startswith("**Drift canary failed** on 2026-12-03")
    assert "| chapters 03_architecture | failed | 1 failed, 20 passed |" in text
    assert "| torch | 2.13.0 | 2.14.1 |" in text and "| numpy |" not in text
    assert "torch held at `torch==2.14.1`: no CPU build of 2.15.0 here" in text
