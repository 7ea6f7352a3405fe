"""Exercise 4's hidden checks, appended to companion/exercise_checks/07_sentiment/q4.py for grading."""

from otter.test_files import test_case


@test_case(name="q4 (hidden): five equal bins of the validation predictions", points=1, hidden=True)
def hidden_five_equal_bins(reliability, logits, labels):
    import numpy as np
    import pandas as pd
    import torch

    positive = torch.tensor(logits).softmax(-1)[:, 1].numpy()
    confidence = np.abs(positive - 0.5) + 0.5
    right = (positive > 0.5) == (labels == 1)
    bins = pd.qcut(confidence, 5, labels=False, duplicates="drop")
    expected = pd.DataFrame({"mean confidence": confidence, "accuracy": right}).groupby(bins).mean()
    for column in ("mean confidence", "accuracy"):
        theirs, ours = reliability[column].to_numpy(dtype=float), expected[column].to_numpy(dtype=float)
        assert theirs.shape == ours.shape and np.allclose(theirs, ours, rtol=0, atol=1e-6), (
            f"reliability[{column!r}] = {np.round(theirs, 4).tolist()}; five bins of equal size by the "
            f"probability of the predicted class give {np.round(ours, 4).tolist()}"
        )
