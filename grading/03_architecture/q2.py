"""Exercise 2's hidden checks, appended to companion/exercise_checks/03_architecture/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): a fresh count of BertForMaskedLM(BertConfig())", points=1, hidden=True)
def hidden_a_fresh_count(predicted, actual):
    from numbers import Integral

    import torch
    from transformers import BertConfig, BertForMaskedLM

    with torch.device("meta"):
        expected = sum(parameter.numel() for parameter in BertForMaskedLM(BertConfig()).parameters())
    for label, value in (("predicted", predicted), ("actual", actual)):
        assert isinstance(value, Integral), f"{label} = {value!r} is not a whole number"
        assert value == expected, (
            f"{label} = {value:,}; BertForMaskedLM(BertConfig()) holds {expected:,} parameters "
            "(no pooler; the head's dense layer, LayerNorm and output bias; the output matrix tied, counted once)"
        )
