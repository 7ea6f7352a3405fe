import pytest

from companion import checks


def test_a_floor_records_the_value_and_fails_below_it_in_the_fast_profile(monkeypatch):
    monkeypatch.delenv("BERTBOOK_PROFILE", raising=False)
    monkeypatch.delenv("BERTBOOK_REHEARSAL", raising=False)
    assert checks.at_least("test accuracy", 0.9, 0.8) == 0.9
    assert checks.measured()["test accuracy"] == 0.9
    with pytest.raises(AssertionError, match="test accuracy = 0.7, below its floor 0.8"):
        checks.at_least("test accuracy", 0.7, 0.8)
    assert checks.measured()["test accuracy"] == 0.7  # recorded before it is judged: the sweep sees failing runs
    with pytest.raises(AssertionError, match="above its ceiling 0.02"):
        checks.at_most("share cut", 0.05, 0.02)
    with pytest.raises(AssertionError):
        checks.at_least("nan score", float("nan"), 0.0)


def test_the_full_profile_records_and_does_not_judge(monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "full")
    assert checks.at_least("validation F1", 12.0, 45) == 12.0
    assert checks.measured()["validation F1"] == 12.0


def test_a_check_needs_a_name_and_a_number():
    import numpy as np
    import torch

    assert checks.at_least("numpy scalar", np.float32(0.5), 0.1) == 0.5
    assert checks.at_least("tensor", torch.tensor(3), 1) == 3.0
    with pytest.raises(ValueError, match="needs a name"):
        checks.at_least("", 0.5, 0.1)
    with pytest.raises(TypeError, match="measures a number"):
        checks.at_least("a table", "0.5", 0.1)
    with pytest.raises(TypeError, match="measures a number"):
        checks.at_least("a verdict", True, 0)
