"""Exercise 2's hidden checks, appended to companion/exercise_checks/09_question_answering/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): the two variants, post-processed afresh", points=2, hidden=True)
def hidden_the_variants_afresh(rows, validation, validation_features, start_logits, end_logits, references):
    from companion import qa

    for variant, (n_best, longest) in {"max_answer_length=5": (20, 5), "n_best=1": (1, 30)}.items():
        answers = qa.postprocess(
            validation, validation_features, start_logits, end_logits, n_best=n_best, max_answer_length=longest
        )
        expected = qa.squad_scores(answers, references)
        for metric in ("exact_match", "f1"):
            assert abs(rows[variant][metric] - expected[metric]) < 1e-9, (
                f"rows[{variant!r}][{metric!r}] = {rows[variant][metric]:.2f}; post-processing with "
                f"n_best={n_best}, max_answer_length={longest} gives {expected[metric]:.2f}"
            )
