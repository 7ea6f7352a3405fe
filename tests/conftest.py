"""Shared fixtures: every test starts in the fast profile with the real mirror and no hub access."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_profile(monkeypatch):
    monkeypatch.delenv("BERTBOOK_PROFILE", raising=False)
    monkeypatch.delenv("BERTBOOK_FULL_MODEL", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture()
def full_profile(monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "full")


@pytest.fixture()
def needs_mirror():
    """Skip a test that reads the real dataset mirror where there is none (e.g. GitHub's runners)."""
    from companion import data

    try:
        data.mirror_dir()
    except data.MirrorError as error:  # unit tests stay offline: without the mirror there is nothing real to read
        pytest.skip(f"needs the dataset mirror: {error}")


@pytest.fixture()
def assert_cell() -> str:
    """A notebook cell with asserts at the top level, under if/else, in a loop, and a magic (spread and seed sweep)."""
    return """x = 3
%matplotlib inline
assert accuracy >= 0.80, accuracy  # measured 0.85
if FAST:
    assert speed_up > 2 * baseline - 0.1
else:
    assert speed_up > 1
for value in values:
    assert value > 0  # inside a loop: not probed
assert name == "bert"
"""
