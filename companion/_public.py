"""The public sources behind ``companion.data``: each downloaded once, adapted to the book's columns, then cached.

Three kinds: a Hugging Face hub repository at a pinned revision (``HubSource``), NLTK's Gutenberg texts at a
pinned commit (``GutenbergSource``) and a zip archive of labelled sentences (``ZipSource``), the last two with a
sha256 per file. Read through ``companion.data.load_split``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import datasets

from companion import cache
from companion._mirror import DATA_ENV, MirrorError

HUB_ROOT = "hf://datasets"  # where hub repositories are read from (tests point it at local files)
_CACHE_FORMAT = 1  # bump when an adapter changes, so stale cached tables are not reused


class DataUnavailableError(MirrorError):
    """Neither a mirror nor the public source (offline or unreachable) can provide a dataset."""


@dataclass(frozen=True)
class HubSource:
    """Files of a hub dataset repository at a pinned revision: split -> path pattern inside the repository."""

    repository: str
    revision: str  # a 40-hex commit sha (tests refuse branch names)
    files: Mapping[str, str]  # split -> glob inside the repository
    builder: str = "parquet"  # datasets' packaged builder for those files

    @property
    def splits(self) -> tuple[str, ...]:
        return tuple(self.files)

    def describe(self) -> str:
        return f"the hub's {self.repository} at revision {self.revision}"


@dataclass(frozen=True)
class GutenbergSource:
    """Plain-text books from NLTK's Gutenberg corpus at a pinned commit: split -> ((file name, sha256), ...)."""

    base_url: str
    commit: str
    files: Mapping[str, tuple[tuple[str, str], ...]]

    @property
    def splits(self) -> tuple[str, ...]:
        return tuple(self.files)

    def describe(self) -> str:
        return f"NLTK's Gutenberg texts at {self.base_url.format(commit=self.commit)}"


@dataclass(frozen=True)
class ZipSource:
    """Tab-separated 'sentence<TAB>label' files in a zip archive at a fixed address.

    files: split -> ((domain, file, sha256), ...)."""

    url: str
    files: Mapping[str, tuple[tuple[str, str, str], ...]]  # the sha256 is of the file with LF line ends

    @property
    def splits(self) -> tuple[str, ...]:
        return tuple(self.files)

    def describe(self) -> str:
        return f"the archive {self.url}"


Source = HubSource | GutenbergSource | ZipSource


def load(
    name: str, public: Source, split: str, prepare: Callable[[datasets.Dataset, str], datasets.Dataset]
) -> datasets.Dataset:
    """Return one split of dataset name from its public source: the cached copy, else downloaded, prepared, cached."""
    if split not in public.files:
        raise ValueError(
            f"dataset {name!r} has no split {split!r} in its public source "
            f"({public.describe()}); splits: {', '.join(public.splits)}"
        )
    cached = _cached_path(name, public, split)
    if cached.is_dir():
        return datasets.load_from_disk(str(cached))
    if _offline():
        raise _unavailable(name, public, "HF_HUB_OFFLINE is set")
    try:
        if isinstance(public, HubSource):
            table = _fetch_hub(public, split)
        elif isinstance(public, ZipSource):
            table = _build_labelled_sentences(public, split)
        else:
            table = _build_gutenberg(public, split)
    except DataUnavailableError:
        raise
    except Exception as error:
        if _is_network_error(error):
            raise _unavailable(name, public, f"{type(error).__name__}: {error}") from error
        raise
    _store(prepare(table, split), cached)
    return datasets.load_from_disk(str(cached))


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "0").strip().lower() not in ("", "0", "false", "no", "off")


def _unavailable(name: str, public: Source, why: str) -> DataUnavailableError:
    return DataUnavailableError(
        f"{name!r} is not in a local dataset mirror and its public source ({public.describe()}) "
        f"cannot be read ({why}). Two ways out: (1) get the book's dataset mirror and point {DATA_ENV} at it "
        f"(export {DATA_ENV}=/path/to/data, the folder holding manifest.json), or (2) go online (and unset "
        f"HF_HUB_OFFLINE if it is set) so that the dataset is downloaded once into {cache.cache_dir()}."
    )


def _is_network_error(error: BaseException) -> bool:
    network = (ConnectionError, TimeoutError, socket.gaierror, urllib.error.URLError)
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        name = type(error).__name__
        if isinstance(error, network) or name in (
            "OfflineModeIsEnabled",
            "ConnectError",
            "ConnectTimeout",
            "ReadTimeout",
            "TimeoutException",
            "LocalEntryNotFoundError",
        ):
            return True
        error = error.__cause__ or error.__context__
    return False


def _cached_path(name: str, public: Source, split: str) -> Path:
    key = json.dumps([_CACHE_FORMAT, public.describe(), public.files[split]], sort_keys=True)
    return cache.cache_dir() / name / f"{split}-{cache.sha256_of_bytes(key.encode())[:16]}"


def _store(table: datasets.Dataset, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    try:
        table.save_to_disk(str(staging))
        try:
            staging.rename(path)
        except OSError:  # another process stored it first
            if not path.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _fetch_url(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (a fixed https address)
        return response.read()


# ---------------------------------------------------------------------------------------------------------
# Hub repositories at a pinned revision
# ---------------------------------------------------------------------------------------------------------


def hub_url(repository: str, revision: str, pattern: str) -> str:
    """Return the address of files in a hub dataset repository at a revision (branch names with '/' escaped)."""
    return f"{HUB_ROOT}/{repository}@{urllib.parse.quote(revision, safe='')}/{pattern}"


def _fetch_hub(public: HubSource, split: str) -> datasets.Dataset:
    url = hub_url(public.repository, public.revision, public.files[split])
    return datasets.load_dataset(
        public.builder, data_files={split: url}, split=split, cache_dir=str(cache.cache_dir() / "hub")
    )


# ---------------------------------------------------------------------------------------------------------
# gutenberg_prose: NLTK's Gutenberg texts -> one row per paragraph, book-level splits
# ---------------------------------------------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    """Split a book into paragraphs: blank-line separated, internal whitespace collapsed, empty ones dropped."""
    blocks = re.split(r"\n[ \t\r\f\v]*\n", text.replace("\r\n", "\n"))
    return [collapsed for block in blocks if (collapsed := " ".join(block.split()))]


def build_gutenberg(texts: list[str]) -> list[dict[str, str]]:
    """Return the rows of one split from its books' texts, in book order (the mirror's gutenberg_prose layout)."""
    return [{"text": paragraph} for text in texts for paragraph in paragraphs(text)]


def _gutenberg_text(public: GutenbergSource, file_name: str, sha256: str) -> str:
    path = cache.cache_dir() / "gutenberg" / public.commit / file_name
    if path.is_file() and cache.sha256_of(path) == sha256:
        raw = path.read_bytes()
    else:
        raw = _fetch_url(f"{public.base_url.format(commit=public.commit)}/{file_name}")
        digest = cache.sha256_of_bytes(raw)
        if digest != sha256:
            raise ValueError(
                f"{file_name} from {public.describe()} has sha256 {digest[:12]}…, expected "
                f"{sha256[:12]}…: the public copy changed; use the mirror ({DATA_ENV})"
            )
        with cache.atomic_file(path) as staging:
            staging.write_bytes(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _build_gutenberg(public: GutenbergSource, split: str) -> datasets.Dataset:
    texts = [_gutenberg_text(public, file_name, sha256) for file_name, sha256 in public.files[split]]
    rows = build_gutenberg(texts)
    return datasets.Dataset.from_dict(
        {"text": [row["text"] for row in rows]}, features=datasets.Features({"text": datasets.Value("string")})
    )


# ---------------------------------------------------------------------------------------------------------
# sentiment_sentences: UCI's labelled sentences, one 'sentence<TAB>label' line each, one file per domain
# ---------------------------------------------------------------------------------------------------------


def build_labelled_sentences(files: list[tuple[str, str]]) -> list[dict]:
    """Return rows (sentence, label, domain, idx) from (domain, file text) pairs, in file and line order."""
    rows = []
    for domain, text in files:
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
            if not line:
                continue
            sentence, tab, label = line.rpartition("\t")
            if not tab or label.strip() not in ("0", "1"):
                raise ValueError(f"{domain} line {number} is not 'sentence<TAB>0|1': {line[:60]!r}")
            # split on the tab only: quotes stay as written (a CSV reader would merge lines at stray quotes)
            rows.append({"sentence": sentence.rstrip(" "), "label": int(label), "domain": domain, "idx": len(rows)})
    return rows


def _archive(public: ZipSource) -> Path:
    path = (
        cache.cache_dir()
        / "archives"
        / cache.sha256_of_bytes(public.url.encode())[:16]
        / Path(urllib.parse.urlparse(public.url).path).name
    )
    if not path.is_file():
        raw = _fetch_url(public.url)
        with cache.atomic_file(path) as staging:  # an interrupted download never sits in the cache
            staging.write_bytes(raw)
    return path


def _build_labelled_sentences(public: ZipSource, split: str) -> datasets.Dataset:
    texts = []
    with zipfile.ZipFile(_archive(public)) as archive:
        names = [name for name in archive.namelist() if not name.startswith("__MACOSX/")]
        for domain, file_name, sha256 in public.files[split]:
            found = [name for name in names if name.rsplit("/", 1)[-1] == file_name]
            if len(found) != 1:
                raise ValueError(f"{public.describe()} holds {len(found)} files named {file_name!r}, expected 1")
            raw = archive.read(found[0]).replace(b"\r\n", b"\n")
            digest = cache.sha256_of_bytes(raw)  # before decoding: a file in another encoding fails here
            if digest != sha256:
                raise ValueError(
                    f"{file_name} in {public.describe()} has sha256 {digest[:12]}…, expected "
                    f"{sha256[:12]}…: the public copy differs from the book's; use the mirror "
                    f"({DATA_ENV})"
                )
            texts.append((domain, raw.decode("utf-8")))
    features = datasets.Features(
        {
            "sentence": datasets.Value("string"),
            "label": datasets.Value("int64"),
            "domain": datasets.Value("string"),
            "idx": datasets.Value("int32"),
        }
    )
    return datasets.Dataset.from_list(build_labelled_sentences(texts), features=features)
