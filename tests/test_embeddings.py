import numpy as np
import pytest
import torch
from sklearn.metrics.pairwise import cosine_similarity as sklearn_cosine
from transformers import BertConfig, BertModel

from companion import embeddings, models, runtime
from companion.numerics import assert_same_up_to_rounding


@pytest.fixture(scope="module")
def tokenizer():
    return models.load_tokenizer()


@pytest.fixture(scope="module")
def tiny_encoder():
    runtime.seed_everything(0)
    config = BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=16,
    )
    return BertModel(config).eval()


TEXTS = ["a short one", "a considerably longer sentence with many more word pieces in it", "mid length text"]


def test_mean_pool_ignores_padding():
    hidden = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [1e6, 1e6]]])  # (1, 3, 2); the last token is padding
    mask = torch.tensor([[1, 1, 0]])
    assert embeddings.mean_pool(hidden, mask).tolist() == [[2.0, 3.0]]
    assert embeddings.cls_pool(hidden, mask).tolist() == [[1.0, 2.0]]


def test_mean_pool_rejects_mismatched_mask():
    with pytest.raises(ValueError, match="disagree"):
        embeddings.mean_pool(torch.zeros(2, 3, 4), torch.ones(2, 4))


def test_encode_keeps_order_and_matches_one_at_a_time(tiny_encoder, tokenizer):
    batched = embeddings.encode(TEXTS, tiny_encoder, tokenizer, batch_size=2)
    single = np.concatenate([embeddings.encode([text], tiny_encoder, tokenizer) for text in TEXTS])
    assert batched.shape == (3, 32)
    assert_same_up_to_rounding(batched, single, what="batched and one-at-a-time vectors")


def test_encode_several_poolings_in_one_pass(tiny_encoder, tokenizer):
    both = embeddings.encode(TEXTS, tiny_encoder, tokenizer, pooling=("mean", "cls"))
    assert set(both) == {"mean", "cls"}
    assert_same_up_to_rounding(both["cls"], embeddings.encode(TEXTS, tiny_encoder, tokenizer, pooling="cls"))
    unit = embeddings.encode(TEXTS, tiny_encoder, tokenizer, normalize=True)
    assert_same_up_to_rounding(np.linalg.norm(unit, axis=1), np.ones(len(TEXTS)), what="norms")


def test_encode_caps_length_at_the_model_positions(tiny_encoder, tokenizer):
    vectors = embeddings.encode(["word " * 100], tiny_encoder, tokenizer, max_length=512)  # model has 16 positions
    assert vectors.shape == (1, 32) and np.isfinite(vectors).all()


def test_encode_bf16_is_close_to_fp32(tiny_encoder, tokenizer):
    fp32 = embeddings.encode(TEXTS, tiny_encoder, tokenizer)
    bf16 = embeddings.encode(TEXTS, tiny_encoder, tokenizer, precision="bf16")
    assert np.all(embeddings.paired_cosine(fp32, bf16) > 0.99)


@pytest.mark.parametrize(
    "options, error",
    [({"pooling": "max"}, ValueError), ({"precision": "fp8"}, ValueError), ({"batch_size": 0}, ValueError)],
)
def test_encode_rejects_bad_options(tiny_encoder, tokenizer, options, error):
    with pytest.raises(error):
        embeddings.encode(TEXTS, tiny_encoder, tokenizer, **options)


def test_encode_rejects_a_single_string(tiny_encoder, tokenizer):
    with pytest.raises(TypeError, match="wrap it in a list"):
        embeddings.encode("one sentence", tiny_encoder, tokenizer)


def test_cosine_matches_scikit_learn():
    generator = np.random.default_rng(0)
    a, b = generator.normal(size=(4, 8)), generator.normal(size=(5, 8))
    assert_same_up_to_rounding(embeddings.cosine_similarity(a, b), sklearn_cosine(a, b))
    assert_same_up_to_rounding(embeddings.paired_cosine(a, a * 3), np.ones(len(a)))
    with pytest.raises(ValueError, match="one shape"):
        embeddings.paired_cosine(a, b)
