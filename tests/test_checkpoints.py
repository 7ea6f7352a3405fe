import importlib.util
import json
import re
import urllib.error
from pathlib import Path

import pytest

import companion
from companion import checkpoints

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_manifest_matches_the_checkpoint_folders():
    written = json.loads(checkpoints.MANIFEST.read_text(encoding="utf-8"))
    assert written == _script("checkpoint_manifest").build(), (
        "companion/checkpoints.json is stale: run python scripts/checkpoint_manifest.py --write"
    )
    assert {"bert2bert-multi30k", "tiny-bert-gutenberg"} <= set(checkpoints.names())


def test_shipped_checkpoints_stay_under_20_mb():
    total = sum(record["bytes"] for name in checkpoints.names() for record in checkpoints.files(name).values())
    assert total <= 20_000_000, f"checkpoints/ holds {total / 1e6:.1f} MB; the budget is 20 MB"


def test_the_package_ships_the_manifest():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'\[tool\.setuptools\.package-data\]\s*companion = \[[^\]]*"checkpoints\.json"', pyproject)


def test_downloads_come_from_the_pinned_tag_of_the_book_repository():
    url = checkpoints.raw_url("mt-ablation/bert-encoder", "run.json")
    assert url == (
        "https://raw.githubusercontent.com/bert-book/bert-book/"
        f"v{companion.__version__}/checkpoints/mt-ablation/bert-encoder/run.json"
    )
    assert f"url: {checkpoints.REPOSITORY}\n" in (ROOT / "_config.yml").read_text(encoding="utf-8")
    colab = _script("colab_cell").cell_source(companion.__version__)
    assert f"git+{checkpoints.REPOSITORY}@v{companion.__version__}" in colab  # same repository, same tag


def test_a_clone_uses_its_own_folder_without_downloading(monkeypatch):
    monkeypatch.setattr(checkpoints.urllib.request, "urlopen", _no_network)
    assert checkpoints.checkpoint("tiny-bert-gutenberg") == ROOT / "checkpoints" / "tiny-bert-gutenberg"


def test_unknown_checkpoint_names_the_known_ones():
    with pytest.raises(checkpoints.CheckpointError, match="known: .*bert2bert-multi30k"):
        checkpoints.checkpoint("bert-large")


@pytest.fixture()
def without_clone(tmp_path, monkeypatch):
    """No checkpoints/ folder (an installed package); a fake repository at the pinned tag; an empty cache."""
    served = tmp_path / "repository"
    (served / "demo").mkdir(parents=True)
    (served / "demo" / "config.json").write_text('{"hidden_size": 8}', encoding="utf-8")
    (served / "demo" / "weights.bin").write_bytes(bytes(range(256)) * 10)
    manifest = tmp_path / "checkpoints.json"
    manifest.write_text(json.dumps({"demo": checkpoints.folder_manifest(served / "demo")}), encoding="utf-8")
    monkeypatch.setattr(checkpoints, "MANIFEST", manifest)
    monkeypatch.setattr(checkpoints, "REPOSITORY_CHECKPOINTS", tmp_path / "no-clone")
    monkeypatch.setattr(checkpoints, "raw_url", lambda name, filename: (served / name / filename).as_uri())
    monkeypatch.setenv(checkpoints.CACHE_ENV, str(tmp_path / "cache"))
    return served / "demo"


def _no_network(url, timeout=None):
    raise urllib.error.URLError("network is unreachable")


def test_without_a_clone_each_file_is_downloaded_verified_and_cached(without_clone, monkeypatch):
    folder = checkpoints.checkpoint("demo")
    assert folder == checkpoints.cache_dir() / "demo" and f"v{companion.__version__}" in str(folder)
    assert (folder / "weights.bin").read_bytes() == (without_clone / "weights.bin").read_bytes()
    assert sorted(path.name for path in folder.iterdir()) == ["config.json", "weights.bin"]  # no .part left
    monkeypatch.setattr(checkpoints.urllib.request, "urlopen", _no_network)
    assert checkpoints.checkpoint("demo") == folder  # cached: no second download


def test_a_file_that_does_not_match_its_checksum_is_refused(without_clone):
    (without_clone / "weights.bin").write_bytes(b"tampered")
    with pytest.raises(checkpoints.CheckpointError, match="expects .* Install the package from the same tag"):
        checkpoints.checkpoint("demo")
    assert not (checkpoints.cache_dir() / "demo" / "weights.bin").exists()


def test_a_corrupted_cached_file_is_downloaded_again(without_clone):
    folder = checkpoints.checkpoint("demo")
    (folder / "weights.bin").write_bytes(b"truncated")
    checkpoints.checkpoint("demo")
    assert (folder / "weights.bin").read_bytes() == (without_clone / "weights.bin").read_bytes()


def test_offline_without_a_clone_says_both_ways_out(without_clone, monkeypatch):
    monkeypatch.setattr(checkpoints.urllib.request, "urlopen", _no_network)
    with pytest.raises(checkpoints.CheckpointError, match="Go online .* or clone https://github.com/bert-book"):
        checkpoints.checkpoint("demo")
    with pytest.raises(checkpoints.CheckpointError, match="download=False"):
        checkpoints.checkpoint("demo", download=False)


def test_a_clone_missing_a_file_says_how_to_restore_it(tmp_path, monkeypatch):
    (tmp_path / "tiny-bert-gutenberg").mkdir()
    monkeypatch.setattr(checkpoints, "REPOSITORY_CHECKPOINTS", tmp_path)
    with pytest.raises(checkpoints.CheckpointError, match="git checkout"):
        checkpoints.checkpoint("tiny-bert-gutenberg")
