"""Exercise 1's public checks (otter-grader): the longest training pair cut to leave 8 pieces of sentence 2."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q1"


def _segments(label, encoding, tokenizer):
    """Return the encoding's (ids of segment A, ids of segment B), after checking its form."""
    assert hasattr(encoding, "keys") and {"input_ids", "token_type_ids"} <= set(encoding.keys()), (
        f"{label} should be what tokenizer(first, second, ...) returns, with input_ids and token_type_ids, "
        f"not {type(encoding).__name__}"
    )
    ids, types = list(encoding["input_ids"]), list(encoding["token_type_ids"])
    assert ids and all(isinstance(i, int) for i in ids), (
        f"{label}['input_ids'] should be one list of ids (one pair, no return_tensors), not {ids[:3]!r}..."
    )
    assert ids[0] == tokenizer.cls_token_id and ids[-1] == tokenizer.sep_token_id and set(types) == {0, 1}, (
        f"{label} is not one pair [CLS] A [SEP] B [SEP]: pass both sentences to one tokenizer call"
    )
    first_sep = types.index(1)
    return ids[:first_sep], ids[first_sep:]


@test_case(name="q1: only_second keeps 8 pieces of the second sentence", points=1)
def only_second_keeps_8(only_second, tokenizer):
    a, b = _segments("only_second", only_second, tokenizer)
    assert len(b) == 9, (
        f"segment B of only_second keeps {len(b)} tokens, that is {len(b) - 1} pieces and its [SEP]; the budget "
        "should leave 8 pieces: max_length = the tokens of [CLS] A [SEP], plus 8 pieces, plus the last [SEP]"
    )
    assert a.count(tokenizer.sep_token_id) == 1, "segment A of only_second should end with its own [SEP]"


@test_case(name="q1: longest_first cuts both sentences to about the same length", points=1)
def longest_first_cuts_both(only_second, cut_longest, tokenizer):
    a, b = _segments("only_second", only_second, tokenizer)
    cut_a, cut_b = _segments("cut_longest", cut_longest, tokenizer)
    assert len(cut_a) + len(cut_b) == len(a) + len(b), (
        f"cut_longest holds {len(cut_a) + len(cut_b)} tokens and only_second {len(a) + len(b)}: encode the same "
        "pair with the same max_length, changing only truncation"
    )
    assert len(cut_a) < len(a), (
        "segment A of cut_longest is as long as in only_second: with truncation='longest_first' the long first "
        "sentence is cut too (is truncation='only_second' or 'only_first' in that call?)"
    )
    pieces_a, pieces_b = len(cut_a) - 2, len(cut_b) - 1  # without [CLS] and the [SEP]s
    assert abs(pieces_a - pieces_b) <= 1, (
        f"cut_longest keeps {pieces_a} pieces of A and {pieces_b} of B; longest_first removes a piece from the "
        "longer one until the pair fits, which leaves them about equally long here"
    )
