"""Exercise 2's public checks (otter-grader): the ten vocabulary entries whose static vectors are closest to 'bank'."""

import torch
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"


def _tokens(neighbours):
    assert isinstance(neighbours, list | tuple) and all(isinstance(token, str) for token in neighbours), (
        f"neighbours should be a list of token strings (tokenizer.convert_ids_to_tokens turns ids into them), "
        f"not {neighbours!r}"
    )
    return list(neighbours)


def _cosines(tokens, model, tokenizer):
    """Return each token's cosine similarity to 'bank' in the static table (float32)."""
    table = model.embeddings.word_embeddings.weight.detach().float()
    ids = torch.tensor(tokenizer.convert_tokens_to_ids(tokens))
    return torch.nn.functional.cosine_similarity(table[ids], table[tokenizer.convert_tokens_to_ids("bank")][None], -1)


@test_case(name="q2: ten different vocabulary entries", points=1)
def ten_entries(neighbours, tokenizer):
    tokens = _tokens(neighbours)
    assert len(tokens) == 10, f"neighbours holds {len(tokens)} tokens, not 10"
    assert len(set(tokens)) == 10, f"neighbours = {tokens} repeats a token; each entry of the table appears once"
    unknown = [token for token in tokens if token not in tokenizer.get_vocab()]
    assert not unknown, f"{unknown} are not vocabulary entries: take the tokens of the closest rows' ids"


@test_case(name="q2: 'bank' itself left out", points=1)
def bank_left_out(neighbours):
    tokens = _tokens(neighbours)
    assert "bank" not in tokens, (
        "the list holds 'bank' itself, whose own vector is the closest to it (cosine 1): take the eleven closest "
        "and leave out the first"
    )


@test_case(name="q2: closest first, by cosine similarity", points=1)
def by_cosine(neighbours, model, tokenizer):
    tokens = _tokens(neighbours)
    assert tokens and all(token in tokenizer.get_vocab() for token in tokens), "see the first check of q2"
    cosines = _cosines(tokens, model, tokenizer)
    assert bool((cosines[1:] <= cosines[:-1] + 1e-5).all()), (
        f"the static vectors of {tokens} are not in decreasing order of cosine similarity to 'bank'; did you rank "
        "by the dot product or the distance instead of the cosine, or take the farthest first?"
    )
