"""Exercise 2's public checks (otter-grader): McNemar's test by hand, BERT against the word-overlap baseline."""

from numbers import Integral, Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"


def _counts(only_bert, only_overlap):
    for label, value in (("only_bert", only_bert), ("only_overlap", only_overlap)):
        assert isinstance(value, Integral) and not isinstance(value, bool) and value >= 0, (
            f"{label} should be a count of validation pairs (an int; wrap a numpy sum in int()), not {value!r}"
        )


@test_case(name="q2: the two counts are the disagreements", points=1)
def counts_are_disagreements(only_bert, only_overlap, predictions, gold):
    _counts(only_bert, only_overlap)
    differ = int((predictions["fine-tuned BERT (pairs)"] != predictions["word overlap + logistic regression"]).sum())
    assert only_bert + only_overlap == differ, (
        f"only_bert + only_overlap = {only_bert + only_overlap}, but the two classifiers decide differently on "
        f"{differ} pairs, and on each of them exactly one is right: count the pairs BERT gets right and the "
        "baseline wrong, and the reverse (pairs both get right say nothing about which is better)"
    )


@test_case(name="q2: the counts give the accuracy difference", points=1)
def counts_give_the_difference(only_bert, only_overlap, bert, overlap, gold):
    _counts(only_bert, only_overlap)
    difference = (bert["accuracy"] - overlap["accuracy"]) * len(gold)
    assert abs((only_bert - only_overlap) - difference) < 1e-6, (
        f"only_bert - only_overlap = {only_bert - only_overlap}, but the results table's accuracies differ by "
        f"{difference:.0f} pairs in that direction: are the two counts swapped, or is one of them not a disagreement?"
    )


@test_case(name="q2: a p-value", points=1)
def a_p_value(pvalue):
    assert isinstance(pvalue, Real) and not isinstance(pvalue, bool), (
        f"pvalue should be a number, binomtest(...).pvalue, not {pvalue!r} (the test's result object?)"
    )
    assert 0 <= pvalue <= 1, f"pvalue = {pvalue}: a p-value is a probability, between 0 and 1"
