"""Exercise 2's public checks (otter-grader): EM and F1 of the same logits post-processed three ways."""

from collections.abc import Mapping
from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"

DEFAULT = "n_best=20, max 30 (default)"
VARIANTS = (DEFAULT, "max_answer_length=5", "n_best=1")


def _rows(rows):
    assert isinstance(rows, Mapping) and set(rows) == set(VARIANTS), (
        f"rows should be a dict with the keys {', '.join(map(repr, VARIANTS))}, not {rows!r}"
    )
    for variant in VARIANTS:
        row = rows[variant]
        assert isinstance(row, Mapping) and {"exact_match", "f1"} <= set(row), (
            f"rows[{variant!r}] should be what qa.squad_scores returns, a dict with 'exact_match' and 'f1', not {row!r}"
        )
        for metric in ("exact_match", "f1"):
            assert isinstance(row[metric], Real) and 0 <= row[metric] <= 100, (
                f"rows[{variant!r}][{metric!r}] = {row[metric]!r}: a score in per cent, between 0 and 100"
            )


@test_case(name="q2: three rows of EM and F1", points=1)
def three_rows(rows):
    _rows(rows)
    for variant in VARIANTS:
        assert rows[variant]["exact_match"] <= rows[variant]["f1"] + 1e-9, (
            f"rows[{variant!r}]: EM above F1, but an exact match also scores F1 = 1: are the two swapped?"
        )


@test_case(name="q2: the default row is the chapter's score", points=1)
def the_default_is_the_chapters(rows, scores):
    _rows(rows)
    for metric in ("exact_match", "f1"):
        assert abs(rows[DEFAULT][metric] - scores[metric]) < 1e-9, (
            f"rows[{DEFAULT!r}][{metric!r}] = {rows[DEFAULT][metric]:.2f}, but the chapter's scores say "
            f"{scores[metric]:.2f} for the same setting: post-process start_logits and end_logits (in that order) "
            "of validation_features and score the answers against `references`"
        )
