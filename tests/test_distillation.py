"""Tests of companion.distillation: which layers a student keeps, that it runs, and the soft-target loss."""

from __future__ import annotations

import math

import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification

from companion import distillation
from companion.numerics import assert_same_up_to_rounding


@pytest.fixture(scope="module")
def teacher():
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=50,
        hidden_size=16,
        num_hidden_layers=6,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=16,
        num_labels=2,
    )
    return BertForSequenceClassification(config).eval()


def test_student_layers():
    assert distillation.student_layers(6, 3) == [1, 3, 5]  # one in two, ending at the top layer
    assert distillation.student_layers(12, 6) == [1, 3, 5, 7, 9, 11]
    assert distillation.student_layers(6, 3, strategy="first") == [0, 1, 2]
    assert distillation.student_layers(6, 6) == list(range(6))
    with pytest.raises(ValueError, match="num_layers"):
        distillation.student_layers(6, 7)
    with pytest.raises(ValueError, match="unknown strategy"):
        distillation.student_layers(6, 3, strategy="last")


def test_student_copies_the_chosen_layers(teacher):
    student = distillation.student_from_teacher(teacher, num_layers=3)
    assert student.config.num_hidden_layers == 3 and teacher.config.num_hidden_layers == 6
    assert len(student.bert.encoder.layer) == 3 and len(teacher.bert.encoder.layer) == 6
    for kept, original in zip(student.bert.encoder.layer, [1, 3, 5]):
        for a, b in zip(kept.parameters(), teacher.bert.encoder.layer[original].parameters()):
            assert torch.equal(a, b) and a.data_ptr() != b.data_ptr()  # equal values, separate copies
    assert torch.equal(student.classifier.weight, teacher.classifier.weight)
    ids = torch.randint(5, 50, (2, 8))
    assert student(input_ids=ids).logits.shape == (2, 2)


def test_student_with_every_layer_equals_teacher(teacher):
    student = distillation.student_from_teacher(teacher, layers=range(6)).eval()
    ids = torch.randint(5, 50, (2, 8))
    with torch.no_grad():
        assert_same_up_to_rounding(student(input_ids=ids).logits, teacher(input_ids=ids).logits)


def test_student_errors(teacher):
    with pytest.raises(ValueError, match="num_layers"):
        distillation.student_from_teacher(teacher)
    with pytest.raises(ValueError, match="distinct"):
        distillation.student_from_teacher(teacher, layers=[0, 0])
    with pytest.raises(TypeError, match="encoder.layer"):
        distillation.student_from_teacher(torch.nn.Linear(2, 2), num_layers=1)


def test_soft_target_loss():
    logits = torch.tensor([[2.0, -1.0], [0.5, 0.3]])
    assert distillation.soft_target_loss(logits, logits).abs().item() < 1e-6  # KL of a distribution to itself
    teacher = torch.tensor([[1.0, 0.0]])
    student = torch.tensor([[0.0, 1.0]])
    p = torch.softmax(teacher / 2, -1)
    q = torch.softmax(student / 2, -1)
    expected = 4 * (p * (p.log() - q.log())).sum().item()  # T² · KL(p ‖ q) at T = 2
    assert math.isclose(distillation.soft_target_loss(student, teacher, temperature=2).item(), expected, rel_tol=1e-5)
    with pytest.raises(ValueError, match="same shape"):
        distillation.soft_target_loss(student, torch.zeros(1, 3))


def test_distillation_loss_mixes_soft_and_hard(teacher):
    batch = {
        "input_ids": torch.randint(5, 50, (4, 8)),
        "labels": torch.tensor([0, 1, 1, 0]),
        "teacher_logits": torch.randn(4, 2),
    }
    parts = distillation.distillation_loss(temperature=3.0, alpha=0.25)(teacher, batch)
    assert_same_up_to_rounding(parts["loss"], 0.25 * parts["soft_loss"] + 0.75 * parts["hard_loss"])
    hard_only = distillation.distillation_loss(alpha=0.0)(teacher, batch)
    assert_same_up_to_rounding(
        hard_only["loss"], teacher(**{k: v for k, v in batch.items() if k != "teacher_logits"}).loss
    )
    with pytest.raises(KeyError, match="teacher_logits"):
        distillation.distillation_loss()(teacher, {"input_ids": batch["input_ids"], "labels": batch["labels"]})
    with pytest.raises(ValueError, match="alpha"):
        distillation.distillation_loss(alpha=1.5)


def test_distillation_loss_gives_an_unlabelled_sentence_only_its_soft_term(teacher):
    batch = {
        "input_ids": torch.randint(5, 50, (4, 8)),
        "labels": torch.tensor([0, -100, 1, -100]),  # -100: a transfer-set sentence, labelled by the teacher only
        "teacher_logits": torch.randn(4, 2),
    }
    parts = distillation.distillation_loss(temperature=2.0, alpha=0.5)(teacher, batch)
    logits = teacher(input_ids=batch["input_ids"]).logits
    hard_rows = torch.nn.functional.cross_entropy(logits[[0, 2]], batch["labels"][[0, 2]], reduction="sum") / 4
    assert_same_up_to_rounding(parts["hard_loss"], hard_rows)  # the labelled rows' CE, each sentence weighing 1/4
    assert_same_up_to_rounding(parts["loss"], 0.5 * parts["soft_loss"] + 0.5 * parts["hard_loss"])
    unlabelled = {**batch, "labels": torch.full((4,), -100)}
    assert distillation.distillation_loss()(teacher, unlabelled)["hard_loss"].item() == 0.0
