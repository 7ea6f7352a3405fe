"""Exercise 3's hidden checks, appended to companion/exercise_checks/03_architecture/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): the first word's output matches transformers' BertModel", points=2, hidden=True)
def hidden_matches_the_library(first_token_output, reference, tokenizer):
    import copy

    import torch

    from companion import numerics

    config = copy.deepcopy(reference.config)
    config.is_decoder = True  # transformers' BertModel as a decoder: a causal mask, the same weights
    decoder = type(reference)(config).eval()
    decoder.load_state_dict(reference.state_dict())
    text = "the bank of the river"
    ids = tokenizer(text, return_tensors="pt")["input_ids"]
    for causal, library in ((False, reference), (True, decoder)):
        with torch.no_grad():
            expected = library(ids).last_hidden_state[0, 1]
        ours = first_token_output(text, causal=causal)
        assert isinstance(ours, torch.Tensor) and ours.shape == expected.shape, (
            f"first_token_output({text!r}, causal={causal}) returned {ours!r}, not a vector like {expected.shape}"
        )
        numerics.assert_same_up_to_rounding(
            ours,
            expected,
            what=f"first_token_output({text!r}, causal={causal}) and the output of transformers' BertModel "
            f"({'as a decoder' if causal else 'as an encoder'}) for the token after [CLS]",
        )
