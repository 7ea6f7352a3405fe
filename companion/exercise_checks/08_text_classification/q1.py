"""Exercise 1's public checks (otter-grader): a classifier that always predicts World, on AG News's test stories."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


@test_case(name="q1: always World, once per test story", points=1)
def always_world_predictions(always_world, labels, names):
    import numpy as np

    assert hasattr(always_world, "__len__") and not isinstance(always_world, str), (
        f"always_world should be an array of label numbers, one per test story, not {always_world!r}"
    )
    predictions = np.asarray(always_world)
    assert len(predictions) == len(labels), (
        f"always_world has {len(predictions)} predictions but the test split has {len(labels)} stories (`labels`): "
        "predict for the test stories, not another split"
    )
    assert np.issubdtype(predictions.dtype, np.integer), (
        f"always_world holds {predictions.dtype} values; predict label numbers (as in `labels`), not topic names"
    )
    world = names.index("World")
    assert (predictions == world).all(), (
        f"always_world predicts {sorted({names[i] for i in set(predictions.tolist()) if 0 <= i < len(names)})}, "
        f"not World alone: World is label names.index('World') = {world}"
    )


@test_case(name="q1: the accuracy of a constant guess", points=1)
def accuracy_of_a_constant_guess(world_accuracy, always_world, labels):
    import numpy as np

    assert isinstance(world_accuracy, Real), f"world_accuracy should be a number, not {world_accuracy!r}"
    assert 0 <= world_accuracy <= 1, f"world_accuracy = {world_accuracy:.3f}: an accuracy lies between 0 and 1"
    right = float(np.mean(np.asarray(always_world) == np.asarray(labels)))
    if abs(world_accuracy - right) > 1e-9 and abs(world_accuracy - (1 - right)) < 1e-9:
        raise AssertionError(
            f"world_accuracy = {world_accuracy:.3f} is the share of stories always_world gets wrong: the error rate"
        )
    assert abs(world_accuracy - right) < 1e-9, (
        f"world_accuracy = {world_accuracy:.3f} is not the share of test stories on which always_world equals "
        "`labels`; score always_world against the test stories' true topics"
    )


@test_case(name="q1: per-class F1 of a constant guess", points=1)
def per_class_f1(world_report, labels, names):
    import numpy as np
    import pandas as pd

    assert isinstance(world_report, pd.DataFrame), (
        "world_report should be a DataFrame, pd.DataFrame(classification_report(..., output_dict=True)).T, "
        f"not {type(world_report).__name__}"
    )
    assert set(names) <= set(world_report.index) and {"f1-score", "support"} <= set(world_report.columns), (
        f"world_report has the rows {list(world_report.index)} and the columns {list(world_report.columns)}: "
        "it needs a row per topic (target_names=names) and the columns 'f1-score' and 'support' "
        "(transpose the DataFrame of classification_report's dict)"
    )
    counts = np.bincount(np.asarray(labels), minlength=len(names))
    support = world_report.loc[names, "support"].to_numpy(dtype=float)
    assert np.allclose(support, counts), (
        f"world_report's support column is {support.tolist()}, but support counts each topic's true test "
        "stories: are y_true and y_pred swapped? classification_report(y_true, y_pred, ...)"
    )
    f1 = world_report.loc[names, "f1-score"]
    others = [topic for topic in names if topic != "World"]
    assert (f1[others] == 0).all(), (
        f"world_report gives F1 {f1[others].round(3).to_dict()} to topics the guess never predicts: "
        "with no story predicted as a topic, its recall and F1 are 0"
    )
    assert 0 < f1["World"] < 1, f"World's F1 is {f1['World']:.3f}; the guess finds every World story (recall 1)"
