"""Exercise 3's hidden checks, appended to companion/exercise_checks/15_after_bert/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): the scores counted from ModernBERT's layer types", points=1, hidden=True)
def hidden_from_the_layer_types(computed, share):
    from transformers import ModernBertConfig

    n, side = 8192, 64
    kinds = ModernBertConfig(num_hidden_layers=22, local_attention=128).layer_types
    full = kinds.count("full_attention") * n * n
    local = kinds.count("sliding_attention")
    # a query sees 2·64 + 1 keys; near the ends fewer (exact), or a window counted as 128: all three accepted
    at_most = full + local * n * (2 * side + 1)
    at_least = min(full + local * (n * (2 * side + 1) - side * (side + 1)), full + local * n * 2 * side)
    assert at_least <= computed <= at_most, (
        f"computed = {computed:,}; {kinds.count('full_attention')} global layers of n² scores and {local} local "
        f"ones of about n·129 make between {at_least:,} and {at_most:,}"
    )
    assert abs(share - computed / (len(kinds) * n * n)) < 1e-9, f"share = {share}; computed / (22·n²) differs"
