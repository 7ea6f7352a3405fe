"""Exercise 3's public checks (otter-grader): the gap between the 'bank' vectors within and across senses, by layer."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"


def _numbers(gaps, model):
    layers = model.config.num_hidden_layers
    assert isinstance(gaps, list | tuple) and all(isinstance(gap, Real) for gap in gaps), (
        f"gaps should be a list of numbers, one per hidden state (tensors? take .item()), not {gaps!r}"
    )
    assert len(gaps) == layers + 1, (
        f"gaps holds {len(gaps)} numbers, but the model returns {layers + 1} hidden states: the embedding layer's "
        f"output (hidden_states[0]) and one per layer ({layers}); one gap each, the embedding layer's first"
    )
    return list(gaps)


@test_case(name="q3: one number per hidden state", points=1)
def one_per_hidden_state(gaps, model):
    _numbers(gaps, model)


@test_case(name="q3: the last layer's gap is the chapter's", points=1)
def the_last_is_the_chapters(gaps, model, within, across):
    last = _numbers(gaps, model)[-1]
    assert abs(last - (within - across)) < 1e-4, (
        f"gaps[-1] = {last:.4f}, yet the last hidden state is the output the chapter summarised, so its gap is "
        "the chapter's within - across: is each gap the mean within a sense minus the mean across senses (not "
        "the reverse), with each vector's similarity to itself left out of the within mean (off_diagonal)?"
    )
