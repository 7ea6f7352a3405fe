"""Exercise 2's public checks (otter-grader): the TF-IDF baseline on TREC's six coarse classes, F1 per class."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"

# TREC's coarse classes, in the order of its label numbers (data.label_names("trec", "coarse_label"))
COARSE = ["ABBR", "ENTY", "DESC", "HUM", "LOC", "NUM"]


@test_case(name="q2: a classifier of the six coarse classes", points=1)
def a_coarse_classifier(trec_model):
    assert hasattr(trec_model, "predict"), (
        f"trec_model should be a fitted classifier, baselines.tfidf_classifier(...) after .fit(...), not {trec_model!r}"
    )
    questions = {
        "Who wrote Hamlet ?": "HUM",
        "Where is the Eiffel Tower ?": "LOC",
        "How many people live in Chicago ?": "NUM",
    }
    try:
        predicted = [int(label) for label in trec_model.predict(list(questions))]
    except Exception as error:  # not fitted, or fitted on something else than texts
        raise AssertionError(
            f"trec_model.predict on three questions failed ({error!r}): fit it on the questions' texts"
        ) from None
    assert all(0 <= label < len(COARSE) for label in predicted), (
        f"trec_model predicts the labels {predicted}, outside the six coarse classes (0-5): "
        "fit it on the column coarse_label, not fine_label"
    )
    right = sum(COARSE[label] == answer for label, answer in zip(predicted, questions.values(), strict=True))
    assert right >= 2, (
        f"trec_model gets {right} of 3 plain questions right ({dict(zip(questions, [COARSE[p] for p in predicted]))}): "
        "fit it on TREC's training questions and their coarse_label"
    )


@test_case(name="q2: an F1 per coarse class, on the test questions", points=1)
def f1_per_class(trec_f1):
    import pandas as pd

    assert isinstance(trec_f1, pd.Series), f"trec_f1 should be a pandas Series, not {type(trec_f1).__name__}"
    assert sorted(map(str, trec_f1.index)) == sorted(COARSE), (
        f"trec_f1 is indexed by {list(trec_f1.index)}; index it by the six class names {COARSE} (target_names=...), "
        "one F1 each, without the 'accuracy' and average rows"
    )
    assert trec_f1.between(0, 1).all(), f"trec_f1 = {trec_f1.round(3).to_dict()}: an F1 lies between 0 and 1"
    assert not (trec_f1 > 0.99).all(), (
        f"trec_f1 = {trec_f1.round(3).to_dict()}: a perfect score on every class; "
        "were these questions the ones the model was trained on? Score the test split"
    )
