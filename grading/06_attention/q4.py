"""Exercise 4's hidden checks, appended to companion/exercise_checks/06_attention/q4.py for grading."""

from otter.test_files import test_case


@test_case(name="q4 (hidden): the share matches a reference", points=1, hidden=True)
def hidden_matches_a_reference(previous_hit_rate, maps):
    import numpy as np

    # the top previous-token head, found afresh: the largest mean weight from ordinary token i on ordinary i - 1
    on_previous = 0
    for tokens, weights in maps:
        queries = list(range(2, len(tokens) - 1))
        on_previous = on_previous + weights[:, :, queries, [query - 1 for query in queries]].double().sum(-1)
    layer, head = (int(index) for index in np.unravel_index(int(on_previous.argmax()), on_previous.shape))
    hits = total = 0
    for tokens, weights in maps:
        for query in range(2, len(tokens) - 1):  # ordinary tokens whose previous token is ordinary too
            hits += int(weights[layer, head, query].argmax()) == query - 1
            total += 1
    expected = hits / total
    assert abs(previous_hit_rate - expected) < 1e-9, (
        f"previous_hit_rate = {previous_hit_rate:.4f}; for the top previous-token head (layer {layer + 1}, head "
        f"{head + 1}) and the {total:,} ordinary tokens whose previous token is ordinary too, a reference gives "
        f"{expected:.4f}"
    )
