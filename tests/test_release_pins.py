import importlib.util
import shutil
from pathlib import Path

import pytest

import companion
from companion import checkpoints

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("release_pins", ROOT / "scripts" / "release_pins.py")
release_pins = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(release_pins)

VERSION = release_pins.package_version((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_pin_names_the_package_version():
    assert release_pins.problems() == []
    assert companion.__version__ == VERSION
    assert f"/v{VERSION}/checkpoints/" in checkpoints.raw_url("tiny-bert-gutenberg", "run.json")


def test_the_readme_how_to_and_colab_cells_hold_a_pin():
    for name in ("README.md", "book/how_to_use.md", "book/07_sentiment.ipynb"):
        assert 0 < len(release_pins.pins((ROOT / name).read_text(encoding="utf-8"))), name


def test_a_pin_of_another_version_is_reported_with_its_line():
    doctored = f'Install it:\n\n    pip install "...@v{VERSION}"\n\nor the tag `v0.3.0`, as in SQuAD v1.1.\n'
    assert release_pins.pins(doctored) == [(3, VERSION), (5, "0.3.0")]
    [problem] = release_pins.mismatches(doctored, VERSION, where="README.md")
    assert problem.startswith("README.md:5: pins v0.3.0") and f"expected v{VERSION}" in problem


def test_a_text_that_must_pin_but_does_not_is_reported():
    assert release_pins.mismatches("no tag here", "1.0.0", where="how_to_use.md") == [
        "how_to_use.md: pins no release (expected v1.0.0)"
    ]
    assert release_pins.mismatches("no tag here", "1.0.0", where="a.ipynb", required=False) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ('git+https://github.com/bert-book/bert-book@v0.4.0"', ["0.4.0"]),
        ("raw.githubusercontent.com/bert-book/bert-book/v1.2.13/checkpoints", ["1.2.13"]),
        ("the tag `v0.5.0rc1`.", ["0.5.0rc1"]),
        ("SQuAD v1.1, transformers v5, dev0.4.0, v1.2.3.4", []),
    ],
)
def test_what_counts_as_a_pin(text, expected):
    assert [version for _, version in release_pins.pins(text)] == expected


def test_a_doctored_copy_of_the_repository_fails_the_check(tmp_path):
    for name in (
        "pyproject.toml",
        "README.md",
        "companion/__init__.py",
        "companion/checkpoints.py",
        "book/how_to_use.md",
        "book/07_sentiment.ipynb",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    assert release_pins.problems(tmp_path) == []
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(f'version = "{VERSION}"', 'version = "9.9.9"'), encoding="utf-8"
    )
    found = release_pins.problems(tmp_path)
    assert any(line.startswith("companion/__init__.py") for line in found)
    assert any(line.startswith("README.md:") for line in found)
    assert any(line.startswith("book/how_to_use.md:") for line in found)
    assert any(line.startswith("book/07_sentiment.ipynb:") and "expected v9.9.9" in line for line in found)


def test_a_pyproject_without_a_version_says_so():
    with pytest.raises(ValueError, match=r"no version"):
        release_pins.package_version('[project]\nname = "x"\n\n[tool.x]\nversion = "1.0.0"\n')
    assert release_pins.package_version('[build-system]\nrequires = []\n\n[project]\nversion = "2.0.1"\n') == "2.0.1"


def test_in_a_notebook_only_the_install_address_pins_the_release():
    cell = '%pip install -q "bertbook-companion[book] @ git+https://github.com/bert-book/bert-book@v0.3.0"\n'
    other_software = 'warnings.filterwarnings("ignore", "Version v4.12.0 introduces a better way")\n'
    found = release_pins.mismatches(cell + other_software, "0.4.0", where="nb", pattern=release_pins.INSTALL_PIN)
    assert found == ["nb:1: pins v0.3.0, but pyproject.toml's version is 0.4.0 (expected v0.4.0)"]
