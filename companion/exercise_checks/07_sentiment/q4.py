"""Exercise 4's public checks (otter-grader): accuracy against confidence, in five bins of equal size."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
COLUMNS = ("mean confidence", "accuracy")


def _table(reliability):
    import pandas as pd

    assert isinstance(reliability, pd.DataFrame) and set(COLUMNS) <= set(reliability.columns), (
        f'reliability should be a DataFrame with the columns "mean confidence" and "accuracy", not {reliability!r}'
    )


@test_case(name="q4: five bins, each a confidence and an accuracy", points=1)
def five_bins(reliability):
    _table(reliability)
    assert len(reliability) == 5, (
        f"reliability has {len(reliability)} rows: one per bin, five bins of equal size (pd.qcut(confidence, 5))"
    )
    confidence, accuracy = reliability["mean confidence"], reliability["accuracy"]
    assert confidence.between(0.5, 1).all(), (
        f"mean confidence {confidence.round(3).tolist()}: take the probability of the predicted class, "
        "0.5 + |P(positive) − 0.5|, which lies between 0.5 and 1 and compares with an accuracy"
    )
    assert accuracy.between(0, 1).all(), (
        f"accuracy {accuracy.round(3).tolist()}: a bin's accuracy is the share of its sentences predicted right"
    )


@test_case(name="q4: from the least confident bin to the most", points=1)
def least_confident_first(reliability):
    _table(reliability)
    confidence = reliability["mean confidence"]
    assert confidence.is_monotonic_increasing and confidence.is_unique, (
        f"mean confidence {confidence.round(3).tolist()}: order the bins from the least confident to the most "
        "(group by the bin's number, pd.qcut(..., labels=False))"
    )
