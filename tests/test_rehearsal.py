"""The rehearsal of the full profile: its switch, its stand-in model, its row cap and its step cap."""

import shutil
import socket

import pytest
import torch
from transformers import (
    AutoModel,
    AutoModelForSequenceClassification,
    AutoTokenizer,
    BertConfig,
    BertForSequenceClassification,
)

from companion import benchmark, data, models, runtime, training

# bert-base-uncased's config.json on the hub (the fields that fix its shape)
BERT_BASE_UNCASED = {
    "model_type": "bert",
    "num_hidden_layers": 12,
    "hidden_size": 768,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "vocab_size": 30522,
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "hidden_act": "gelu",
    "layer_norm_eps": 1e-12,
}
BERT_BASE_PARAMETERS = 109_482_240  # BertModel with its pooler, as chapter 3 counts it


@pytest.fixture()
def rehearsal(monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "full")
    monkeypatch.setenv("BERTBOOK_REHEARSAL", "1")


@pytest.fixture(scope="module")
def stand_in_cache(tmp_path_factory):
    # one stand-in for the module, built in a folder of its own (the real one lives in BERTBOOK_CACHE)
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BERTBOOK_CACHE", str(cache))
        patch.setenv("BERTBOOK_PROFILE", "full")
        patch.setenv("BERTBOOK_REHEARSAL", "1")
        folder = models.rehearsal_model_dir()
    assert folder.parents[1] == cache
    yield cache
    shutil.rmtree(cache)  # 440 MB of random weights: pytest would keep them for three sessions


@pytest.fixture()
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the rehearsal tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_rehearsal_is_off_unless_asked(monkeypatch):
    monkeypatch.delenv("BERTBOOK_REHEARSAL", raising=False)
    assert runtime.rehearsal() is False
    monkeypatch.setenv("BERTBOOK_REHEARSAL", "0")
    assert runtime.rehearsal() is False


def test_rehearsal_switch_reads_one(rehearsal):
    assert runtime.rehearsal() is True
    assert "rehearsal" in runtime.setup(seed=0, threads=1, library_bars=True)


@pytest.mark.parametrize("value", ["yes", "2", "true"])
def test_rehearsal_rejects_other_values_with_the_fix(rehearsal, monkeypatch, value):
    monkeypatch.setenv("BERTBOOK_REHEARSAL", value)
    with pytest.raises(ValueError, match="set it to 1"):
        runtime.rehearsal()


def test_rehearsal_needs_the_full_profile(monkeypatch):
    monkeypatch.setenv("BERTBOOK_REHEARSAL", "1")  # the profile stays fast (conftest)
    with pytest.raises(ValueError, match="BERTBOOK_PROFILE=full"):
        runtime.rehearsal()


def test_bert_configs_defaults_are_bert_base_uncased():
    config = BertConfig().to_dict()
    assert {key: config[key] for key in BERT_BASE_UNCASED} == BERT_BASE_UNCASED


def test_stand_in_has_bert_bases_architecture_and_loads_offline(rehearsal, stand_in_cache, monkeypatch, no_network):
    monkeypatch.setenv("BERTBOOK_CACHE", str(stand_in_cache))
    monkeypatch.setenv("BERTBOOK_FULL_MODEL", "bert-large-cased")  # the rehearsal stands in for the default
    assert models.model_name() == models.model_name(cased=True) == str(models.rehearsal_model_dir())  # cased too
    with pytest.warns(models.RehearsalWarning, match="random weights"):
        encoder = models.load_model(AutoModel)
    config = encoder.config.to_dict()
    assert {key: config[key] for key in BERT_BASE_UNCASED} == BERT_BASE_UNCASED
    assert sum(p.numel() for p in encoder.parameters()) == BERT_BASE_PARAMETERS
    # random, not pretrained: weights at the initializer's scale (std 0.02), a word-embedding row per vocab entry
    assert abs(encoder.embeddings.word_embeddings.weight.std().item() - 0.02) < 0.002
    with pytest.warns(models.RehearsalWarning):
        classifier = models.load_model(AutoModelForSequenceClassification, num_labels=3, attn_implementation="eager")
    assert classifier.classifier.out_features == 3 and classifier.config._attn_implementation == "eager"
    assert torch.equal(classifier.bert.embeddings.word_embeddings.weight, encoder.embeddings.word_embeddings.weight)


def test_stand_in_tokenizer_is_bert_base_uncased_vocabulary(rehearsal, stand_in_cache, monkeypatch, no_network):
    monkeypatch.setenv("BERTBOOK_CACHE", str(stand_in_cache))
    tokenizer = models.load_tokenizer()
    packaged = AutoTokenizer.from_pretrained(models.packaged_model_dir())
    assert tokenizer.vocab_size == 30522 and tokenizer.get_vocab() == packaged.get_vocab()
    assert tokenizer.do_lower_case and tokenizer.model_max_length == 512
    assert tokenizer.tokenize("Tokenization!") == ["token", "##ization", "!"]


def test_rehearsal_caps_every_split_with_a_seeded_sample(needs_mirror, rehearsal):
    validation = data.load_split("sst2", "validation")
    assert len(validation) == runtime.REHEARSAL_ROWS
    assert validation["idx"] == data.load_split("sst2", "validation")["idx"]  # seeded: the same rows twice
    assert set(validation["label"]) == {0, 1}  # both classes, so every chapter's logic still has work to do
    assert len(data.load_split("sst2", "train", fast_rows=8000)) == runtime.REHEARSAL_ROWS  # fast_rows is not used


def test_split_size_counts_the_whole_split_in_a_rehearsal_too(needs_mirror, rehearsal, monkeypatch):
    rehearsed = data.split_size("sst2", "validation")
    monkeypatch.delenv("BERTBOOK_REHEARSAL")
    assert rehearsed == data.split_size("sst2", "validation") == len(data.load_split("sst2", "validation")) == 872
    with pytest.raises(KeyError, match="unknown dataset"):
        data.split_size("sst3", "validation")


def test_rehearsal_keeps_the_novels_whole(rehearsal, monkeypatch):
    assert runtime.REHEARSAL_WHOLE == ("gutenberg_prose",)
    whole = len(data.load_split("gutenberg_prose", "test"))
    monkeypatch.delenv("BERTBOOK_REHEARSAL")
    assert whole == len(data.load_split("gutenberg_prose", "test")) > runtime.REHEARSAL_ROWS


def _tiny_run() -> training.History:
    config = BertConfig(
        vocab_size=32,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=16,
        num_labels=2,
    )
    rows = [{"input_ids": torch.randint(0, 32, (8,)), "labels": torch.tensor(i % 2)} for i in range(40)]
    loader = torch.utils.data.DataLoader(rows, batch_size=4)  # 10 batches per epoch
    return training.train(
        BertForSequenceClassification(config),
        loader,
        epochs=3,
        lr=1e-3,
        progress=False,
        eval_fn=lambda model: {"evaluated": 1.0},
    )


def test_rehearsal_caps_training_steps_and_still_evaluates(rehearsal):
    history = _tiny_run()
    assert len(history.steps) == runtime.REHEARSAL_STEPS
    assert history.last_eval()["step"] == runtime.REHEARSAL_STEPS  # the run's end is evaluated as usual


def test_without_rehearsal_training_runs_every_step(full_profile):
    assert len(_tiny_run().steps) == 30


def test_rehearsal_times_fewer_calls(rehearsal):
    calls = []
    benchmark.median_seconds(lambda: calls.append(1), min_run_time=1e-6)
    assert len(calls) == 1 + runtime.REHEARSAL_TIMINGS  # one warm-up call, then the timed ones


def test_without_rehearsal_timings_take_every_sample(full_profile):
    calls = []
    benchmark.median_seconds(lambda: calls.append(1), min_run_time=1e-6)
    assert len(calls) == 2 + 7
