import pytest
import torch
from transformers import AutoModel, AutoModelForSequenceClassification

from companion import models
from companion.numerics import assert_same_up_to_rounding


@pytest.fixture(scope="module")
def tokenizer():
    return models.load_tokenizer()


def test_fast_profile_uses_the_packaged_folder():
    assert models.model_name() == str(models.packaged_model_dir())
    assert (models.packaged_model_dir() / "model.safetensors").is_file()


def test_full_profile_defaults_to_bert_base_and_can_be_overridden(full_profile, monkeypatch):
    assert models.model_name() == "bert-base-uncased"
    assert models.model_name(cased=True) == "bert-base-cased"  # a chapter that needs letter case (NER)
    monkeypatch.setenv("BERTBOOK_FULL_MODEL", "bert-large-cased")
    assert models.model_name() == models.model_name(cased=True) == "bert-large-cased"  # the override wins


def test_fast_profile_has_no_cased_model_and_ignores_the_request():
    assert models.model_name(cased=True) == models.model_name()
    tokenizer = models.load_tokenizer(cased=True)
    assert tokenizer.tokenize("Apple") == tokenizer.tokenize("apple") == ["apple"]  # the packaged model lower-cases


def test_tokenizer_is_the_uncased_wordpiece(tokenizer):
    assert tokenizer.vocab_size == 30522
    assert tokenizer.tokenize("Tokenization!") == ["token", "##ization", "!"]
    ids = tokenizer("Hello world")["input_ids"]
    assert ids[0] == tokenizer.cls_token_id and ids[-1] == tokenizer.sep_token_id


def test_encoder_is_a_six_layer_bert(tokenizer):
    encoder = models.load_model(AutoModel)
    assert encoder.config.model_type == "bert"
    assert (encoder.config.num_hidden_layers, encoder.config.hidden_size) == (6, 384)
    with torch.no_grad():
        output = encoder(**tokenizer(["a short sentence"], return_tensors="pt"))
    assert output.last_hidden_state.shape == (1, 5, 384)
    assert output.pooler_output.shape == (1, 384)


def test_eager_attention_returns_attention_maps(tokenizer):
    encoder = models.load_model(AutoModel, attn_implementation="eager")
    with torch.no_grad():
        output = encoder(**tokenizer(["attention please"], return_tensors="pt"), output_attentions=True)
    assert len(output.attentions) == 6
    assert output.attentions[0].shape == (1, 12, 4, 4)
    assert_same_up_to_rounding(output.attentions[0].sum(-1), torch.ones(1, 12, 4), what="attention row sums")


def test_classification_head_is_new_and_sized():
    classifier = models.load_model(AutoModelForSequenceClassification, num_labels=4)
    assert classifier.classifier.out_features == 4


def test_load_model_rejects_non_auto_classes():
    with pytest.raises(TypeError, match="Auto class"):
        models.load_model(torch.nn.Linear)


def test_full_profile_offline_names_the_fix(full_profile, monkeypatch):
    monkeypatch.setenv("BERTBOOK_FULL_MODEL", "no-such-org/no-such-bert")
    with pytest.raises(models.ModelUnavailableError, match="BERTBOOK_PROFILE=fast"):
        models.load_tokenizer()


class _RecordingAuto:
    """Stands in for an Auto class: records what from_pretrained was asked to load."""

    loaded: list[str] = []

    @classmethod
    def from_pretrained(cls, name, **kwargs):
        cls.loaded.append(name)
        return name


def test_full_profile_loads_the_cased_model_when_asked(full_profile):
    _RecordingAuto.loaded = []
    models.load_model(_RecordingAuto, cased=True)
    models.load_model(_RecordingAuto)
    assert _RecordingAuto.loaded == ["bert-base-cased", "bert-base-uncased"]
