"""Named checks: each measured quantity a chapter leans on, under one name, and the floor its recorded runs allow.

A floor is set from the runs that ``scripts/seed_sweep.py`` recorded (seeds 0-4, float32 and bfloat16) and
holds in the fast profile, the only one those runs measure; in the full profile (or a rehearsal) the value is
recorded and not judged. ``tests/test_spread.py`` judges every floor in the book against every recorded run of
its name, and the appendix "How much do these numbers move?" shows each name's spread beside its floor.
"""

from __future__ import annotations

import math
import numbers

from companion import runtime

_measured: dict[str, float] = {}  # this kernel's named quantities, read by the seed sweep after a run


def at_least(name: str, value: float, floor: float) -> float:
    """Record a measured quantity under its name; in the fast profile fail unless it is at least floor."""
    return _check(name, value, floor, at_least=True)


def at_most(name: str, value: float, ceiling: float) -> float:
    """Record a measured quantity under its name; in the fast profile fail unless it is at most ceiling."""
    return _check(name, value, ceiling, at_least=False)


def measured() -> dict[str, float]:
    """Return the quantities this kernel has checked so far, by name."""
    return dict(_measured)


def _check(name: str, value: float, bound: float, *, at_least: bool) -> float:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"a check needs a name (a short phrase such as 'validation accuracy'), got {name!r}")
    value = value.item() if hasattr(value, "item") else value
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"check {name!r} measures a number, got {type(value).__name__}: {value!r}")
    value = float(value)
    _measured[name] = value
    if not runtime.is_fast() or runtime.rehearsal():  # floors are measured for the fast profile only
        return value
    holds = value >= bound if at_least else value <= bound
    if math.isnan(value) or not holds:
        side = "below its floor" if at_least else "above its ceiling"
        raise AssertionError(
            f"{name} = {value:.4g}, {side} {bound:g}. The bound sits outside every run recorded for it "
            f"(companion/measurements/seed_sweep.jsonl; the appendix 'How much do these numbers move?' shows "
            f"them): if nothing changed, this run is an outlier worth a look; if the chapter changed, re-record "
            f"its runs with scripts/seed_sweep.py."
        )
    return value
