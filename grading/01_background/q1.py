"""Exercise 1's hidden checks, appended to companion/exercise_checks/01_background/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): identical exactly where 'bank' stands at the same position", points=2, hidden=True)
def hidden_same_position(identical, tokenizer, texts):
    import numpy as np
    import torch

    bank = tokenizer.convert_tokens_to_ids("bank")
    positions = [tokenizer(text)["input_ids"].index(bank) for text in texts]
    expected = torch.tensor([[a == b for b in positions] for a in positions])
    value = torch.from_numpy(np.array(identical)) if isinstance(identical, np.ndarray) else identical
    assert isinstance(value, torch.Tensor) and tuple(value.shape) == (6, 6), f"identical is {identical!r}"
    assert torch.equal(value.bool(), expected), (
        f"identical = {value.int().tolist()}; 'bank' stands at the positions {positions}, and the embedding layer's "
        f"output is the same exactly where the position is: {expected.int().tolist()}"
    )
