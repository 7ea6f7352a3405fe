"""Exercise 1's public checks (otter-grader): ordinary and chosen tokens per 64-token row of `batch`."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


def _per_row(name, value, batch):
    import torch

    rows = len(batch["input_ids"])
    assert isinstance(value, torch.Tensor), (
        f"{name} should be a tensor with one count per row of batch['input_ids'], not {type(value).__name__}"
    )
    assert value.shape == (rows,), (
        f"{name} has shape {tuple(value.shape)}: count over each row's positions (.sum(1)), "
        f"one count for each of the {rows:,} rows"
    )


@test_case(name="q1: ordinary tokens per row", points=1)
def ordinary_tokens(ordinary_per_row, batch):
    _per_row("ordinary_per_row", ordinary_per_row, batch)
    assert ordinary_per_row.max() <= batch["input_ids"].shape[1] - 2, (
        f"a row of ordinary_per_row counts {ordinary_per_row.max().item():g} tokens, but every row of 64 holds "
        "[CLS] and [SEP]: leave out the special tokens ([CLS], [SEP], [PAD]), not just the padding"
    )
    assert ordinary_per_row.float().mean() < batch["input_ids"].shape[1] - 3, (
        f"ordinary_per_row averages {ordinary_per_row.float().mean().item():.1f}, nearly a full row: many paragraphs "
        "are shorter than 64 tokens, and padding is not an ordinary token "
        "(pretraining.special_tokens_mask marks [CLS], [SEP] and [PAD])"
    )


@test_case(name="q1: the recipe chooses 15 % of the ordinary tokens", points=1)
def fifteen_percent(chosen_per_row, ordinary_per_row, batch):
    _per_row("chosen_per_row", chosen_per_row, batch)
    _per_row("ordinary_per_row", ordinary_per_row, batch)
    chosen, ordinary = chosen_per_row.float(), ordinary_per_row.float()
    assert bool((chosen == chosen.round()).all()), (
        "chosen_per_row holds fractions: count the positions mask_tokens chooses (labels != -100), "
        "do not compute 15 % of a count"
    )
    assert bool((chosen <= ordinary).all()), (
        "some row has more chosen tokens than ordinary ones: count the chosen positions of the same rows "
        "(mask_tokens on batch['input_ids'])"
    )
    share = chosen.sum().item() / max(ordinary.sum().item(), 1)
    assert abs(share - 0.15) < 0.01, (
        f"chosen_per_row adds up to {share:.1%} of the ordinary tokens, but the recipe chooses 15 %: "
        "a chosen position is one whose label is not -100, whether it became [MASK], a random token or stayed"
    )
