"""Exercise 3's hidden checks, appended to companion/exercise_checks/04_math/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): BERT-base's values from the formula", points=2, hidden=True)
def hidden_bert_base_from_the_formula(per_token, attention_share):
    from transformers import BertConfig

    from companion import flops

    for n in (128, 512):
        cost = flops.forward_flops(BertConfig(), n)
        assert abs(per_token[n] - cost["total"] / n) <= 1e-6 * cost["total"] / n, (
            f"per_token[{n}] = {per_token[n]:.4g}; BERT-base's formula gives {cost['total'] / n:.4g} FLOPs per token"
        )
        share = cost["attention"] / cost["total"]
        assert abs(attention_share[n] - share) <= 1e-6, (
            f"attention_share[{n}] = {attention_share[n]:.4f}; BERT-base's formula gives {share:.4f}"
        )
