"""Exercise 1's hidden checks, appended to companion/exercise_checks/09_question_answering/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): each question's windows, cut afresh", points=1, hidden=True)
def hidden_each_question_cut_afresh(windows_per_question, validation, tokenizer, MAX_LENGTH, STRIDE):  # noqa: N803
    import collections

    import pandas as pd

    from companion import qa

    fresh = qa.prepare_eval_features(validation[:], tokenizer, max_length=MAX_LENGTH, stride=STRIDE)
    expected = collections.Counter(fresh["example_id"])
    counts = pd.Series(windows_per_question, dtype=object)
    assert set(counts.index) == set(validation["id"]), (
        "windows_per_question should be indexed by the validation questions' ids"
    )
    wrong = [key for key in validation["id"] if counts[key] != expected[key]]
    assert not wrong, (
        f"questions with a wrong count: {len(wrong)}; question {wrong[0]}: {counts[wrong[0]]} windows, "
        f"but its context cut into windows of {MAX_LENGTH} tokens overlapping by {STRIDE} gives {expected[wrong[0]]}"
    )
