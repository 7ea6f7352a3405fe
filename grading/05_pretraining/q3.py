"""Exercise 3's hidden checks, appended to companion/exercise_checks/05_pretraining/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): the first 500 held-out pairs, recomputed", points=2, hidden=True)
def hidden_recomputed(nsp_accuracy, majority, long_model, long_test):
    import torch

    labels = long_test["next_sentence_label"][:500]
    share = labels.float().mean().item()
    expected_majority = max(share, 1 - share)
    assert abs(majority - expected_majority) < 1e-6, (
        f"majority = {majority:.4f}; always guessing the more common label of the first 500 pairs: "
        f"{expected_majority:.4f}"
    )
    with torch.no_grad():
        logits = long_model(
            input_ids=long_test["input_ids"][:500],
            token_type_ids=long_test["token_type_ids"][:500],
            attention_mask=long_test["attention_mask"][:500],
        ).seq_relationship_logits
    expected = (logits.argmax(-1) == labels).float().mean().item()
    # 0.004: two pairs of 500, whose argmax might flip with another batching's rounding
    assert abs(nsp_accuracy - expected) <= 0.004 + 1e-9, (
        f"nsp_accuracy = {nsp_accuracy:.4f}; the NSP head on the first 500 pairs (input ids, segment ids, "
        f"attention mask): {expected:.4f}"
    )
