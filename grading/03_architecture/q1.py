"""Exercise 1's hidden checks, appended to companion/exercise_checks/03_architecture/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): transformers' BertLayer of this config", points=1, hidden=True)
def hidden_the_library_block(block_formula, block_count, config):
    from numbers import Integral

    import torch
    from transformers.models.bert.modeling_bert import BertLayer

    with torch.device("meta"):
        expected = sum(parameter.numel() for parameter in BertLayer(config).parameters())
    for label, value in (("block_formula", block_formula), ("block_count", block_count)):
        assert isinstance(value, Integral), f"{label} = {value!r} is not a whole number"
        assert value == expected, (
            f"{label} = {value:,}; one encoder block of this config (transformers' BertLayer) holds {expected:,} "
            "parameters, biases and LayerNorms included"
        )
