"""Exercise 2's hidden checks, appended to companion/exercise_checks/04_math/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): a fresh count of the packaged config at n = 128", points=1, hidden=True)
def hidden_a_fresh_count(ratio, model):
    import torch
    from torch.utils.flop_counter import FlopCounterMode
    from transformers import BertConfig, BertModel

    from companion import flops

    config = BertConfig.from_dict(model.config.to_dict(), attn_implementation="eager")
    with torch.device("meta"):
        counted = BertModel(config).train()
        with FlopCounterMode(display=False) as counter:
            counted(torch.zeros(1, 128, dtype=torch.long)).last_hidden_state.sum().backward()
    expected = counter.get_total_flops() / flops.forward_flops(config, 128)["total"]
    assert abs(ratio - expected) <= 1e-9 * expected, (
        f"ratio = {ratio:.6f}; forward + backward of the packaged model's config ({config.num_hidden_layers} layers, "
        f"H = {config.hidden_size}) at n = 128 gives {expected:.6f}"
    )
