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
