"""Exercise 3's public checks (otter-grader): BERT-base's FLOPs per token and attention share at n = 128, 512."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"


def _by_length(name, value):
    assert isinstance(value, dict) and set(value) == {128, 512}, (
        f"{name} should be a dict with the keys 128 and 512 (sequence lengths), not {value!r}"
    )
    for n in (128, 512):
        assert isinstance(value[n], Real), f"{name}[{n}] should be a number, not {value[n]!r}"


@test_case(name="q3: FLOPs per token grow with the length", points=1)
def per_token_grows(per_token):
    _by_length("per_token", per_token)
    growth = per_token[512] / per_token[128]
    assert growth < 2, (
        f"per_token[512] / per_token[128] = {growth:.2f}: these look like FLOPs per sequence; divide each by its n"
    )
    assert growth > 1, (
        f"per_token[512] / per_token[128] = {growth:.3f}, but every token attends to all n tokens: "
        "a token costs more in a longer sequence"
    )


@test_case(name="q3: the attention share grows with the length", points=1)
def attention_share_grows(attention_share):
    _by_length("attention_share", attention_share)
    assert 0 < attention_share[128] < 1 and 0 < attention_share[512] < 1, (
        f"attention_share = {attention_share}: a share of the total FLOPs lies between 0 and 1"
    )
    assert attention_share[512] > attention_share[128], (
        f"attention_share = {attention_share}: the attention term grows as n², the rest as n, "
        "so its share must grow with n"
    )
