"""Datasets by name: the local mirror in the fast profile (sha256-checked, subsampled), the hub in full."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

import datasets

from companion import runtime

DATA_ENV = "BERTBOOK_DATA"

# Hub location of each mirrored dataset for the full profile: (repository, config or None).
# gutenberg_prose has no hub twin; the full profile reads the (complete) mirror for it.
HUB_SOURCES: dict[str, tuple[str, str | None] | None] = {
    "sst2": ("nyu-mll/glue", "sst2"),
    "rotten_tomatoes": ("cornell-movie-review-data/rotten_tomatoes", None),
    "ag_news": ("fancyzhx/ag_news", None),
    "bbc_news": ("SetFit/bbc-news", None),
    "trec": ("CogComp/trec", None),
    "wnut_17": ("leondz/wnut_17", None),
    "squad": ("rajpurkar/squad", None),
    "squad_v2": ("rajpurkar/squad_v2", None),
    "multi30k": ("bentrevett/multi30k", None),
    "mrpc": ("nyu-mll/glue", "mrpc"),
    "stsb": ("sentence-transformers/stsb", None),
    "gutenberg_prose": None,
}


class MirrorError(RuntimeError):
    """The local dataset mirror is missing, incomplete or corrupt."""


class HubUnavailableError(RuntimeError):
    """The full profile needs the Hugging Face hub and could not reach it."""


def mirror_dir() -> Path:
    """Return the dataset mirror folder: $BERTBOOK_DATA, else the nearest shared/data above cwd or this package."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        path = Path(configured).expanduser().resolve()
        if not (path / "manifest.json").is_file():
            raise MirrorError(
                f"{DATA_ENV}={configured!r} has no manifest.json; point {DATA_ENV} at the mirror folder "
                f"(the one holding manifest.json and sst2/, squad/, ...)"
            )
        return path
    starts = [Path.cwd().resolve(), Path(__file__).resolve().parent]
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / "shared" / "data"
            if (candidate / "manifest.json").is_file():
                return candidate
    raise MirrorError(
        "no dataset mirror found: set BERTBOOK_DATA to the folder holding manifest.json "
        "(e.g. export BERTBOOK_DATA=../shared/data), or use the hub with BERTBOOK_PROFILE=full"
    )


def manifest() -> dict[str, dict]:
    """Return the mirror's manifest entries by dataset name."""
    with open(mirror_dir() / "manifest.json", encoding="utf-8") as handle:
        return {entry["name"]: entry for entry in json.load(handle)["datasets"]}


def dataset_names() -> list[str]:
    """Return the names load_split accepts."""
    return sorted(HUB_SOURCES)


def split_names(name: str) -> list[str]:
    """Return the splits the mirror holds for a dataset."""
    return [item["split"] for item in _entry(name)["files"]]


def label_names(name: str, column: str = "label") -> list[str]:
    """Return the class names of a label column (index = integer label)."""
    names = _entry(name).get("label_names")
    if isinstance(names, dict):
        if column not in names:
            raise KeyError(f"{name!r} has label columns {', '.join(names)}, not {column!r}")
        return list(names[column])
    if names is None:
        raise KeyError(f"{name!r} has no label column")
    return list(names)


def load_split(name: str, split: str, *, fast_rows: int | None = None, seed: int = 0) -> datasets.Dataset:
    """Load one split as a datasets.Dataset; in the fast profile a seeded sample of fast_rows rows (None: all)."""
    if name not in HUB_SOURCES:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(dataset_names())}")
    if fast_rows is not None and fast_rows < 1:
        raise ValueError(f"fast_rows must be a positive number of rows or None, got {fast_rows}")
    if runtime.profile() == "full":
        return _load_from_hub(name, split) if HUB_SOURCES[name] is not None else _load_from_mirror(name, split)
    table = _load_from_mirror(name, split)
    if fast_rows is not None and fast_rows < len(table):
        table = table.shuffle(seed=seed).select(range(fast_rows)).flatten_indices()
    return table


def _entry(name: str) -> dict:
    entries = manifest()
    if name not in entries:
        raise KeyError(f"unknown dataset {name!r}; the mirror holds: {', '.join(sorted(entries))}")
    return entries[name]


def _load_from_mirror(name: str, split: str) -> datasets.Dataset:
    entry = _entry(name)
    files = {item["split"]: item for item in entry["files"]}
    if split not in files:
        raise ValueError(f"dataset {name!r} has no split {split!r}; splits: {', '.join(files)}")
    path = mirror_dir() / files[split]["path"]
    if not path.is_file():
        raise MirrorError(f"{path} is missing from the mirror; re-copy the mirror or set {DATA_ENV}")
    stat = path.stat()
    digest = _sha256(str(path), stat.st_size, stat.st_mtime_ns)
    if digest != files[split]["sha256"]:
        raise MirrorError(
            f"{path} does not match manifest.json (sha256 {digest[:12]}… ≠ {files[split]['sha256'][:12]}…); "
            "the mirror is corrupt or was edited: re-copy it"
        )
    table = datasets.Dataset.from_json(str(path), split=split)
    return _with_class_labels(table, entry.get("label_names"))


@functools.lru_cache(maxsize=None)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _with_class_labels(table: datasets.Dataset, names: list[str] | dict | None) -> datasets.Dataset:
    if names is None:
        return table
    by_column = names if isinstance(names, dict) else {_label_column(table): names}
    for column, column_names in by_column.items():
        label = datasets.ClassLabel(names=list(column_names))
        is_sequence = isinstance(table.features[column], (datasets.List, datasets.Sequence))
        table = table.cast_column(column, datasets.List(label) if is_sequence else label)
    return table


def _label_column(table: datasets.Dataset) -> str:
    for column in ("label", "ner_tags"):
        if column in table.column_names:
            return column
    raise KeyError(f"no label column among {table.column_names}")


def _load_from_hub(name: str, split: str) -> datasets.Dataset:
    repository, config = HUB_SOURCES[name]
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false", "False"):
        raise HubUnavailableError(
            f"the full profile loads {repository} from the hub, but HF_HUB_OFFLINE is set; "
            "unset HF_HUB_OFFLINE, or run offline with BERTBOOK_PROFILE=fast"
        )
    try:
        table = datasets.load_dataset(repository, config, split=split)
    except ValueError as error:  # the hub answered but has no such split
        raise ValueError(f"{repository} has no split {split!r}: {error}") from error
    except Exception as error:  # network, DNS or hub errors all mean the same to the reader
        raise HubUnavailableError(
            f"could not load {repository} from the hub ({type(error).__name__}: {error}); "
            "connect to the internet, or run offline with BERTBOOK_PROFILE=fast"
        ) from error
    if name == "multi30k":  # the hub has flat en/de columns; the book uses the wmt layout
        table = table.map(lambda row: {"translation": {"en": row["en"], "de": row["de"]}},
                          remove_columns=["en", "de"])
    return table
