"""Exercise 1's public checks (otter-grader): how many windows each validation question produces."""

import pandas as pd
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


def _counts(windows_per_question):
    assert isinstance(windows_per_question, (pd.Series, dict)), (
        "windows_per_question should be a pandas Series (or a dict): question id -> number of windows, "
        f"not {windows_per_question!r}"
    )
    counts = pd.Series(windows_per_question, dtype=object)
    assert all(isinstance(count, int) or pd.api.types.is_integer(count) for count in counts), (
        "every count in windows_per_question should be a whole number of windows"
    )
    return counts.astype(int)


@test_case(name="q1: one count per validation question", points=1)
def one_count_per_question(windows_per_question, validation):
    counts = _counts(windows_per_question)
    assert len(counts) == len(validation), (
        f"windows_per_question has {len(counts)} entries for {len(validation)} validation questions: "
        'one count per question id, the ids that validation_features["example_id"] repeats for each window'
    )
    assert (counts >= 1).all(), "a count below 1: every question has at least one window"


@test_case(name="q1: the counts add up to the windows", points=1)
def the_counts_add_up(windows_per_question, validation_features):
    counts = _counts(windows_per_question)
    assert counts.sum() == len(validation_features), (
        f"the counts add up to {counts.sum()} windows, but validation_features holds {len(validation_features)}: "
        "count the windows the chapter made (with its stride), not windows you cut again"
    )
