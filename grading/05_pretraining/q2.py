"""Exercise 2's hidden checks, appended to companion/exercise_checks/05_pretraining/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): the accuracies of a reference computation", points=2, hidden=True)
def hidden_reference(masked_top1, unchanged_top1, long_model, long_test, long_tokenizer):
    import torch

    from companion import pretraining

    # the first 500 pairs under three masks: any mask's values lie within a few standard errors of these
    # (about 400 unchanged positions per mask: standard error 0.02; about 3,400 [MASK] ones: 0.005)
    masked, unchanged = [], []
    for seed in (11, 12, 13):
        ids = long_test["input_ids"][:500]
        corrupted, labels = pretraining.mask_tokens(ids, long_tokenizer, generator=torch.Generator().manual_seed(seed))
        with torch.no_grad():
            logits = long_model(
                input_ids=corrupted,
                token_type_ids=long_test["token_type_ids"][:500],
                attention_mask=long_test["attention_mask"][:500],
            ).prediction_logits
        chosen, right = labels != -100, logits.argmax(-1) == labels
        masked.append(right[chosen & (corrupted == long_tokenizer.mask_token_id)].float().mean().item())
        unchanged.append(right[chosen & (corrupted == ids)].float().mean().item())
    expected_masked, expected_unchanged = sum(masked) / 3, sum(unchanged) / 3
    assert abs(masked_top1 - expected_masked) < 0.03, (
        f"masked_top1 = {masked_top1:.3f}; the longer run at the [MASK] positions of the first 500 pairs: "
        f"{expected_masked:.3f}"
    )
    assert abs(unchanged_top1 - expected_unchanged) < 0.1, (
        f"unchanged_top1 = {unchanged_top1:.3f}; the longer run at the unchanged chosen positions of the first "
        f"500 pairs: {expected_unchanged:.3f} (positions replaced by a random token are not unchanged)"
    )
