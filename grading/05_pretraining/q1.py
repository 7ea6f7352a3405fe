"""Exercise 1's hidden checks, appended to companion/exercise_checks/05_pretraining/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): the ordinary tokens of each row", points=1, hidden=True)
def hidden_ordinary_tokens(ordinary_per_row, batch, tokenizer):
    from companion import pretraining

    expected = (~pretraining.special_tokens_mask(batch["input_ids"], tokenizer)).sum(1)
    wrong = (ordinary_per_row.float() != expected.float()).sum().item()
    assert wrong == 0, (
        f"ordinary_per_row differs from the count of non-special tokens in {wrong:,} rows "
        f"(its mean {ordinary_per_row.float().mean().item():.2f}, expected {expected.float().mean().item():.2f})"
    )


@test_case(name="q1 (hidden): counts drawn by independent coins", points=1, hidden=True)
def hidden_independent_coins(chosen_per_row, ordinary_per_row):
    # each row's count is binomial(n, 0.15): mean 0.15 n, variance 0.15 · 0.85 · n, summed over the rows
    chosen, ordinary = chosen_per_row.float(), ordinary_per_row.float()
    expected_mean = 0.15 * ordinary.mean().item()
    standard_error = (0.15 * 0.85 * ordinary.sum().item()) ** 0.5 / len(ordinary)
    assert abs(chosen.mean().item() - expected_mean) < 4.5 * standard_error, (
        f"chosen_per_row averages {chosen.mean().item():.3f}; 15 % of the ordinary tokens is {expected_mean:.3f} "
        f"(a draw of the recipe stays within {4.5 * standard_error:.2f} of it)"
    )
    spread = (chosen - 0.15 * ordinary).var().item() / (0.15 * 0.85 * ordinary.mean().item())
    assert 0.75 < spread < 1.25, (
        f"chosen_per_row varies from row to row {spread:.2f} times as much as independent 15 % coins do: "
        "the recipe flips a coin per token (it does not choose round(15 %) of each row, as Google's code did)"
    )
