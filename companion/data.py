"""Datasets by name, from the local mirror (offline, as CI) or from their public source (downloaded once, cached).

Every dataset is declared once in ``DATASETS``: the mirror folder that holds it, its public source (a Hugging
Face hub repository at a pinned revision, NLTK's Gutenberg texts at a pinned commit, or a zip archive, with a
sha256 per file for the last two) and a small adapter from the public layout to the book's columns. How each
source was found, and how it differs from the mirror, is data: ``companion/datasets.json``, read by
``provenance(name)``. ``load_split`` resolves each dataset to ``$BERTBOOK_DATA`` or a mirror beside the
checkout (``companion._mirror``), else to the public source (``companion._public``); ``source(name)`` says
which. The profile does not choose the source: ``fast`` takes a seeded sample of ``fast_rows`` rows, ``full``
all rows.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import datasets

from companion import _mirror, _public, runtime
from companion._mirror import DATA_ENV as DATA_ENV
from companion._mirror import MirrorError as MirrorError
from companion._mirror import find_mirror as find_mirror
from companion._mirror import manifest as manifest
from companion._mirror import mirror_dir as mirror_dir
from companion._public import DataUnavailableError as DataUnavailableError
from companion._public import GutenbergSource, HubSource, ZipSource
from companion.cache import CACHE_ENV as CACHE_ENV
from companion.cache import cache_dir as cache_dir

SOURCE_ENV = "BERTBOOK_SOURCE"  # "mirror" or "public" forces a source; unset (or "auto") resolves
SOURCES = ("mirror", "public")
PROVENANCE = Path(__file__).with_name("datasets.json")  # how each public source was found; shipped with the package


# ---------------------------------------------------------------------------------------------------------
# The table: one entry per dataset
# ---------------------------------------------------------------------------------------------------------

Adapter = Callable[[datasets.Dataset, str], datasets.Dataset]


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset: its mirror folder (None: not mirrored), its public source and the adapter to book columns."""

    name: str
    mirror: str | None
    public: HubSource | GutenbergSource | ZipSource
    adapt: Adapter = field(default=lambda table, split: table)
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # used where the source has plain ints

    def prepare(self, table: datasets.Dataset, split: str) -> datasets.Dataset:
        """Return a public source's table in the book's columns, with ClassLabels where the source had plain ints."""
        return _with_class_labels(self.adapt(table, split), self.labels)


def _with_class_labels(
    table: datasets.Dataset, names: Mapping[str, Sequence[str]] | Sequence[str] | None
) -> datasets.Dataset:
    """Give integer label columns ClassLabel features (a plain list names the label column's classes).

    Columns the table lacks, and ClassLabels it already has (the source's own), are left as they are."""
    if names is None:
        return table
    by_column = names if isinstance(names, Mapping) else {_label_column(table): names}
    for column, column_names in by_column.items():
        if column not in table.column_names or _class_label(table.features[column]) is not None:
            continue
        label = datasets.ClassLabel(names=list(column_names))
        is_sequence = isinstance(table.features[column], (datasets.List, datasets.Sequence))
        table = table.cast_column(column, datasets.List(label) if is_sequence else label)
    return table


def _label_column(table: datasets.Dataset) -> str:
    for column in ("label", "ner_tags"):
        if column in table.column_names:
            return column
    raise KeyError(f"no label column among {table.column_names}")


def _class_label(feature) -> datasets.ClassLabel | None:
    if isinstance(feature, datasets.ClassLabel):
        return feature
    inner = getattr(feature, "feature", None)
    return inner if isinstance(inner, datasets.ClassLabel) else None


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
    if mirror is not None and spec.mirror is not None and spec.mirror in _mirror.read_manifest(mirror):
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
        return [item["split"] for item in _mirror.entry(spec.mirror)["files"]]
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


def split_size(name: str, split: str) -> int:
    """Return how many rows a split has in its source, whatever the profile or a rehearsal would sample."""
    return len(_load(name, split))


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


def load_unlabelled(
    name: str,
    *,
    rows: int,
    leave_out: Sequence[datasets.Dataset],
    apart_from: Sequence[str] = (),
    phrase_column: str | None = None,
    seed: int = 0,
    id_column: str = "idx",
) -> datasets.Dataset:
    """Return up to `rows` training rows outside every table in leave_out (by id_column), their labels removed.

    A transfer set for distillation: sentences a teacher labels. Candidates come in a seeded random order
    from the whole training split; with ``phrase_column`` a candidate is skipped where it holds one of
    ``apart_from`` or sits inside one (``holds_phrase_of``, the rule that keeps ``load_train_and_dev``'s
    development rows apart from training), so evaluation items stay unseen. Fewer rows come back only where
    the split runs out; a rehearsal keeps at most runtime.REHEARSAL_ROWS.
    """
    if rows < 1:
        raise ValueError(f"rows must be a positive number of rows, got {rows}")
    pool = _load(name, "train")  # every row in every profile: the tables left out may be samples of it
    for column in (id_column, phrase_column):
        if column is not None and column not in pool.column_names:
            raise ValueError(f"{name!r} has no column {column!r}; its columns are {pool.column_names}")
    if runtime.rehearsal():
        rows = min(rows, runtime.REHEARSAL_ROWS)
    used = set().union(*(table[id_column] for table in leave_out))
    shuffled = pool.shuffle(seed=seed)
    candidates = [row for row, key in enumerate(shuffled[id_column]) if key not in used]
    kept, others = [], list(apart_from)
    for start in range(0, len(candidates), 2 * rows):  # in turn until enough are kept
        chunk = candidates[start : start + 2 * rows]
        if phrase_column is not None and others:
            held = holds_phrase_of(list(shuffled.select(chunk)[phrase_column]), others)
            chunk = [row for row, holds in zip(chunk, held) if not holds]
        kept += chunk
        if len(kept) >= rows:
            break
    unlabelled = shuffled.select(kept[:rows]).flatten_indices()
    labels = [
        column
        for column, feature in unlabelled.features.items()
        if _class_label(feature) is not None or column == "label"
    ]
    return unlabelled.remove_columns(labels)


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


def _spec(name: str) -> DatasetSpec:
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(dataset_names())}")
    return DATASETS[name]


def _load(name: str, split: str) -> datasets.Dataset:
    spec = _spec(name)
    if source(name) == "mirror":
        table = _mirror.load(name, spec.mirror, split)
        return _with_class_labels(table, _mirror.entry(spec.mirror).get("label_names"))
    return _public.load(name, spec.public, split, spec.prepare)
