"""Exercise 3's public checks (otter-grader): the first word's output with and without a causal mask."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"

TEXTS = ("a cat sat on the mat", "a cat sat on the rug")  # one token each, so only the last word differs


def _change(first_token_output, config, *, causal):
    """Return how far the first word's output moves when the last word changes, after checking the outputs."""
    import torch

    assert callable(first_token_output), f"first_token_output should be a function, not {first_token_output!r}"
    outputs = [first_token_output(text, causal=causal) for text in TEXTS]
    for output in outputs:
        assert isinstance(output, torch.Tensor), (
            f"first_token_output(text, causal={causal}) returned {output!r}; return the output vector (a tensor)"
        )
        assert tuple(output.shape) == (config.hidden_size,), (
            f"first_token_output(text, causal={causal}) has shape {tuple(output.shape)}: return one position's "
            f"vector, of size hidden_size = {config.hidden_size} (the first sequence, the token after [CLS])"
        )
        assert torch.isfinite(output).all(), (
            f"first_token_output(text, causal={causal}) holds NaN or inf: a row whose every key is masked "
            "(the diagonal too?) has nothing to attend to; mask only the positions after each token"
        )
    return (outputs[0] - outputs[1]).abs().max().item()


@test_case(name="q3: one vector of size hidden_size", points=1)
def one_vector(first_token_output, config):
    _change(first_token_output, config, causal=False)
    _change(first_token_output, config, causal=True)


@test_case(name="q3: causal, the last word changes nothing", points=1)
def causal_ignores_the_last_word(first_token_output, config):
    change = _change(first_token_output, config, causal=True)
    assert change == 0.0, (
        f"with causal=True the first word's output moves by {change:.2e} when the last word changes: "
        "every position after a token must be masked (a large negative bias above the diagonal), in every layer"
        + (" (small: is the bias so negative that exp() of it is exactly 0?)" if change < 1e-3 else "")
    )


@test_case(name="q3: not causal, the last word changes the first word's output", points=1)
def bert_sees_the_last_word(first_token_output, config):
    change = _change(first_token_output, config, causal=False)
    assert change > 1e-2, (
        f"with causal=False the first word's output moves by only {change:.2e} when the last word changes, "
        "but in BERT every token attends to every other: is a mask applied even when causal=False?"
    )
