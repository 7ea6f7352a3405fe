"""Exercise 1's hidden checks, appended to companion/exercise_checks/04_math/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): the formula's ratio at n = 512", points=1, hidden=True)
def hidden_the_formula_at_512(large_vs_base):
    from transformers import BertConfig

    from companion import flops

    large = BertConfig(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096)
    expected = flops.forward_flops(large, 512)["total"] / flops.forward_flops(BertConfig(), 512)["total"]
    at_128 = flops.forward_flops(large, 128)["total"] / flops.forward_flops(BertConfig(), 128)["total"]
    assert abs(large_vs_base - at_128) > 1e-6, f"large_vs_base = {large_vs_base:.4f} is the ratio at n = 128, not 512"
    assert abs(large_vs_base - expected) <= 1e-6 * expected, (
        f"large_vs_base = {large_vs_base:.4f}; the formula gives {expected:.4f}"
    )
