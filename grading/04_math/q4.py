"""Exercise 4's hidden checks, appended to companion/exercise_checks/04_math/q4.py for grading."""

from otter.test_files import test_case


def _reference(d, *, scaled, n=10, trials=2000):
    import math

    import torch

    q, k = torch.randn(trials, 1, d), torch.randn(trials, n, d)
    p = ((q @ k.transpose(-1, -2)).squeeze(1) / (math.sqrt(d) if scaled else 1.0)).softmax(-1)
    jacobian = torch.diag_embed(p) - p[:, :, None] * p[:, None, :]
    return jacobian.flatten(1).norm(dim=-1).mean().item()


@test_case(name="q4 (hidden): the norms match a reference at d = 1024", points=1, hidden=True)
def hidden_matches_a_reference(jacobian_norm, unscaled_norm, scaled_norm):
    # over 2,000 trials the estimate's standard deviation is below 0.003 (scaled: below 0.001)
    for scaled, theirs in ((True, scaled_norm), (False, unscaled_norm)):
        expected = _reference(1024, scaled=scaled)
        for what, value in (("the notebook's value", theirs), ("a fresh call", jacobian_norm(1024, scaled=scaled))):
            assert abs(value - expected) < 0.015, (
                f"scaled={scaled}: {what} is {value:.4f}; a reference implementation gives {expected:.4f}"
            )


@test_case(name="q4 (hidden): 1/√d changes nothing at d = 1", points=1, hidden=True)
def hidden_no_scaling_at_d_1(jacobian_norm):
    import torch

    torch.manual_seed(0)
    scaled = jacobian_norm(1, scaled=True, trials=500)
    torch.manual_seed(0)
    unscaled = jacobian_norm(1, scaled=False, trials=500)
    assert abs(scaled - unscaled) < 1e-6, f"at d = 1, √d = 1, yet scaled gives {scaled:.4f} and unscaled {unscaled:.4f}"
