import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode
from transformers import BertConfig, BertModel

from companion.flops import forward_flops

SMALL = BertConfig(
    num_hidden_layers=2, hidden_size=64, num_attention_heads=4, intermediate_size=256, attn_implementation="eager"
)  # eager: its matmuls are what the counter sees


@pytest.mark.parametrize("seq_len, batch", [(8, 1), (100, 2)])
def test_formula_matches_torch_flop_counter(seq_len, batch):
    model = BertModel(SMALL).eval()
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(torch.randint(1000, (batch, seq_len)))
    measured = counter.get_total_flops()
    assert abs(forward_flops(SMALL, seq_len, batch=batch)["total"] - measured) <= 0.02 * measured


def test_attention_term_is_quadratic_and_the_rest_linear():
    short, long = forward_flops(SMALL, 64), forward_flops(SMALL, 128)
    assert long["attention"] == 4 * short["attention"]
    assert long["feed-forward"] == 2 * short["feed-forward"]
    assert long["total"] == sum(value for name, value in long.items() if name != "total")


def test_bad_lengths_say_what_is_wrong():
    with pytest.raises(ValueError, match="positive"):
        forward_flops(SMALL, 0)
    with pytest.raises(ValueError, match="truncate"):
        forward_flops(SMALL, 513)
