"""The one download cache that datasets and checkpoints share: its folder, sha256 and atomic writes."""

import hashlib
from pathlib import Path

import pytest

from companion import cache, checkpoints, data, models


def test_cache_dir_follows_the_variable_and_expands_home(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "elsewhere"))
    assert cache.cache_dir() == tmp_path / "elsewhere"
    monkeypatch.setenv(cache.CACHE_ENV, "~/bertbook-cache")
    assert cache.cache_dir() == Path.home() / "bertbook-cache"
    monkeypatch.delenv(cache.CACHE_ENV)
    assert cache.cache_dir() == Path.home() / ".cache" / "bertbook"


def test_data_checkpoints_and_models_share_the_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("BERTBOOK_CACHE", str(tmp_path))
    assert data.CACHE_ENV == checkpoints.CACHE_ENV == cache.CACHE_ENV == "BERTBOOK_CACHE"
    assert data.cache_dir() == tmp_path
    assert checkpoints.cache_dir().parent.parent == tmp_path
    assert checkpoints.sha256 is cache.sha256_of
    assert models.cache is cache


def test_sha256_of_a_file_and_of_bytes(tmp_path):
    raw = bytes(range(256)) * 5000  # more than one 1 MiB block
    (tmp_path / "blob").write_bytes(raw)
    assert cache.sha256_of(tmp_path / "blob") == cache.sha256_of_bytes(raw) == hashlib.sha256(raw).hexdigest()


def test_atomic_file_moves_into_place_or_leaves_nothing(tmp_path):
    target = tmp_path / "deep" / "file.bin"
    with cache.atomic_file(target) as staging:
        staging.write_bytes(b"whole")
        assert not target.exists()
    assert target.read_bytes() == b"whole"
    with pytest.raises(ValueError), cache.atomic_file(target) as staging:
        staging.write_bytes(b"half")
        raise ValueError("interrupted")
    assert target.read_bytes() == b"whole"
    assert sorted(path.name for path in target.parent.iterdir()) == ["file.bin"]
