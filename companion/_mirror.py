"""The local dataset mirror behind ``companion.data``: JSON Lines files listed, with their sha256, in manifest.json.

Read through ``companion.data`` (``find_mirror``, ``mirror_dir``, ``manifest``, ``load_split``).
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import datasets

from companion import cache

DATA_ENV = "BERTBOOK_DATA"  # the mirror folder (holds manifest.json)


class MirrorError(RuntimeError):
    """The local dataset mirror is missing, incomplete or corrupt."""


def _search_starts() -> tuple[Path, ...]:
    """Where find_mirror starts looking upwards for shared/data: the working folder, then this package's folder."""
    return (Path.cwd().resolve(), Path(__file__).resolve().parent)


def find_mirror() -> Path | None:
    """Return the mirror folder ($BERTBOOK_DATA, else the nearest shared/data above cwd or this package), or None."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        path = Path(configured).expanduser().resolve()
        if not (path / "manifest.json").is_file():
            raise MirrorError(
                f"{DATA_ENV}={configured!r} has no manifest.json; point {DATA_ENV} at the mirror folder "
                f"(the one holding manifest.json and sst2/, squad/, ...), or unset it to use the public sources"
            )
        return path
    for start in _search_starts():
        for folder in (start, *start.parents):
            candidate = folder / "shared" / "data"
            if (candidate / "manifest.json").is_file():
                return candidate
    return None


def mirror_dir() -> Path:
    """Return the dataset mirror folder, or raise MirrorError saying how to point at one."""
    found = find_mirror()
    if found is None:
        raise MirrorError(
            "no dataset mirror found: set BERTBOOK_DATA to the folder holding manifest.json "
            "(e.g. export BERTBOOK_DATA=../shared/data); without a mirror the book reads the public sources"
        )
    return found


def manifest() -> dict[str, dict]:
    """Return the mirror's manifest entries by dataset name."""
    return read_manifest(mirror_dir())


def read_manifest(folder: Path) -> dict[str, dict]:
    """Return the manifest entries by dataset name of the mirror in folder (read once per folder)."""
    return _manifest(str(folder))


@functools.lru_cache(maxsize=8)
def _manifest(folder: str) -> dict[str, dict]:
    with open(Path(folder) / "manifest.json", encoding="utf-8") as handle:
        return {entry["name"]: entry for entry in json.load(handle)["datasets"]}


def entry(folder: str) -> dict:
    """Return the manifest entry of one mirror folder (its files, sha256, features and label names)."""
    entries = manifest()
    if folder not in entries:
        raise KeyError(f"the mirror has no {folder!r}; it holds: {', '.join(sorted(entries))}")
    return entries[folder]


def load(name: str, folder: str, split: str) -> datasets.Dataset:
    """Return one split of a mirror folder as written (plain integer labels), after checking its sha256."""
    files = {item["split"]: item for item in entry(folder)["files"]}
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
    return datasets.Dataset.from_json(str(path), split=split)


@functools.cache
def _sha256(path: str, size: int, mtime_ns: int) -> str:  # a file is hashed again only once it changes
    return cache.sha256_of(path)
