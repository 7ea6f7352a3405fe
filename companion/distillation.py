"""Knowledge distillation: a student built from a teacher's layers, and the soft-label loss it learns from."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F

STRATEGIES = ("every_other", "first")


def student_layers(teacher_layers: int, num_layers: int, *, strategy: str = "every_other") -> list[int]:
    """Return which teacher layers a num_layers student keeps: evenly spaced (ending at the top) or the first ones."""
    if not 1 <= num_layers <= teacher_layers:
        raise ValueError(f"num_layers must lie in [1, {teacher_layers}] (the teacher's depth), got {num_layers}")
    if strategy == "first":
        return list(range(num_layers))
    if strategy == "every_other":  # DistilBERT: one layer in two; in general evenly spaced, keeping the top layer
        step = teacher_layers / num_layers
        return [round(step * (i + 1)) - 1 for i in range(num_layers)]
    raise ValueError(f"unknown strategy {strategy!r}; known: {', '.join(STRATEGIES)}")


def student_from_teacher(
    teacher: torch.nn.Module,
    *,
    num_layers: int | None = None,
    strategy: str = "every_other",
    layers: Sequence[int] | None = None,
) -> torch.nn.Module:
    """Return a copy of a BERT-style model keeping only some encoder layers (embeddings and heads copied too)."""
    base = getattr(teacher, "base_model", teacher)
    encoder_layers = getattr(getattr(base, "encoder", None), "layer", None)
    if not isinstance(encoder_layers, torch.nn.ModuleList):
        raise TypeError(f"{type(teacher).__name__} has no .encoder.layer list; pass a transformers BERT-style model")
    depth = len(encoder_layers)
    if layers is None:
        if num_layers is None:
            raise ValueError("pass num_layers (with a strategy) or an explicit list of layers")
        layers = student_layers(depth, num_layers, strategy=strategy)
    layers = list(layers)
    if not layers or any(not 0 <= i < depth for i in layers) or len(set(layers)) != len(layers):
        raise ValueError(f"layers must be distinct indices in [0, {depth}), got {layers}")
    student = copy.deepcopy(teacher)
    student_base = getattr(student, "base_model", student)
    student_base.encoder.layer = torch.nn.ModuleList(student_base.encoder.layer[i] for i in layers)
    for position, layer in enumerate(student_base.encoder.layer):  # keep layer_idx consistent with the new depth
        attention = getattr(getattr(layer, "attention", None), "self", None)
        if attention is not None and hasattr(attention, "layer_idx"):
            attention.layer_idx = position
    student.config.num_hidden_layers = len(layers)
    return student


def soft_target_loss(
    student_logits: torch.Tensor, teacher_logits: torch.Tensor, *, temperature: float = 2.0
) -> torch.Tensor:
    """Return T² · KL(softmax(teacher/T) ‖ softmax(student/T)), averaged over the batch (Hinton et al. 2015)."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    if student_logits.shape != teacher_logits.shape:
        raise ValueError(
            f"student logits {tuple(student_logits.shape)} and teacher logits "
            f"{tuple(teacher_logits.shape)} must have the same shape (batch, classes)"
        )
    student_log_p = F.log_softmax(student_logits.float() / temperature, dim=-1)  # (batch, classes)
    teacher_log_p = F.log_softmax(teacher_logits.float() / temperature, dim=-1)
    kl = F.kl_div(student_log_p, teacher_log_p, reduction="batchmean", log_target=True)
    return kl * temperature**2  # keeps the gradient's size independent of T


def distillation_loss(
    *, temperature: float = 2.0, alpha: float = 0.5, teacher_key: str = "teacher_logits"
) -> Callable[[torch.nn.Module, dict], dict]:
    """Return a training.train loss_fn: alpha · soft-target KL (batch[teacher_key]) + (1 - alpha) · CE on labels.

    A label of -100 marks a sentence without one (a transfer-set sentence that only the teacher labelled): it
    adds only its soft term. Both terms are means over the batch's sentences, so each sentence weighs the same.
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha (the weight of the soft targets) must lie in [0, 1], got {alpha}")
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")

    def loss_fn(model: torch.nn.Module, batch: dict) -> dict[str, torch.Tensor]:
        if teacher_key not in batch or "labels" not in batch:
            raise KeyError(f"the batch needs {teacher_key!r} (the teacher's logits) and 'labels'; got {sorted(batch)}")
        inputs = {key: value for key, value in batch.items() if key not in (teacher_key, "labels")}
        logits = model(**inputs).logits  # (batch, classes)
        soft = soft_target_loss(logits, batch[teacher_key], temperature=temperature)
        # per sentence; 0 where the label is -100 (cross_entropy's ignore_index); the mean over every sentence
        hard = F.cross_entropy(logits.float(), batch["labels"], reduction="none").mean()
        return {"loss": alpha * soft + (1 - alpha) * hard, "soft_loss": soft, "hard_loss": hard}

    return loss_fn
