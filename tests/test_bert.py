import pytest
import torch
from transformers import AutoModel, BertConfig, BertModel

from companion import bert, models
from companion.numerics import assert_same_up_to_rounding

BASE = BertConfig()  # transformers' defaults are bert-base's shape
LARGE = BertConfig(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096)


@pytest.fixture(scope="module")
def pair():
    hf = models.load_model(AutoModel, attn_implementation="eager").eval()
    return hf, bert.from_transformers(hf)


@pytest.fixture(scope="module")
def inputs():
    tokenizer = models.load_tokenizer()
    return tokenizer(
        ["The river bank was muddy.", "She paid the cheque into her bank account on Monday."],
        ["A second segment.", "Yes."],
        padding=True,
        return_tensors="pt",
    )


def test_packaged_weights_give_transformers_outputs(pair, inputs):
    hf, mine = pair
    assert inputs["attention_mask"].min() == 0 and inputs["token_type_ids"].max() == 1  # padding and segment B
    with torch.no_grad():
        expected = hf(**inputs, output_hidden_states=True, output_attentions=True)
        got = mine(**inputs)
    assert len(got.hidden_states) == len(expected.hidden_states) == hf.config.num_hidden_layers + 1
    for layer, (ours, theirs) in enumerate(zip(got.hidden_states, expected.hidden_states)):
        assert_same_up_to_rounding(ours, theirs, what=f"hidden states {layer}")
    assert_same_up_to_rounding(got.pooler_output, expected.pooler_output, what="pooled outputs")
    for layer, (ours, theirs) in enumerate(zip(got.attentions, expected.attentions), start=1):
        assert_same_up_to_rounding(ours, theirs, what=f"attention maps of layer {layer}")


def test_padding_does_not_change_real_tokens(pair):
    _, mine = pair
    ids = torch.tensor([[101, 2019, 2742, 102]])
    padded = torch.tensor([[101, 2019, 2742, 102, 0, 0]])
    with torch.no_grad():
        short = mine(ids).last_hidden_state
        long = mine(padded, attention_mask=torch.tensor([[1, 1, 1, 1, 0, 0]])).last_hidden_state
    assert_same_up_to_rounding(long[:, :4], short, what="real tokens with and without padding")


def test_every_parameter_is_renamed_and_loaded(pair):
    hf, mine = pair
    assert sum(p.numel() for p in mine.parameters()) == sum(p.numel() for p in hf.parameters())
    assert bert.rename_key("encoder.layer.3.intermediate.dense.weight") == "layers.3.ffn.up.weight"
    assert bert.rename_key("embeddings.token_type_embeddings.weight") == "embeddings.segment.weight"


@pytest.mark.parametrize("config, expected", [(BASE, 109_482_240), (LARGE, 335_141_888)])
def test_parameter_counts_from_the_config_alone(config, expected):
    counts = bert.parameter_counts(config)
    assert counts["total"] == expected
    with torch.device("meta"):  # shapes only: no memory, no download
        library = BertModel(config)
        ours = bert.Bert(config)
    assert sum(p.numel() for p in library.parameters()) == expected
    assert sum(p.numel() for p in ours.parameters()) == expected
    assert counts["embeddings"] + counts["encoder"] + counts["pooler"] == expected


def test_packaged_model_count_matches_formula(pair):
    hf, _ = pair
    assert bert.parameter_counts(hf.config)["total"] == sum(p.numel() for p in hf.parameters())


def test_bad_inputs_say_what_is_wrong():
    with pytest.raises(KeyError, match="BertModel"):
        bert.rename_key("cls.predictions.bias")
    with pytest.raises(ValueError, match="multiple"):
        bert.Bert(BertConfig(hidden_size=100, num_attention_heads=12))
    with pytest.raises(ValueError, match="gelu"):
        bert.Bert(BertConfig(hidden_act="relu", num_hidden_layers=1))
    small = bert.Bert(BertConfig(num_hidden_layers=1, hidden_size=32, num_attention_heads=2, intermediate_size=64))
    with pytest.raises(ValueError, match="batch"):
        small(torch.tensor([1, 2, 3]))
    with pytest.raises(KeyError, match="lacks"):
        bert.load_state_dict(small, {"pooler.dense.weight": torch.zeros(32, 32)})
    with pytest.raises(ValueError, match="pooler"):
        bert.from_transformers(BertModel(small.config, add_pooling_layer=False))
