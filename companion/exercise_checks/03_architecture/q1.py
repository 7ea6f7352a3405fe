"""Exercise 1's public checks (otter-grader): one encoder block's parameters, from the formula and counted."""

from numbers import Integral

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


def _whole_numbers(**values):
    for label, value in values.items():
        assert isinstance(value, Integral) and not isinstance(value, bool), (
            f"{label} should be a whole number of parameters, not {value!r} (a tensor? take .item())"
        )


@test_case(name="q1: the formula agrees with the count", points=1)
def formula_agrees_with_count(block_formula, block_count, config):
    _whole_numbers(block_formula=block_formula, block_count=block_count)
    h = config.hidden_size
    short = block_count - block_formula
    assert short >= 0, (
        f"the formula gives {-short:,} parameters more than your count: does it count a matrix twice, "
        "or did you count less than all of model.layers[0]?"
    )
    assert short == 0 or short >= h * h, (
        f"the formula gives {short:,} parameters fewer than your count, fewer than one h × h matrix: "
        "vectors are missing; every linear layer has a bias (one per output), every LayerNorm a scale and a shift"
    )
    assert short == 0, (
        f"the formula gives {short:,} parameters fewer than your count: whole matrices are missing; a block has "
        "four h × h projections (query, key, value, output) and two feed-forward matrices"
    )


@test_case(name="q1: one block, not the whole encoder", points=1)
def one_block(block_count, model, config):
    _whole_numbers(block_count=block_count)
    everything = sum(parameter.numel() for parameter in model.parameters())
    assert 0 < block_count * config.num_hidden_layers < everything, (
        f"block_count = {block_count:,}, yet {config.num_hidden_layers} such blocks would hold at least all of "
        f"the model's {everything:,} parameters: count the parameters of model.layers[0] alone"
    )
