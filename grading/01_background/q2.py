"""Exercise 2's hidden checks, appended to companion/exercise_checks/01_background/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): the ten closest entries of a fresh ranking", points=2, hidden=True)
def hidden_the_ten_closest(neighbours, model, tokenizer):
    import torch

    table = model.embeddings.word_embeddings.weight.detach().double()
    unit = table / table.norm(dim=-1, keepdim=True)
    bank = tokenizer.convert_tokens_to_ids("bank")
    cosines = unit @ unit[bank]
    cosines[bank] = -2.0  # 'bank' itself is not its own neighbour
    top = cosines.topk(10)
    expected = tokenizer.convert_ids_to_tokens(top.indices.tolist())
    assert isinstance(neighbours, list | tuple) and len(neighbours) == 10, f"neighbours is {neighbours!r}"
    ids = torch.tensor(tokenizer.convert_tokens_to_ids(list(neighbours)))
    # a token as close as the tenth (within rounding) may take its place; none may be farther
    assert bool((cosines[ids] >= top.values[-1] - 1e-5).all()), (
        f"neighbours = {list(neighbours)}; the ten entries closest to 'bank' by cosine are {expected}"
    )
