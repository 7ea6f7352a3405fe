"""One fine-tuning loop for every chapter: AdamW, linear warm-up/decay, a tqdm bar, a history, on Accelerate."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch
from accelerate import Accelerator, PartialState
from accelerate.utils import parse_flag_from_env
from torch.utils.data import DataLoader, Sampler
from tqdm.auto import tqdm
from transformers import get_linear_schedule_with_warmup
from transformers.trainer_pt_utils import LengthGroupedSampler  # the Trainer's own sampler (group_by_length)

from companion import runtime

FUSED_ADAMW_DEVICES = frozenset({"cpu", "cuda", "mps", "xpu"})  # where torch.optim.AdamW(fused=True) runs
EvalFn = Callable[[torch.nn.Module], dict[str, float]]
LossFn = Callable[[torch.nn.Module, dict], "torch.Tensor | dict[str, torch.Tensor]"]


@dataclass
class History:
    """What a training run recorded: one row per optimizer step, one per evaluation."""

    steps: list[dict[str, float]] = field(default_factory=list)
    evals: list[dict[str, float]] = field(default_factory=list)
    seconds: float = 0.0

    def step_frame(self) -> pd.DataFrame:
        """Return step, epoch, loss, learning rate and any loss parts (see train's loss_fn) per optimizer step."""
        columns = ["step", "epoch", "loss", "lr"]
        frame = pd.DataFrame(self.steps, columns=None if self.steps else columns)
        return frame[columns + [name for name in frame.columns if name not in columns]]

    def eval_frame(self) -> pd.DataFrame:
        """Return step, epoch and each metric per evaluation."""
        return pd.DataFrame(self.evals)

    def last_eval(self) -> dict[str, float]:
        """Return the metrics of the latest evaluation."""
        if not self.evals:
            raise ValueError("this run recorded no evaluation: pass eval_fn to train()")
        return dict(self.evals[-1])


def train(
    model: torch.nn.Module,
    train_loader: Iterable,
    *,
    epochs: float = 1.0,
    lr: float = 5e-5,
    warmup_ratio: float = 0.1,
    weight_decay: float = 0.01,
    max_grad_norm: float = 1.0,
    eval_fn: EvalFn | None = None,
    eval_every: int | None = None,
    loss_fn: LossFn | None = None,
    mixed_precision: str = "no",
    fused_adamw: bool = True,
    progress: bool = True,
) -> History:
    """Train a model on batches (its forward's .loss, or loss_fn(model, batch)); return its History.

    loss_fn may return a tensor or a dict with "loss" (what is minimized) and named parts that the
    history records per step, e.g. {"loss": mlm + nsp, "mlm_loss": mlm, "nsp_loss": nsp}.

    Under several processes (`accelerate launch --num_processes N`), each process sees 1/N of the
    batches: an epoch is len(train_loader) / N optimizer steps, each recorded loss is the mean over the
    processes, and eval_fn runs in every process on the unwrapped model (identical weights, so identical
    metrics; give it data of its own, not a loader passed through Accelerate).

    fused_adamw=True updates the weights with PyTorch's fused AdamW kernel where the device has one (CPU,
    CUDA, MPS, XPU): the same arithmetic, to rounding, as PyTorch's default implementation (fused_adamw=False:
    a loop over the weight tensors on a CPU, grouped `foreach` kernels on an NVIDIA GPU). On a CPU the
    optimizer step itself is several times faster (chapter 7 times it); what that saves on a whole training
    step depends on the model and the precision (benchmarks/mfu.py measures it).
    """
    if epochs <= 0 or lr <= 0:
        raise ValueError(f"epochs and lr must be positive, got epochs={epochs}, lr={lr}")
    if not 0 <= warmup_ratio < 1:
        raise ValueError(f"warmup_ratio must be in [0, 1), got {warmup_ratio}")
    if eval_every is not None and eval_every < 1:
        raise ValueError(f"eval_every must be a positive number of steps or None, got {eval_every}")
    if len(train_loader) == 0:
        raise ValueError("train_loader is empty: check the dataset split and batch size")
    if mixed_precision == "fp16" and _process_state().device.type == "cpu":
        raise ValueError(
            "mixed_precision='fp16' needs a GPU (float16 autocast with a gradient scaler); on a "
            "CPU use 'bf16' (fast where the processor has AMX/AVX512-BF16) or 'no', or pass "
            "runtime.mixed_precision(), which chooses for the hardware"
        )

    try:
        accelerator = Accelerator(mixed_precision=mixed_precision)
    except ValueError as error:  # Accelerate fixes the precision once per process
        raise ValueError(
            f"mixed_precision={mixed_precision!r} differs from an earlier train() call in this "
            "process; Accelerate allows one setting per process: restart the kernel to change it"
        ) from error
    _check_processes(accelerator.num_processes)
    fused = fused_adamw and accelerator.device.type in FUSED_ADAMW_DEVICES
    # None, not False: False would also switch off PyTorch's own choice of the grouped kernels on a GPU
    optimizer = torch.optim.AdamW(_parameter_groups(model, weight_decay), lr=lr, fused=True if fused else None)
    model, optimizer, train_loader = accelerator.prepare(model, optimizer, train_loader)
    # Count steps on the prepared loader: under N processes each one gets ceil(batches / N) of them. The
    # schedule is stepped here once per optimizer step (not through Accelerate, which would step it N times).
    steps_per_epoch = len(train_loader)
    total_steps = max(1, round(epochs * steps_per_epoch))
    if runtime.rehearsal():  # the rehearsal proves the code runs, not that it learns
        total_steps = min(total_steps, runtime.REHEARSAL_STEPS)
    scheduler = get_linear_schedule_with_warmup(optimizer, round(warmup_ratio * total_steps), total_steps)

    history = History()
    started = time.perf_counter()
    bar = tqdm(total=total_steps, desc="training", **_bar_switch(progress and accelerator.is_local_main_process))
    step = 0
    while step < total_steps:
        model.train()
        for batch in train_loader:
            loss, parts = _loss(model, batch, loss_fn)
            accelerator.backward(loss)
            if max_grad_norm:
                accelerator.clip_grad_norm_(model.parameters(), max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            loss_value = accelerator.gather(loss.detach().float()).mean().item()  # mean over processes
            history.steps.append(
                {
                    "step": step,
                    "epoch": step / steps_per_epoch,
                    "loss": loss_value,
                    "lr": scheduler.get_last_lr()[0],
                    **{name: accelerator.gather(part.detach().float()).mean().item() for name, part in parts.items()},
                }
            )
            bar.update(1)
            bar.set_postfix(loss=f"{loss_value:.3f}", refresh=False)  # redraw at tqdm's own pace
            at_epoch_end = step % steps_per_epoch == 0 or step == total_steps
            if eval_fn is not None and (at_epoch_end or (eval_every and step % eval_every == 0)):
                model.eval()
                with torch.no_grad():
                    metrics = eval_fn(accelerator.unwrap_model(model))
                history.evals.append({"step": step, "epoch": step / steps_per_epoch, **metrics})
                model.train()
            if step == total_steps:
                break
    bar.close()
    history.seconds = time.perf_counter() - started
    model.eval()
    return history


def _bar_switch(show: bool) -> dict[str, bool]:
    # Not disable=False when shown: that would override tqdm's own switch, TQDM_DISABLE=1, which the book's
    # build sets (a static page cannot show progress, only the redrawn lines of a bar).
    return {} if show else {"disable": True}


def _process_state() -> PartialState:
    # The state Accelerator() will use: it reads ACCELERATE_USE_CPU, which a bare PartialState() ignores.
    return PartialState(cpu=parse_flag_from_env("ACCELERATE_USE_CPU"))


def _check_processes(seen: int) -> None:
    launched = int(os.environ.get("WORLD_SIZE", "1"))
    if launched > 1 and seen != launched:
        raise RuntimeError(
            f"started as {launched} processes, but Accelerate sees {seen}: "
            "each would train alone on all the data. On CPUs set ACCELERATE_USE_CPU=1 "
            "(torchrun) or use `accelerate launch --multi_gpu` on a machine with GPUs"
        )


def process_state() -> PartialState:
    """Join the process group train() will use (under torchrun or accelerate launch); refuse processes it cannot see.

    For a script that needs the process count or device before training (scripts/finetune.py); train() checks
    the same itself.
    """
    state = _process_state()
    _check_processes(state.num_processes)
    return state


def grouped_loader(
    encoded,
    *,
    batch_size: int,
    collate_fn: Callable,
    seed: int,
    length_column: str = "input_ids",
    shuffle_batches: bool = False,
) -> DataLoader:
    """Return a training DataLoader whose batches hold items of similar length, seeded (see shuffle_batches).

    The sampler is the one `Trainer(group_by_length=True)` uses: shuffle, cut into groups of up to 50 batches,
    sort each group by length, so a batch pads little and the order still changes with the seed. Within a
    group the batches then run from the longest items to the shortest (except that the longest item of all
    is swapped to the very front); shuffle_batches=True keeps the same batches but serves them in a seeded
    random order.
    """
    lengths = [len(item) for item in encoded[length_column]]
    sampler = LengthGroupedSampler(batch_size, lengths=lengths, generator=torch.Generator().manual_seed(seed))
    if not shuffle_batches:
        return DataLoader(encoded, batch_size=batch_size, sampler=sampler, collate_fn=collate_fn)
    batches = ShuffledBatches(sampler, batch_size=batch_size, generator=torch.Generator().manual_seed(seed + 1))
    return DataLoader(encoded, batch_sampler=batches, collate_fn=collate_fn)


class ShuffledBatches(Sampler[list[int]]):
    """A batch sampler: the batches that cutting another sampler's order gives, in a random order each epoch."""

    def __init__(self, sampler: Sampler[int], *, batch_size: int, generator: torch.Generator):
        self.sampler, self.batch_size, self.generator = sampler, batch_size, generator

    def __iter__(self):
        order = list(self.sampler)
        batches = [order[first : first + self.batch_size] for first in range(0, len(order), self.batch_size)]
        for index in torch.randperm(len(batches), generator=self.generator).tolist():
            yield batches[index]

    def __len__(self) -> int:
        return -(-len(self.sampler) // self.batch_size)


def predict_outputs(
    model: torch.nn.Module, loader: Iterable, *, names: tuple[str, ...] = ("logits",), progress: bool = False
) -> dict[str, np.ndarray]:
    """Return the model outputs named in `names` over a loader, and "labels" when the batches carry them.

    Batches padded to different lengths are padded again to the longest one: outputs with -1e4 and
    labels with -100, the index that losses and metrics ignore.
    """
    model.eval()
    target = next(model.parameters()).device
    collected: dict[str, list[np.ndarray]] = {name: [] for name in (*names, "labels")}
    with torch.no_grad():
        for batch in tqdm(loader, desc="predicting", **_bar_switch(progress)):
            batch = {key: value.to(target) for key, value in batch.items()}
            labels = batch.pop("labels", None)
            output = model(**batch)
            for name in names:
                if getattr(output, name, None) is None:
                    raise KeyError(f"the model's output has no {name!r}; it has {', '.join(output.keys())}")
                collected[name].append(getattr(output, name).float().cpu().numpy())
            if labels is not None:
                collected["labels"].append(labels.cpu().numpy())
    arrays = {name: _concatenate(collected[name], pad_value=-1e4) for name in names}
    if collected["labels"]:
        arrays["labels"] = _concatenate(collected["labels"], pad_value=-100)
    return arrays


def predict(model: torch.nn.Module, loader: Iterable, *, progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Return (logits, labels) over a loader; labels is empty when the batches carry none (see predict_outputs)."""
    arrays = predict_outputs(model, loader, progress=progress)
    return arrays["logits"], arrays.get("labels", np.array([], dtype=np.int64))


def _concatenate(arrays: list[np.ndarray], *, pad_value: float) -> np.ndarray:
    # Concatenate along the batch axis, padding axis 1 (sequence length) to the widest array.
    if arrays[0].ndim < 2 or len({array.shape[1] for array in arrays}) == 1:
        return np.concatenate(arrays)
    width = max(array.shape[1] for array in arrays)
    padded = [
        np.pad(array, [(0, 0), (0, width - array.shape[1])] + [(0, 0)] * (array.ndim - 2), constant_values=pad_value)
        for array in arrays
    ]
    return np.concatenate(padded)


def _loss(model: torch.nn.Module, batch: dict, loss_fn: LossFn | None) -> tuple[torch.Tensor, dict]:
    # Returns the loss to minimize and the named parts to record beside it.
    if loss_fn is None:
        loss = model(**batch).loss
        if loss is None:
            raise ValueError("the model returned no loss: the batches must contain 'labels' (or pass loss_fn)")
        return loss, {}
    result = loss_fn(model, batch)
    if isinstance(result, torch.Tensor):
        return result, {}
    if "loss" not in result:
        raise KeyError(f"loss_fn returned a dict without 'loss' (keys: {sorted(result)}): add the loss to minimize")
    return result["loss"], {name: part for name, part in result.items() if name != "loss"}


def _parameter_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    # BERT's recipe: no weight decay on biases and LayerNorm weights.
    decay, no_decay = [], []
    for parameter in model.parameters():
        if not parameter.requires_grad:
            continue
        (no_decay if parameter.ndim < 2 else decay).append(parameter)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
