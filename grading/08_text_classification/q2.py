"""Exercise 2's hidden checks, appended to companion/exercise_checks/08_text_classification/q2.py for grading."""

from otter.test_files import test_case


def _test_questions():
    from companion import data

    test = data.load_split("trec", "test")
    return list(test["text"]), list(test["coarse_label"]), data.label_names("trec", "coarse_label")


@test_case(name="q2 (hidden): trec_f1 is trec_model's F1 on the test questions", points=1, hidden=True)
def hidden_f1_of_the_model_on_test(trec_model, trec_f1):
    import pandas as pd
    from sklearn.metrics import f1_score

    texts, gold, names = _test_questions()
    expected = pd.Series(
        f1_score(gold, trec_model.predict(texts), labels=list(range(len(names))), average=None, zero_division=0),
        index=names,
    )
    theirs = trec_f1.reindex(names).astype(float)
    assert (theirs - expected).abs().max() < 1e-9, (
        f"trec_f1 = {theirs.round(3).to_dict()}, but trec_model scores {expected.round(3).to_dict()} on TREC's "
        "test questions: score the test split with the model fitted on the training split"
    )


@test_case(name="q2 (hidden): as good as a fresh TF-IDF baseline", points=1, hidden=True)
def hidden_as_good_as_a_fresh_baseline(trec_model):
    from sklearn.metrics import f1_score

    from companion import baselines, data

    texts, gold, names = _test_questions()
    train = data.load_split("trec", "train")
    fresh = baselines.tfidf_classifier(min_df=1).fit(list(train["text"]), list(train["coarse_label"]))
    labels = list(range(len(names)))
    expected = f1_score(gold, fresh.predict(texts), labels=labels, average="macro", zero_division=0)
    theirs = f1_score(gold, trec_model.predict(texts), labels=labels, average="macro", zero_division=0)
    # the baseline's variants (min_df 1 or 2, words or word pairs) lie within 0.015 of each other (mirror)
    assert abs(theirs - expected) < 0.05, (
        f"trec_model's macro-averaged test F1 is {theirs:.3f}; a TF-IDF baseline fitted on the training questions' "
        f"coarse_label scores {expected:.3f}"
    )
