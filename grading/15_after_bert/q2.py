"""Exercise 2's hidden checks, appended to companion/exercise_checks/15_after_bert/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): the logits and the accuracy recomputed", points=2, hidden=True)
def hidden_recomputed(logits, nsp_accuracy, pretrained, test_encoded):
    import numpy as np
    import torch

    model = pretrained["MLM + NSP (BERT)"]
    inputs = {key: value for key, value in test_encoded.items() if key != "next_sentence_label"}
    labels = test_encoded["next_sentence_label"]
    device = next(model.parameters()).device  # the model's, wherever training left it
    expected = []
    with torch.no_grad():
        for start in range(0, len(labels), 128):
            batch = {key: value[start : start + 128].to(device) for key, value in inputs.items()}
            expected.append(model(**batch).seq_relationship_logits.float().cpu())
    expected = torch.cat(expected)
    theirs = logits.detach().float().cpu() if hasattr(logits, "detach") else torch.as_tensor(np.asarray(logits))
    assert torch.allclose(theirs.float(), expected, atol=1e-4), (
        "logits differ from the MLM + NSP model's seq_relationship_logits on test_encoded's pairs (with their "
        "token_type_ids and attention_mask, the model in eval mode) by up to "
        f"{(theirs.float() - expected).abs().max().item():.4f}"
    )
    accuracy = (expected.argmax(-1) == labels).float().mean().item()
    assert abs(nsp_accuracy - accuracy) < 1e-6, f"nsp_accuracy = {nsp_accuracy:.4f}; recomputed: {accuracy:.4f}"
