"""Exercise 2's hidden checks, appended to companion/exercise_checks/12_sentence_pairs/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): the chapter's McNemar test", points=1, hidden=True)
def hidden_the_chapters_test(only_bert, only_overlap, pvalue, gold, predictions):
    from companion import significance

    reference = significance.mcnemar(
        gold, predictions["fine-tuned BERT (pairs)"], predictions["word overlap + logistic regression"]
    )
    assert (only_bert, only_overlap) == (reference.only_first, reference.only_second), (
        f"(only_bert, only_overlap) = {(only_bert, only_overlap)}; significance.mcnemar counts "
        f"{(reference.only_first, reference.only_second)}"
    )
    assert abs(pvalue - reference.pvalue) < 1e-9, (
        f"pvalue = {pvalue:.4g}; significance.mcnemar gives {reference.pvalue:.4g}: a two-sided exact binomial test "
        "of only_bert among the only_bert + only_overlap disagreements, at p = 1/2"
    )
