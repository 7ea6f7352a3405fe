import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, Dataset
from transformers import BertConfig, BertForSequenceClassification

from companion import plots, runtime, training


class ContainsToken(Dataset):
    """Label 1 when token 7 occurs in the sequence: learnable by a tiny BERT in a few hundred steps."""

    def __init__(self, size: int, seed: int):
        generator = torch.Generator().manual_seed(seed)
        self.ids = torch.randint(10, 30, (size, 8), generator=generator)
        self.labels = torch.randint(0, 2, (size,), generator=generator)
        positions = torch.randint(1, 8, (size,), generator=generator)
        self.ids[self.labels == 1, positions[self.labels == 1]] = 7

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return {
            "input_ids": self.ids[index],
            "attention_mask": torch.ones(8, dtype=torch.long),
            "labels": self.labels[index],
        }


def tiny_classifier() -> BertForSequenceClassification:
    runtime.seed_everything(0)
    config = BertConfig(
        vocab_size=32,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=16,
        num_labels=2,
    )
    return BertForSequenceClassification(config)


def accuracy_on(loader):
    def evaluate(model):
        logits, labels = training.predict(model, loader)
        return {"accuracy": float(np.mean(logits.argmax(-1) == labels))}

    return evaluate


@pytest.fixture(scope="module")
def trained():
    model = tiny_classifier()
    train_loader = DataLoader(ContainsToken(512, seed=1), batch_size=32, shuffle=True)
    test_loader = DataLoader(ContainsToken(256, seed=2), batch_size=64)
    history = training.train(model, train_loader, epochs=6, lr=3e-3, eval_fn=accuracy_on(test_loader), progress=False)
    return model, history, test_loader


def test_training_learns_a_held_out_task(trained):
    _, history, _ = trained
    losses = history.step_frame()["loss"]
    assert losses.tail(16).mean() < 0.5 * losses.head(16).mean()
    assert history.last_eval()["accuracy"] > 0.9


def test_history_records_every_step_and_each_epoch(trained):
    _, history, _ = trained
    steps = history.step_frame()
    assert list(steps.columns) == ["step", "epoch", "loss", "lr"]
    assert len(steps) == 6 * 16
    assert history.eval_frame()["epoch"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert history.seconds > 0


def test_learning_rate_warms_up_then_decays_to_zero(trained):
    _, history, _ = trained
    lr = history.step_frame()["lr"].to_numpy()
    peak = int(np.argmax(lr))
    assert 0 < peak < len(lr) // 5
    assert np.all(np.diff(lr[: peak + 1]) > 0)
    assert np.all(np.diff(lr[peak:]) <= 0)
    assert lr[-1] == pytest.approx(0.0, abs=1e-9)


def test_fractional_epochs_and_eval_every():
    model = tiny_classifier()
    loader = DataLoader(ContainsToken(64, seed=3), batch_size=8)
    calls = []
    history = training.train(
        model, loader, epochs=0.5, eval_every=2, progress=False, eval_fn=lambda m: calls.append(1) or {"n": len(calls)}
    )
    assert len(history.steps) == 4
    assert history.eval_frame()["step"].tolist() == [2, 4]


def test_predict_returns_logits_and_labels(trained):
    model, _, test_loader = trained
    logits, labels = training.predict(model, test_loader)
    assert logits.shape == (256, 2)
    assert labels.shape == (256,)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"epochs": 0}, "positive"),
        ({"lr": -1.0}, "positive"),
        ({"warmup_ratio": 1.0}, "warmup_ratio"),
        ({"eval_every": 0}, "eval_every"),
    ],
)
def test_train_rejects_bad_options(options, message):
    loader = DataLoader(ContainsToken(8, seed=0), batch_size=4)
    with pytest.raises(ValueError, match=message):
        training.train(tiny_classifier(), loader, progress=False, **options)


def test_train_rejects_empty_loader_and_missing_labels():
    with pytest.raises(ValueError, match="empty"):
        training.train(tiny_classifier(), DataLoader([], batch_size=4), progress=False)
    unlabeled = [{"input_ids": torch.tensor([10, 11]), "attention_mask": torch.tensor([1, 1])}] * 4
    with pytest.raises(ValueError, match="labels"):
        training.train(tiny_classifier(), DataLoader(unlabeled, batch_size=2), progress=False)


def test_last_eval_without_evaluation_says_why():
    with pytest.raises(ValueError, match="eval_fn"):
        training.History().last_eval()


def test_plot_history_labels_axes(trained):
    _, history, _ = trained
    figure = plots.plot_history(history, metric="accuracy")
    loss_axis, metric_axis = figure.axes
    assert "loss" in loss_axis.get_ylabel()
    assert loss_axis.get_xlabel() == "optimizer step"
    assert metric_axis.get_ylabel() == "accuracy"
    with pytest.raises(KeyError, match="recorded: step, epoch, accuracy"):
        plots.plot_history(history, metric="f1")
    with pytest.raises(ValueError, match="no steps"):
        plots.plot_history(training.History())


def test_changing_mixed_precision_in_one_process_says_restart():
    loader = DataLoader(ContainsToken(16, seed=0), batch_size=8)
    training.train(tiny_classifier(), loader, epochs=0.5, progress=False, mixed_precision="no")
    with pytest.raises(ValueError, match="restart the kernel"):
        training.train(tiny_classifier(), loader, epochs=0.5, progress=False, mixed_precision="bf16")


def test_fp16_on_a_cpu_is_refused_before_anything_is_fixed():
    loader = DataLoader(ContainsToken(16, seed=0), batch_size=8)
    with pytest.raises(ValueError, match="'fp16' needs a GPU"):
        training.train(tiny_classifier(), loader, epochs=0.5, progress=False, mixed_precision="fp16")


def test_loss_fn_replaces_the_model_loss_and_its_parts_are_recorded():
    model = tiny_classifier()
    loader = DataLoader(ContainsToken(64, seed=3), batch_size=32)

    def halves(model, batch):
        loss = model(**batch).loss
        return {"loss": loss, "half": loss / 2}

    history = training.train(model, loader, epochs=1, lr=1e-3, loss_fn=halves, progress=False)
    steps = history.step_frame()
    assert list(steps.columns) == ["step", "epoch", "loss", "lr", "half"]
    assert np.allclose(steps["half"], steps["loss"] / 2)


def test_loss_fn_without_a_loss_key_is_refused():
    loader = DataLoader(ContainsToken(32, seed=3), batch_size=32)
    with pytest.raises(KeyError, match="without 'loss'"):
        training.train(tiny_classifier(), loader, epochs=1, loss_fn=lambda m, b: {"mlm": m(**b).loss}, progress=False)


def test_predict_pads_batches_of_different_lengths():
    class PerToken(torch.nn.Module):
        def forward(self, input_ids, labels=None):
            return type("Output", (), {"logits": torch.nn.functional.one_hot(input_ids, 4).float()})()

    PerToken.parameters = lambda self: iter([torch.zeros(1)])
    loader = [
        {"input_ids": torch.tensor([[1, 2, 3]]), "labels": torch.tensor([[0, 1, -100]])},
        {"input_ids": torch.tensor([[3]]), "labels": torch.tensor([[2]])},
    ]
    logits, labels = training.predict(PerToken(), loader)
    assert logits.shape == (2, 3, 4) and labels.tolist() == [[0, 1, -100], [2, -100, -100]]
    assert logits[0].argmax(-1).tolist() == [1, 2, 3] and (logits[1, 1:] == -1e4).all()


def test_processes_that_accelerate_does_not_see_are_refused(monkeypatch):
    loader = DataLoader(ContainsToken(16, seed=0), batch_size=8)
    training.train(tiny_classifier(), loader, epochs=0.5, progress=False)  # this process: one, not distributed
    monkeypatch.setenv("WORLD_SIZE", "2")  # as torchrun sets it, e.g. on CPUs without ACCELERATE_USE_CPU=1
    with pytest.raises(RuntimeError, match="ACCELERATE_USE_CPU=1"):
        training.train(tiny_classifier(), loader, epochs=0.5, progress=False)
    with pytest.raises(RuntimeError, match="ACCELERATE_USE_CPU=1"):  # what scripts/finetune.py checks first
        training.process_state()
    monkeypatch.delenv("WORLD_SIZE")
    assert training.process_state().num_processes == 1


def test_grouped_loader_groups_lengths_covers_every_item_and_follows_the_seed():
    from datasets import Dataset
    from transformers import DataCollatorWithPadding

    generator = np.random.default_rng(0)
    lengths = generator.integers(3, 60, size=400)
    encoded = Dataset.from_dict(
        {"input_ids": [[5] * int(n) for n in lengths], "attention_mask": [[1] * int(n) for n in lengths]}
    )
    collate = DataCollatorWithPadding(_tokenizer_for_padding())
    loader = training.grouped_loader(encoded, batch_size=16, collate_fn=collate, seed=3)
    batches = [batch["input_ids"] for batch in loader]
    assert sum(len(batch) for batch in batches) == len(encoded)
    grouped_padding = sum(batch.numel() for batch in batches)
    shuffled = torch.utils.data.DataLoader(
        encoded, batch_size=16, shuffle=True, collate_fn=collate, generator=torch.Generator().manual_seed(3)
    )
    assert grouped_padding < 0.8 * sum(batch["input_ids"].numel() for batch in shuffled)
    again = [
        batch["input_ids"] for batch in training.grouped_loader(encoded, batch_size=16, collate_fn=collate, seed=3)
    ]
    other = [
        batch["input_ids"] for batch in training.grouped_loader(encoded, batch_size=16, collate_fn=collate, seed=4)
    ]
    assert all(torch.equal(a, b) for a, b in zip(batches, again))
    assert not all(a.shape == b.shape and torch.equal(a, b) for a, b in zip(batches, other))


def _tokenizer_for_padding():
    from transformers import AutoTokenizer

    from companion import models

    return AutoTokenizer.from_pretrained(models.model_name())


def test_predict_outputs_returns_what_the_model_names_and_refuses_unknown_names():
    from transformers.modeling_outputs import QuestionAnsweringModelOutput

    class TwoHeads(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(1, 2)

        def forward(self, input_ids):
            out = self.linear(input_ids.float().unsqueeze(-1))  # (batch, seq, 2)
            return QuestionAnsweringModelOutput(start_logits=out[..., 0], end_logits=out[..., 1])

    loader = [{"input_ids": torch.ones(2, 3, dtype=torch.long)}, {"input_ids": torch.ones(1, 5, dtype=torch.long)}]
    outputs = training.predict_outputs(TwoHeads(), loader, names=("start_logits", "end_logits"))
    assert set(outputs) == {"start_logits", "end_logits"}  # no labels in these batches
    assert outputs["start_logits"].shape == (3, 5) and outputs["start_logits"][0, 4] == -1e4
    with pytest.raises(KeyError, match="no 'logits'"):
        training.predict_outputs(TwoHeads(), loader)


def test_tqdm_disable_hides_the_training_bar():
    # tqdm reads TQDM_DISABLE when it is imported, so a fresh interpreter; the book's build sets it.
    import os
    import subprocess
    import sys

    script = """
import torch
from torch.utils.data import DataLoader
from transformers import BertConfig, BertForSequenceClassification
from companion import training
config = BertConfig(vocab_size=16, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                    intermediate_size=16, max_position_embeddings=8)
rows = [{"input_ids": torch.arange(4) + i, "labels": torch.tensor(i % 2)} for i in range(8)]
training.train(BertForSequenceClassification(config), DataLoader(rows, batch_size=4), epochs=1)
"""
    shown = {}
    for value in ("unset", "1"):  # not "0": tqdm reads any non-empty value as true
        env = {k: v for k, v in os.environ.items() if k != "TQDM_DISABLE"} | {"OMP_NUM_THREADS": "1"}
        env |= {} if value == "unset" else {"TQDM_DISABLE": value}
        run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        shown[value] = "training: 100%" in run.stderr
    assert shown == {"unset": True, "1": False}


def test_fused_adamw_is_the_default_and_trains_the_weights_the_unfused_loop_does(monkeypatch):
    made = []
    adamw = torch.optim.AdamW
    monkeypatch.setattr(torch.optim, "AdamW", lambda *args, **kwargs: made.append(kwargs) or adamw(*args, **kwargs))
    loader = DataLoader(ContainsToken(64, seed=3), batch_size=16)  # in order: both runs see the same batches
    weights = {}
    for fused in (True, False):
        model = tiny_classifier()
        runtime.seed_everything(0)  # the same dropout masks in both runs
        options = {} if fused else {"fused_adamw": False}
        training.train(model, loader, epochs=2, lr=1e-3, progress=False, **options)
        weights[fused] = torch.cat([parameter.detach().flatten() for parameter in model.parameters()])
    assert [kwargs.get("fused") for kwargs in made] == [True, None]  # None: PyTorch's default
    assert torch.allclose(weights[True], weights[False], atol=1e-5)  # the same arithmetic, to rounding
    assert not torch.equal(weights[True], tiny_classifier_weights())  # and the weights did move


def tiny_classifier_weights() -> torch.Tensor:
    return torch.cat([parameter.detach().flatten() for parameter in tiny_classifier().parameters()])


def test_grouped_loader_can_serve_the_same_batches_in_a_random_order():
    from datasets import Dataset
    from transformers import DataCollatorWithPadding

    lengths = np.random.default_rng(0).integers(3, 60, size=1600)
    encoded = Dataset.from_dict(
        {"input_ids": [[5] * int(n) for n in lengths], "attention_mask": [[1] * int(n) for n in lengths]}
    )
    collate = DataCollatorWithPadding(_tokenizer_for_padding())

    def batch_lengths(**options) -> list[tuple[int, ...]]:
        loader = training.grouped_loader(encoded, batch_size=16, collate_fn=collate, seed=3, **options)
        return [tuple(batch["attention_mask"].sum(dim=1).tolist()) for batch in loader]

    grouped, shuffled = batch_lengths(), batch_lengths(shuffle_batches=True)
    assert sorted(grouped) == sorted(shuffled) and grouped != shuffled  # the same batches, another order
    assert shuffled == batch_lengths(shuffle_batches=True)  # seeded
    longest = [max(batch) for batch in grouped[:50]]
    # grouped: within each group of batches (here 25: 1,600 items // (4 x 16)), from the longest items to the shortest
    assert np.mean(longest[:10]) > np.mean(longest[-10:]) + 20
    # shuffled: no run from long to short (the first and last ten batches of 100 are alike)
    longest = [max(batch) for batch in shuffled]
    assert abs(np.mean(longest[:10]) - np.mean(longest[-10:])) < 15
