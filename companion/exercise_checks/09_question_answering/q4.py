"""Exercise 4's public checks (otter-grader): mean F1 by the question's first word, model and baseline."""

import pandas as pd
from otter.test_files import test_case

OK_FORMAT = False
name = "q4"

COLUMNS = ("questions", "fine-tuned F1", "baseline F1")


def _table(by_group):
    assert isinstance(by_group, pd.DataFrame) and set(COLUMNS) <= set(by_group.columns), (
        f"by_group should be a DataFrame with one row per group and the columns {', '.join(map(repr, COLUMNS))}, "
        f"not {by_group!r}"
    )
    for column in COLUMNS:
        assert pd.api.types.is_numeric_dtype(by_group[column]) and by_group[column].notna().all(), (
            f'by_group["{column}"] should hold a number for every group'
        )


@test_case(name="q4: every question in one of a few groups", points=1)
def a_few_groups(by_group, validation):
    _table(by_group)
    total = by_group["questions"].sum()
    assert total == len(validation), (
        f"the groups hold {total} questions of the {len(validation)} validation questions: each question "
        "belongs to exactly one group (pool the rarer first words into one group, don't drop them)"
    )
    assert 2 <= len(by_group) <= 12, (
        f"{len(by_group)} groups: keep the commonest first words as groups and pool the rarer ones "
        "into one, so that every group holds enough questions to compare"
    )


@test_case(name="q4: the groups give back the overall scores", points=1)
def the_groups_give_back_the_scores(by_group, scores, baseline_scores):
    _table(by_group)
    for column, overall in (("fine-tuned F1", scores["f1"]), ("baseline F1", baseline_scores["f1"])):
        weighted = (by_group["questions"] * by_group[column]).sum() / by_group["questions"].sum()
        assert by_group[column].between(0, 100).all() and abs(100 * weighted - overall) > 1e-6, (
            f'by_group["{column}"]: the chapter gives F1 in per cent, between 0 and 100 (multiply by 100)'
        )
        assert abs(weighted - overall) < 1e-6, (
            f'by_group["{column}"] weighted by the groups\' sizes gives {weighted:.2f}, but the overall F1 is '
            f"{overall:.2f}: score each question by its best F1 over all its references, as qa.squad_scores does"
        )
