"""Datasets by name, from the local mirror (offline, as CI) or from their public source (downloaded once, cached).

Every dataset is declared once in ``DATASETS``: the mirror folder that holds it, its public source (a Hugging
Face hub repository at a pinned revision, or NLTK's Gutenberg texts at a pinned commit with a sha256 per file),
and a small adapter from the public layout to the book's columns. How each source was found, and how it differs from the
mirror, is data: ``companion/datasets.json``, read by ``provenance(name)``. ``load_split`` resolves each dataset to
``$BERTBOOK_DATA`` or a mirror beside the checkout, else to the public source; ``source(name)`` says which.
The profile does not choose the source: ``fast`` takes a seeded sample of ``fast_rows`` rows, ``full`` all rows.
"""

from __future__ import annotations

import functools
import hashlib
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
from dataclasses import dataclass, field
from pathlib import Path

import datasets

from companion import runtime

DATA_ENV = "BERTBOOK_DATA"  # the mirror folder (holds manifest.json)
CACHE_ENV = "BERTBOOK_CACHE"  # where public sources are cached (default ~/.cache/bertbook)
SOURCE_ENV = "BERTBOOK_SOURCE"  # "mirror" or "public" forces a source; unset (or "auto") resolves
SOURCES = ("mirror", "public")
HUB_ROOT = "hf://datasets"  # where hub repositories are read from (tests point it at local files)
_CACHE_FORMAT = 1  # bump when an adapter changes, so stale cached tables are not reused
PROVENANCE = Path(__file__).with_name("datasets.json")  # how each public source was found; shipped with the package


class MirrorError(RuntimeError):
    """The local dataset mirror is missing, incomplete or corrupt."""


class HubUnavailableError(RuntimeError):
    """A public source could not be reached."""


class DataUnavailableError(HubUnavailableError, MirrorError):
    """Neither a mirror nor the public source (offline or unreachable) can provide a dataset."""


# ---------------------------------------------------------------------------------------------------------
# The table: one entry per dataset
# ---------------------------------------------------------------------------------------------------------

Adapter = Callable[[datasets.Dataset, str], datasets.Dataset]


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


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset: its mirror folder (None: not mirrored), its public source and the adapter to book columns."""

    name: str
    mirror: str | None
    public: HubSource | GutenbergSource | ZipSource
    adapt: Adapter = field(default=lambda table, split: table)
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # used where the source has plain ints


def _ensure_class_labels(table: datasets.Dataset, labels: Mapping[str, tuple[str, ...]]) -> datasets.Dataset:
    """Give integer label columns ClassLabel features where the source did not (its own ClassLabels are kept)."""
    for column, names in labels.items():
        if column not in table.column_names or _class_label(table.features[column]) is not None:
            continue
        label = datasets.ClassLabel(names=list(names))
        is_sequence = isinstance(table.features[column], (datasets.List, datasets.Sequence))
        table = table.cast_column(column, datasets.List(label) if is_sequence else label)
    return table


def _adapt_multi30k(table: datasets.Dataset, split: str) -> datasets.Dataset:
    # bentrevett/multi30k has flat "en"/"de" columns; the book (and the mirror) use the wmt layout
    translation = datasets.Features({"translation": {"en": datasets.Value("string"), "de": datasets.Value("string")}})
    return table.map(
        lambda row: {"translation": {"en": row["en"], "de": row["de"]}},
        remove_columns=["en", "de"],
        features=translation,
    )


def _adapt_stsb(table: datasets.Dataset, split: str) -> datasets.Dataset:
    # mteb/stsbenchmark-sts: the official STS Benchmark rows (split, genre "main-captions", dataset "MSRvid",
    # year "2012test", sid, score 0-5, sentence1, sentence2). The mirror: label = score, genre without "main-",
    # source = "<dataset> <year>", idx = row number in the official file order.
    missing = {"genre", "dataset", "year", "score", "sentence1", "sentence2"} - set(table.column_names)
    if missing:
        raise KeyError(f"the stsb public source has columns {table.column_names}; missing {sorted(missing)}")
    features = datasets.Features(
        {
            "sentence1": datasets.Value("string"),
            "sentence2": datasets.Value("string"),
            "label": datasets.Value("float32"),
            "idx": datasets.Value("int32"),
            "genre": datasets.Value("string"),
            "source": datasets.Value("string"),
        }
    )

    def row_of(row, i):
        genre = str(row["genre"]).removeprefix("main-")
        return {
            "sentence1": row["sentence1"],
            "sentence2": row["sentence2"],
            "label": float(row["score"]),
            "idx": i,
            "genre": "forum" if genre == "forums" else genre,
            "source": f"{row['dataset']} {row['year']}".strip(),
        }

    return table.map(row_of, with_indices=True, remove_columns=table.column_names, features=features)


def _adapt_trec(table: datasets.Dataset, split: str) -> datasets.Dataset:
    # older exports of trec called the columns "label-coarse"/"label-fine"; the book uses coarse_label/fine_label
    renames = {"label-coarse": "coarse_label", "label-fine": "fine_label"}
    return table.rename_columns({old: new for old, new in renames.items() if old in table.column_names})


_SENTIMENT = ("neg", "pos")
_TREC_COARSE = ("ABBR", "ENTY", "DESC", "HUM", "LOC", "NUM")
_TREC_FINE = tuple(
    "ABBR:abb ABBR:exp ENTY:animal ENTY:body ENTY:color ENTY:cremat ENTY:currency ENTY:dismed ENTY:event "
    "ENTY:food ENTY:instru ENTY:lang ENTY:letter ENTY:other ENTY:plant ENTY:product ENTY:religion ENTY:sport "
    "ENTY:substance ENTY:symbol ENTY:techmeth ENTY:termeq ENTY:veh ENTY:word DESC:def DESC:desc DESC:manner "
    "DESC:reason HUM:gr HUM:ind HUM:title HUM:desc LOC:city LOC:country LOC:mount LOC:other LOC:state NUM:code "
    "NUM:count NUM:date NUM:dist NUM:money NUM:ord NUM:other NUM:period NUM:perc NUM:speed NUM:temp "
    "NUM:volsize NUM:weight".split()
)
_WNUT = (
    "O",
    "B-corporation",
    "I-corporation",
    "B-creative-work",
    "I-creative-work",
    "B-group",
    "I-group",
    "B-location",
    "I-location",
    "B-person",
    "I-person",
    "B-product",
    "I-product",
)

_UCI_SENTENCES = "https://archive.ics.uci.edu/static/public/331/sentiment+labelled+sentences.zip"
_NLTK = "https://raw.githubusercontent.com/nltk/nltk/{commit}/nltk_data/corpora/gutenberg/{file}"

DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in [
        DatasetSpec(
            "sst2",
            "sst2",
            HubSource(
                "nyu-mll/glue",
                "a3f3ab759b9d7018046ce361f115ef38276d2e1e",
                {split: f"sst2/{split}-*.parquet" for split in ("train", "validation", "test")},
            ),
            labels={"label": ("negative", "positive")},
        ),
        DatasetSpec(
            "rotten_tomatoes",
            "rotten_tomatoes",
            HubSource(
                "cornell-movie-review-data/rotten_tomatoes",
                "b6059de032aed3fea5bfadcbef8d375559c6bfd9",
                {split: f"{split}.parquet" for split in ("train", "validation", "test")},
            ),
            labels={"label": _SENTIMENT},
        ),
        DatasetSpec(
            "ag_news",
            "ag_news",
            HubSource(
                "fancyzhx/ag_news",
                "eb185aade064a813bc0b7f42de02595523103ca4",
                {"train": "data/train-*.parquet", "test": "data/test-*.parquet"},
            ),
            labels={"label": ("World", "Sports", "Business", "Sci/Tech")},
        ),
        DatasetSpec(
            "bbc_news",
            "bbc_news",
            HubSource(
                "SetFit/bbc-news",
                "160d4af1d650b602d14cddc8df0baf07a0198643",
                {"train": "train.jsonl", "test": "test.jsonl"},
                builder="json",
            ),
            labels={"label": ("business", "entertainment", "politics", "sports", "tech")},
        ),
        DatasetSpec(
            "trec",
            "trec",
            HubSource(
                "CogComp/trec",
                "65752bf53af25bc935a0dce92fb5b6c930728450",
                {"train": "default/train/*.parquet", "test": "default/test/*.parquet"},
            ),
            adapt=_adapt_trec,
            labels={"coarse_label": _TREC_COARSE, "fine_label": _TREC_FINE},
        ),
        DatasetSpec(
            "wnut_17",
            "wnut_17",
            HubSource(
                "leondz/wnut_17",
                "1ac0b6d18c8a1a1d1606b24bef78b8af2f92d2d9",
                {split: f"wnut_17/{split}/*.parquet" for split in ("train", "validation", "test")},
            ),
            labels={"ner_tags": _WNUT},
        ),
        DatasetSpec(
            "squad",
            "squad",
            HubSource(
                "rajpurkar/squad",
                "7b6d24c440a36b6815f21b70d25016731768db1f",
                {"train": "plain_text/train-*.parquet", "validation": "plain_text/validation-*.parquet"},
            ),
        ),
        DatasetSpec(
            "squad_v2",
            "squad_v2",
            HubSource(
                "rajpurkar/squad_v2",
                "80596c4f2b9ffcd716039dfc7e564c4e491802ec",
                {"train": "squad_v2/train-*.parquet", "validation": "squad_v2/validation-*.parquet"},
            ),
        ),
        DatasetSpec(
            "multi30k",
            "multi30k",
            HubSource(
                "bentrevett/multi30k",
                "37e118600232bb5298ca011a8a7e7a44e863c36a",
                {"train": "train.jsonl", "validation": "val.jsonl", "test": "test.jsonl"},
                builder="json",
            ),
            adapt=_adapt_multi30k,
        ),
        DatasetSpec(
            "mrpc",
            "mrpc",
            HubSource(
                "nyu-mll/glue",
                "a3f3ab759b9d7018046ce361f115ef38276d2e1e",
                {split: f"mrpc/{split}-*.parquet" for split in ("train", "validation", "test")},
            ),
            labels={"label": ("not_equivalent", "equivalent")},
        ),
        DatasetSpec(
            "stsb",
            "stsb",
            HubSource(
                "mteb/stsbenchmark-sts",
                "87d9af2698a14e951a58f9571f2a1f3192185b2e",
                {split: f"{split}.jsonl.gz" for split in ("train", "validation", "test")},
                builder="json",
            ),
            adapt=_adapt_stsb,
        ),
        DatasetSpec(
            "gutenberg_prose",
            "gutenberg_prose",
            GutenbergSource(
                _NLTK.replace("{file}", "").rstrip("/"),
                "4dc39fbf6965509f7b74316eff239bd110a03b49",
                {
                    "train": (
                        ("austen-emma.txt", "71b0923d75fcf2f1faa897b22da8de8e2476d7478a2b22388eb58a3420e00215"),
                        ("austen-sense.txt", "57b169c7cfa502896dee25bd66616f61cc1d21084caf31f015176ee46fda9718"),
                        ("chesterton-ball.txt", "c6b6d4e8c09a3f49a09f37f4e47663d4d6f048b62d86c70ccafdfd8f27059a58"),
                        ("chesterton-brown.txt", "67027976205b4b30e367c704807f56c8ffac3e8ea6037d993e57ab1fe28447ec"),
                        ("melville-moby_dick.txt", "dc2466ee3c2e6e2ea1f86233d142e4b5578fdc1d6f0ca657bee7572202a980c7"),
                    ),
                    "validation": (
                        ("chesterton-thursday.txt", "8b431a2a8db84089cd6f83fa66610c3b12c04114609df6e90137c0c58f2c5493"),
                    ),
                    "test": (
                        ("austen-persuasion.txt", "cec097657cbfeb62aafe178973f514fa07ab66a5e28ea025ebd5d51ca870e40f"),
                    ),
                },
            ),
        ),
        DatasetSpec(
            "sentiment_sentences",
            "sentiment_sentences",
            ZipSource(
                _UCI_SENTENCES,
                {
                    "test": (
                        (
                            "amazon",
                            "amazon_cells_labelled.txt",
                            "47003fc0a0d4840b00e96e715b6189bad09e7443a3da41c4cbe12ffc79f86ae3",
                        ),
                        (
                            "imdb",
                            "imdb_labelled.txt",
                            "aef2e49e3da25714d61175e3a6e68eeef74a20a2f914318dc3be9947ea86512d",
                        ),
                        (
                            "yelp",
                            "yelp_labelled.txt",
                            "c76468b7b5c6e56a0804d728345c5f84aa2142ddb214420f61cc9cfd4c00d2ea",
                        ),
                    )
                },
            ),
            labels={"label": ("negative", "positive")},
        ),
    ]
}


def provenance(name: str) -> dict[str, str]:
    """Return what the book recorded about a dataset's public source (companion/datasets.json's fields)."""
    _spec(name)
    return dict(_provenance()[name])


@functools.cache
def _provenance() -> dict[str, dict[str, str]]:
    return json.loads(PROVENANCE.read_text(encoding="utf-8"))["datasets"]


# ---------------------------------------------------------------------------------------------------------
# Where a dataset comes from
# ---------------------------------------------------------------------------------------------------------


def dataset_names() -> list[str]:
    """Return the names load_split accepts."""
    return sorted(DATASETS)


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
    for start in (Path.cwd().resolve(), Path(__file__).resolve().parent):
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
    return _manifest(str(mirror_dir()))


@functools.lru_cache(maxsize=8)
def _manifest(folder: str) -> dict[str, dict]:
    with open(Path(folder) / "manifest.json", encoding="utf-8") as handle:
        return {entry["name"]: entry for entry in json.load(handle)["datasets"]}


def source(name: str) -> str:
    """Return where load_split reads this dataset from: "mirror" (offline copy) or "public" (downloaded once)."""
    spec = _spec(name)
    forced = os.environ.get(SOURCE_ENV, "").strip().lower()
    if forced not in ("", "auto", *SOURCES):
        raise ValueError(f"{SOURCE_ENV}={forced!r}: use 'mirror', 'public' or 'auto' (or leave it unset)")
    if forced == "public":
        return "public"
    if forced == "mirror":
        if spec.mirror is None:
            raise MirrorError(f"{name!r} is not in the dataset mirror; unset {SOURCE_ENV} to read its public source")
        mirror_dir()
        return "mirror"
    mirror = find_mirror()
    if mirror is not None and spec.mirror is not None and spec.mirror in _manifest(str(mirror)):
        return "mirror"
    return "public"


def describe(name: str) -> str:
    """Return one line saying where this dataset comes from in this run (for a chapter to print)."""
    spec = _spec(name)
    if source(name) == "mirror":
        return f"{name}: from the book's offline dataset mirror (folder {spec.mirror}/, sha256-checked)"
    return f"{name}: from {spec.public.describe()} (downloaded once, then read from the cache)"


def split_names(name: str) -> list[str]:
    """Return the splits this dataset has in the source that resolves (mirror or public)."""
    spec = _spec(name)
    if source(name) == "mirror":
        return [item["split"] for item in _mirror_entry(spec)["files"]]
    return list(spec.public.splits)


def label_names(name: str, column: str = "label") -> list[str]:
    """Return the class names of a label column (index = integer label), read from the loaded Dataset's features."""
    features = _load(name, split_names(name)[0]).features
    label_columns = {key: feature for key, feature in features.items() if _class_label(feature) is not None}
    if not label_columns:
        raise KeyError(f"{name!r} has no label column")
    if column not in label_columns:
        raise KeyError(f"{name!r} has label columns {', '.join(label_columns)}, not {column!r}")
    return list(_class_label(label_columns[column]).names)


def load_split(name: str, split: str, *, fast_rows: int | None = None, seed: int = 0) -> datasets.Dataset:
    """Load one split as a datasets.Dataset; in the fast profile a seeded sample of fast_rows rows (None: all).

    A rehearsal (runtime.rehearsal()) keeps a seeded sample of runtime.REHEARSAL_ROWS rows of every split, except
    of the datasets in runtime.REHEARSAL_WHOLE.
    """
    _spec(name)
    if fast_rows is not None and fast_rows < 1:
        raise ValueError(f"fast_rows must be a positive number of rows or None, got {fast_rows}")
    table = _load(name, split)
    if runtime.rehearsal() and name in runtime.REHEARSAL_WHOLE:
        return table
    return sample(table, fast_rows=fast_rows, seed=seed)


def sample(table: datasets.Dataset, *, fast_rows: int | None, seed: int = 0) -> datasets.Dataset:
    """Return the profile's seeded sample of a table: fast_rows rows (None: all) in the fast profile, all in the full
    profile, runtime.REHEARSAL_ROWS in a rehearsal; load_split samples with it."""
    if fast_rows is not None and fast_rows < 1:
        raise ValueError(f"fast_rows must be a positive number of rows or None, got {fast_rows}")
    if runtime.rehearsal():
        rows = runtime.REHEARSAL_ROWS
    else:
        rows = fast_rows if runtime.profile() == "fast" else None
    if rows is not None and rows < len(table):
        table = table.shuffle(seed=seed).select(range(rows)).flatten_indices()
    return table


def load_train_and_dev(
    name: str, *, dev_rows: int, fast_rows: int | None = None, seed: int = 0, phrase_column: str | None = None
) -> tuple[datasets.Dataset, datasets.Dataset]:
    """Load the training split and a development split carved from its rows, disjoint from the training rows.

    The fast profile trains on the same seeded sample as ``load_split(name, "train", fast_rows=..., seed=...)``
    and takes the development rows from the rows that sample leaves out; the full profile (or a sample that
    leaves too few rows out) holds the development rows out first and trains on the rest. A rehearsal keeps a
    quarter of its few rows for development. With ``phrase_column`` (SST-2's items are phrases of the same
    parsed sentences) the two sides share no phrase either (``shares_phrase``): the fast profile skips
    development candidates that do, the full profile drops the training rows that do.
    """
    if dev_rows < 1:
        raise ValueError(f"dev_rows must be a positive number of rows, got {dev_rows}")
    pool = load_split(name, "train")  # every row, or a rehearsal's few
    if phrase_column is not None and phrase_column not in pool.column_names:
        raise ValueError(f"{name!r} has no column {phrase_column!r}; its columns are {pool.column_names}")
    shuffled = pool.shuffle(seed=seed)
    if runtime.rehearsal():
        dev_rows = max(1, min(dev_rows, len(pool) // 4))
    train_rows = fast_rows if runtime.profile() == "fast" and not runtime.rehearsal() else None
    if train_rows is not None and train_rows + dev_rows <= len(pool):
        train = shuffled.select(range(train_rows)).flatten_indices()
        if phrase_column is None:
            return train, shuffled.select(range(train_rows, train_rows + dev_rows)).flatten_indices()
        kept, training_texts = [], list(train[phrase_column])
        for start in range(train_rows, len(pool), 4 * dev_rows):  # candidates in turn until dev_rows are kept
            rows = range(start, min(start + 4 * dev_rows, len(pool)))
            shared = shares_phrase(list(shuffled.select(rows)[phrase_column]), training_texts)
            kept += [row for row, share in zip(rows, shared) if not share]
            if len(kept) >= dev_rows:
                return train, shuffled.select(kept[:dev_rows]).flatten_indices()
        raise ValueError(
            f"{name!r}: only {len(kept):,} rows share no phrase with the {train_rows:,} training rows; "
            f"ask for fewer than {dev_rows:,} development rows"
        )
    if dev_rows >= len(pool):
        raise ValueError(f"{name!r} has {len(pool):,} training rows: too few to hold out {dev_rows:,} for development")
    dev = shuffled.select(range(dev_rows)).flatten_indices()
    rest = shuffled.select(range(dev_rows, len(pool) if train_rows is None else min(len(pool), dev_rows + train_rows)))
    if phrase_column is not None:
        shared = holds_phrase_of(list(rest[phrase_column]), list(dev[phrase_column]))
        rest = rest.select([row for row, share in enumerate(shared) if not share])
    return rest.flatten_indices(), dev


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.lower().split())


def _phrases(words: tuple[str, ...], min_words: int = 1) -> set[tuple[str, ...]]:
    return {words[start:end] for start in range(len(words)) for end in range(start + min_words, len(words) + 1)}


def shares_phrase(texts: list[str], others: list[str], *, min_words: int = 4) -> list[bool]:
    """For each text: does it sit inside one of others (or equal one), or hold one of min_words words or more?"""
    other_words = [_words(text) for text in others]
    inside_others = set().union(*(_phrases(words) for words in other_words))
    long_others = {words for words in other_words if len(words) >= min_words}
    return [words in inside_others or bool(_phrases(words, min_words) & long_others) for words in map(_words, texts)]


def holds_phrase_of(texts: list[str], others: list[str], *, min_words: int = 4) -> list[bool]:
    """The mirror of shares_phrase: does one of others sit inside each text, or the text (min_words+) in one?"""
    other_items = {_words(text) for text in others}
    inside_others = set().union(*(_phrases(words, min_words) for words in other_items))
    return [
        bool(_phrases(words) & other_items) or (len(words) >= min_words and words in inside_others)
        for words in map(_words, texts)
    ]


def cache_dir() -> Path:
    """Return the folder where public sources are cached ($BERTBOOK_CACHE, default ~/.cache/bertbook)."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "bertbook").expanduser()


def _spec(name: str) -> DatasetSpec:
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(dataset_names())}")
    return DATASETS[name]


def _class_label(feature) -> datasets.ClassLabel | None:
    if isinstance(feature, datasets.ClassLabel):
        return feature
    inner = getattr(feature, "feature", None)
    return inner if isinstance(inner, datasets.ClassLabel) else None


def _load(name: str, split: str) -> datasets.Dataset:
    spec = _spec(name)
    if source(name) == "mirror":
        return _load_from_mirror(spec, split)
    return _load_public(spec, split)


# ---------------------------------------------------------------------------------------------------------
# The mirror
# ---------------------------------------------------------------------------------------------------------


def _mirror_entry(spec: DatasetSpec) -> dict:
    entries = manifest()
    if spec.mirror not in entries:
        raise KeyError(f"the mirror has no {spec.mirror!r}; it holds: {', '.join(sorted(entries))}")
    return entries[spec.mirror]


def _load_from_mirror(spec: DatasetSpec, split: str) -> datasets.Dataset:
    entry = _mirror_entry(spec)
    files = {item["split"]: item for item in entry["files"]}
    if split not in files:
        raise ValueError(f"dataset {spec.name!r} has no split {split!r}; splits: {', '.join(files)}")
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


@functools.cache
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


# ---------------------------------------------------------------------------------------------------------
# Public sources: downloaded once, adapted, cached
# ---------------------------------------------------------------------------------------------------------


def _load_public(spec: DatasetSpec, split: str) -> datasets.Dataset:
    public = spec.public
    if split not in public.files:
        raise ValueError(
            f"dataset {spec.name!r} has no split {split!r} in its public source "
            f"({public.describe()}); splits: {', '.join(public.splits)}"
        )
    cached = _cached_path(spec, split)
    if cached.is_dir():
        return datasets.load_from_disk(str(cached))
    if _offline():
        raise _unavailable(spec, "HF_HUB_OFFLINE is set")
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
            raise _unavailable(spec, f"{type(error).__name__}: {error}") from error
        raise
    table = _ensure_class_labels(spec.adapt(table, split), spec.labels)
    _store(table, cached)
    return datasets.load_from_disk(str(cached))


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "0").strip().lower() not in ("", "0", "false", "no", "off")


def _unavailable(spec: DatasetSpec, why: str) -> DataUnavailableError:
    return DataUnavailableError(
        f"{spec.name!r} is not in a local dataset mirror and its public source ({spec.public.describe()}) "
        f"cannot be read ({why}). Two ways out: (1) get the book's dataset mirror and point {DATA_ENV} at it "
        f"(export {DATA_ENV}=/path/to/data, the folder holding manifest.json), or (2) go online (and unset "
        f"HF_HUB_OFFLINE if it is set) so that the dataset is downloaded once into {cache_dir()}."
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


def _cached_path(spec: DatasetSpec, split: str) -> Path:
    public = spec.public
    key = json.dumps([_CACHE_FORMAT, public.describe(), public.files[split]], sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return cache_dir() / spec.name / f"{split}-{digest}"


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


def hub_url(repository: str, revision: str, pattern: str) -> str:
    """Return the address of files in a hub dataset repository at a revision (branch names with '/' escaped)."""
    return f"{HUB_ROOT}/{repository}@{urllib.parse.quote(revision, safe='')}/{pattern}"


def _fetch_hub(public: HubSource, split: str) -> datasets.Dataset:
    url = hub_url(public.repository, public.revision, public.files[split])
    return datasets.load_dataset(
        public.builder, data_files={split: url}, split=split, cache_dir=str(cache_dir() / "hub")
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


def _fetch_url(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (a fixed https address)
        return response.read()


def _gutenberg_text(public: GutenbergSource, file_name: str, sha256: str) -> str:
    path = cache_dir() / "gutenberg" / public.commit / file_name
    if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
        raw = path.read_bytes()
    else:
        raw = _fetch_url(f"{public.base_url.format(commit=public.commit)}/{file_name}")
        digest = hashlib.sha256(raw).hexdigest()
        if digest != sha256:
            raise ValueError(
                f"{file_name} from {public.describe()} has sha256 {digest[:12]}…, expected "
                f"{sha256[:12]}…: the public copy changed; use the mirror ({DATA_ENV})"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
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
        cache_dir()
        / "archives"
        / hashlib.sha256(public.url.encode()).hexdigest()[:16]
        / Path(urllib.parse.urlparse(public.url).path).name
    )
    if not path.is_file():
        raw = _fetch_url(public.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.{os.getpid()}")  # an interrupted download never sits in the cache
        staging.write_bytes(raw)
        os.replace(staging, path)
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
            digest = hashlib.sha256(raw).hexdigest()  # before decoding: a file in another encoding fails here
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
