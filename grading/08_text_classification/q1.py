"""Exercise 1's hidden checks, appended to companion/exercise_checks/08_text_classification/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): the report matches scikit-learn's on the test labels", points=1, hidden=True)
def hidden_the_report_matches_sklearn(world_report, labels, names):
    import numpy as np
    from sklearn.metrics import precision_recall_fscore_support

    world = names.index("World")
    truth = np.asarray(labels)
    precision, recall, f1, _ = precision_recall_fscore_support(
        truth, np.full_like(truth, world), labels=list(range(len(names))), zero_division=0
    )
    theirs = world_report.loc[names, "f1-score"].to_numpy(dtype=float)
    assert np.allclose(theirs, f1, atol=1e-9), (
        f"world_report's F1 per topic is {np.round(theirs, 4).tolist()}; scikit-learn gives {np.round(f1, 4).tolist()} "
        f"(World: precision {precision[world]:.4f}, recall {recall[world]:.4f}, F1 their harmonic mean)"
    )
    if "macro avg" in world_report.index:
        macro = world_report.loc["macro avg", "f1-score"]
        assert abs(macro - f1.mean()) < 1e-9, f"world_report's macro-averaged F1 is {macro:.4f}, not {f1.mean():.4f}"
