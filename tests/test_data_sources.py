"""The no-mirror paths of companion.data, offline: a local stand-in for the hub, shaped like each public source."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import hashlib
import io
import json
import re
import textwrap
import urllib.parse
import zipfile
from pathlib import Path

import datasets
import pytest

from companion import _mirror, _public, data

CL = datasets.ClassLabel
TEXT = datasets.Value("string")
SQUAD_FEATURES = datasets.Features(
    {
        "id": TEXT,
        "title": TEXT,
        "context": TEXT,
        "question": TEXT,
        "answers": {"text": datasets.List(TEXT), "answer_start": datasets.List(datasets.Value("int32"))},
    }
)
SQUAD_ROW = {
    "id": "5733be284776f41900661182",
    "title": "University_of_Notre_Dame",
    "context": "Architecturally, the school has a Catholic character.",
    "question": "What character does the school have?",
    "answers": {"text": ["a Catholic character"], "answer_start": [31]},
}

# Each public source as it is published: features (None: a JSON Lines file) and a few rows per split.
PUBLIC = {
    "sst2": (
        datasets.Features(
            {"sentence": TEXT, "label": CL(names=["negative", "positive"]), "idx": datasets.Value("int32")}
        ),
        {
            "train": [
                {"sentence": "a gorgeous film ", "label": 1, "idx": 0},
                {"sentence": "dull , dull , dull ", "label": 0, "idx": 1},
                {"sentence": "it works ", "label": 1, "idx": 2},
            ],
            "validation": [{"sentence": "a mess .", "label": 0, "idx": 0}],
            "test": [{"sentence": "unlabelled .", "label": -1, "idx": 0}],
        },
    ),
    "mrpc": (
        datasets.Features(
            {
                "sentence1": TEXT,
                "sentence2": TEXT,
                "label": CL(names=["not_equivalent", "equivalent"]),
                "idx": datasets.Value("int32"),
            }
        ),
        {
            "train": [{"sentence1": "He said so.", "sentence2": "So he said.", "label": 1, "idx": 0}],
            "validation": [{"sentence1": "A.", "sentence2": "B.", "label": 0, "idx": 0}],
            "test": [{"sentence1": "C.", "sentence2": "D.", "label": -1, "idx": 0}],
        },
    ),
    "rotten_tomatoes": (
        datasets.Features({"text": TEXT, "label": CL(names=["neg", "pos"])}),
        {
            split: [
                {"text": "simplistic , silly and tedious .", "label": 0},
                {"text": "a masterpiece four years in the making .", "label": 1},
            ]
            for split in ("train", "validation", "test")
        },
    ),
    "ag_news": (
        datasets.Features({"text": TEXT, "label": CL(names=["World", "Sports", "Business", "Sci/Tech"])}),
        {
            "train": [{"text": "Wall St. Bears Claw Back Into the Black (Reuters)", "label": 2}],
            "test": [
                {"text": "Fears for T N pension after talks", "label": 2},
                {"text": "The Race is On: Second Private Team Sets Launch Date", "label": 3},
            ],
        },
    ),
    "bbc_news": (
        None,
        {
            "train": [{"text": "wales want rugby league training", "label": 3, "label_text": "sport"}],
            "test": [{"text": "car giant hit by mercedes slump", "label": 0, "label_text": "business"}],
        },
    ),
    "trec": (
        datasets.Features(
            {
                "text": TEXT,
                "coarse_label": CL(names=list(data._TREC_COARSE)),
                "fine_label": CL(names=list(data._TREC_FINE)),
            }
        ),
        {
            "train": [
                {"text": "How did serfdom develop in and then leave Russia ?", "coarse_label": 2, "fine_label": 26}
            ],
            "test": [{"text": "How far is it from Denver to Aspen ?", "coarse_label": 5, "fine_label": 40}],
        },
    ),
    "wnut_17": (
        datasets.Features(
            {"id": TEXT, "tokens": datasets.List(TEXT), "ner_tags": datasets.List(CL(names=list(data._WNUT)))}
        ),
        {
            split: [
                {
                    "id": "0",
                    "tokens": ["@paulwalk", "It", "'s", "the", "view", "from", "Empire", "State"],
                    "ner_tags": [0, 0, 0, 0, 0, 0, 7, 8],
                }
            ]
            for split in ("train", "validation", "test")
        },
    ),
    "squad": (SQUAD_FEATURES, {"train": [SQUAD_ROW], "validation": [SQUAD_ROW]}),
    "squad_v2": (
        SQUAD_FEATURES,
        {"train": [SQUAD_ROW], "validation": [{**SQUAD_ROW, "answers": {"text": [], "answer_start": []}}]},
    ),
    "multi30k": (
        None,
        {
            split: [{"en": "Two young guys are outside.", "de": "Zwei junge Männer sind im Freien."}]
            for split in ("train", "validation", "test")
        },
    ),
    "stsb": (
        None,
        {
            split: [
                {
                    "split": split if split != "validation" else "dev",
                    "genre": "main-captions",
                    "dataset": "MSRvid",
                    "year": "2012test",
                    "sid": "0001",
                    "score": 5.0,
                    "sentence1": "A plane is taking off.",
                    "sentence2": "An air plane is taking off.",
                },
                {
                    "split": split,
                    "genre": "main-forums",
                    "dataset": "answers-forums",
                    "year": "2015",
                    "sid": "0002",
                    "score": 3.8,
                    "sentence1": "A man is playing a large flute.",
                    "sentence2": "A man is playing a flute.",
                },
            ]
            for split in ("train", "validation", "test")
        },
    ),
}

# What the book's columns look like after each adapter (column -> feature type name, or ClassLabel names)
BOOK_COLUMNS = {
    "sst2": ["sentence", "label", "idx"],
    "mrpc": ["sentence1", "sentence2", "label", "idx"],
    "rotten_tomatoes": ["text", "label"],
    "ag_news": ["text", "label"],
    "bbc_news": ["text", "label", "label_text"],
    "trec": ["text", "coarse_label", "fine_label"],
    "wnut_17": ["id", "tokens", "ner_tags"],
    "squad": ["id", "title", "context", "question", "answers"],
    "squad_v2": ["id", "title", "context", "question", "answers"],
    "multi30k": ["translation"],
    "stsb": ["sentence1", "sentence2", "label", "idx", "genre", "source"],
}


def concrete(pattern: str) -> str:
    """A file name that the source's glob matches, named like the hub's own files."""
    return pattern.replace("-*.parquet", "-00000-of-00001.parquet").replace("/*.parquet", "/0000.parquet")


def write_source(root: Path, name: str, public: dict | None = None) -> None:
    features, splits = PUBLIC[name] if public is None else public
    source = data.DATASETS[name].public
    folder = root / f"{source.repository}@{urllib.parse.quote(source.revision, safe='')}"
    for split, rows in splits.items():
        path = folder / concrete(source.files[split])
        path.parent.mkdir(parents=True, exist_ok=True)
        if features is None:
            lines = "".join(json.dumps(row) + "\n" for row in rows).encode("utf-8")
            path.write_bytes(gzip.compress(lines) if path.suffix == ".gz" else lines)
        else:
            datasets.Dataset.from_list(rows, features=features).to_parquet(str(path))


@pytest.fixture()
def no_mirror(monkeypatch, tmp_path):
    """No mirror anywhere, online (HF_HUB_OFFLINE unset), the hub replaced by local files, an empty cache."""
    monkeypatch.delenv("BERTBOOK_DATA", raising=False)
    monkeypatch.delenv("BERTBOOK_SOURCE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setenv("BERTBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    # no shared/data above any folder find_mirror starts from (a checkout's ../shared may sit above tmp_path too)
    monkeypatch.setattr(_mirror, "_search_starts", lambda: ())
    monkeypatch.setattr(_public, "HUB_ROOT", str(tmp_path / "hub"))
    assert data.find_mirror() is None
    return tmp_path / "hub"


@pytest.fixture()
def hub_calls(monkeypatch):
    calls = []
    real = datasets.load_dataset

    def spy(*args, **kwargs):
        calls.append(kwargs.get("data_files"))
        return real(*args, **kwargs)

    monkeypatch.setattr(datasets, "load_dataset", spy)
    return calls


def test_hub_url_pins_the_revision_and_escapes_branch_names():
    assert (
        _public.hub_url("CogComp/trec", "refs/convert/parquet", "*/train/*.parquet")
        == "hf://datasets/CogComp/trec@refs%2Fconvert%2Fparquet/*/train/*.parquet"
    )
    assert (
        _public.hub_url("nyu-mll/glue", "a3f3ab759b9d7018046ce361f115ef38276d2e1e", "sst2/train-*.parquet")
        == "hf://datasets/nyu-mll/glue@a3f3ab759b9d7018046ce361f115ef38276d2e1e/sst2/train-*.parquet"
    )


def test_every_public_source_is_pinned_to_a_commit():
    archives = {name: spec.public for name, spec in data.DATASETS.items() if isinstance(spec.public, data.ZipSource)}
    for name, archive in archives.items():  # a fixed address whose every file is checked by its sha256 instead
        assert all(re.fullmatch(r"[0-9a-f]{64}", sha256) for *_, sha256 in archive.files["test"]), name
    pinned = {
        name: spec.public.revision if isinstance(spec.public, data.HubSource) else spec.public.commit
        for name, spec in data.DATASETS.items()
        if name not in archives
    }
    branches = {name: revision for name, revision in pinned.items() if not re.fullmatch(r"[0-9a-f]{40}", revision)}
    assert not branches, f"pin these to a 40-hex commit sha, not a branch: {branches}"
    assert {"ag_news", "squad", "trec", "wnut_17"} <= set(pinned)


def test_every_dataset_has_a_public_source_and_a_fixture():
    assert set(PUBLIC) | {"gutenberg_prose", "sentiment_sentences"} == set(data.dataset_names())
    for name in PUBLIC:
        assert set(PUBLIC[name][1]) == set(data.DATASETS[name].public.files), name


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_each_adapter_gives_the_book_columns(no_mirror, name):
    write_source(no_mirror, name)
    assert data.source(name) == "public"
    for split in data.split_names(name):
        table = data.load_split(name, split)
        assert table.column_names == BOOK_COLUMNS[name], (name, split)
        assert len(table) == len(PUBLIC[name][1][split])


def test_adapters_convert_values(no_mirror):
    for name in ("stsb", "multi30k", "bbc_news", "wnut_17", "sst2"):
        write_source(no_mirror, name)
    stsb = data.load_split("stsb", "validation")
    assert stsb["label"] == pytest.approx([5.0, 3.8]) and stsb["idx"] == [0, 1]
    assert stsb["genre"] == ["captions", "forum"] and stsb["source"] == ["MSRvid 2012test", "answers-forums 2015"]
    assert stsb.features["label"].dtype == "float32"
    assert stsb.features == data.load_split("stsb", "validation").features
    assert data.load_split("multi30k", "validation")[0]["translation"] == {
        "en": "Two young guys are outside.",
        "de": "Zwei junge Männer sind im Freien.",
    }
    assert data.label_names("bbc_news") == ["business", "entertainment", "politics", "sports", "tech"]
    assert data.load_split("bbc_news", "train")[0]["label"] == 3
    assert data.label_names("wnut_17", "ner_tags")[7] == "B-location"
    assert data.load_split("sst2", "test")["label"] == [-1]  # GLUE hides its test labels


def test_trec_with_the_old_column_names_is_renamed(no_mirror):
    features, splits = PUBLIC["trec"]
    old = {"label-coarse": "coarse_label", "label-fine": "fine_label"}
    renamed = datasets.Features(
        {
            old.get(key, key): value
            for key, value in {
                "text": TEXT,
                "label-coarse": features["coarse_label"],
                "label-fine": features["fine_label"],
            }.items()
        }
    )
    old_rows = {
        split: [{"text": r["text"], "label-coarse": r["coarse_label"], "label-fine": r["fine_label"]} for r in rows]
        for split, rows in splits.items()
    }
    write_source(
        no_mirror,
        "trec",
        (
            datasets.Features(
                {"text": TEXT, "label-coarse": features["coarse_label"], "label-fine": features["fine_label"]}
            ),
            old_rows,
        ),
    )
    table = data.load_split("trec", "test")
    assert table.column_names == ["text", "coarse_label", "fine_label"]
    assert table.features == renamed


def test_label_and_split_names_without_a_mirror(no_mirror):
    write_source(no_mirror, "trec")
    write_source(no_mirror, "ag_news")
    assert data.split_names("trec") == ["train", "test"]
    assert data.label_names("trec", "coarse_label") == ["ABBR", "ENTY", "DESC", "HUM", "LOC", "NUM"]
    assert len(data.label_names("trec", "fine_label")) == 50
    with pytest.raises(KeyError, match="coarse_label"):
        data.label_names("trec")
    assert data.label_names("ag_news") == ["World", "Sports", "Business", "Sci/Tech"]
    with pytest.raises(ValueError, match="no split 'validation' in its public source"):
        data.load_split("ag_news", "validation")


def test_plain_integer_labels_get_class_labels(no_mirror):
    features, splits = PUBLIC["ag_news"]
    write_source(no_mirror, "ag_news", (datasets.Features({"text": TEXT, "label": datasets.Value("int64")}), splits))
    assert data.load_split("ag_news", "test").features["label"].names == ["World", "Sports", "Business", "Sci/Tech"]


def test_public_source_is_downloaded_once_then_read_from_the_cache(no_mirror, hub_calls, monkeypatch, tmp_path):
    write_source(no_mirror, "sst2")
    first = data.load_split("sst2", "train")
    assert len(hub_calls) == 1
    assert hub_calls[0] == {
        "train": _public.hub_url("nyu-mll/glue", data.DATASETS["sst2"].public.revision, "sst2/train-*.parquet")
    }
    again = data.load_split("sst2", "train")
    assert len(hub_calls) == 1  # served from the cache
    assert again["sentence"] == first["sentence"]
    assert any((tmp_path / "cache" / "sst2").iterdir())
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # once cached, offline works
    assert len(data.load_split("sst2", "train")) == 3
    with pytest.raises(data.DataUnavailableError):  # offline, and validation was never fetched
        data.load_split("sst2", "validation")


def test_offline_and_uncached_split_gives_the_two_way_error(no_mirror, monkeypatch):
    write_source(no_mirror, "sst2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_split("sst2", "validation")
    message = str(caught.value)
    assert "BERTBOOK_DATA" in message and "go online" in message and "nyu-mll/glue" in message
    assert isinstance(caught.value, data.MirrorError) and isinstance(caught.value, RuntimeError)


def test_network_failure_gives_the_same_two_way_error(no_mirror, monkeypatch):
    def unreachable(*args, **kwargs):
        try:
            raise OSError("[Errno -3] Temporary failure in name resolution")
        except OSError as cause:
            raise ConnectionError("Couldn't reach 'huggingface.co'") from cause

    monkeypatch.setattr(datasets, "load_dataset", unreachable)
    with pytest.raises(data.DataUnavailableError, match="BERTBOOK_DATA.*go online"):
        data.load_split("ag_news", "train")


def test_other_failures_are_not_reported_as_offline(no_mirror):
    with pytest.raises(Exception) as caught:  # no fixture file written: the source has no such file
        data.load_split("rotten_tomatoes", "train")
    assert not isinstance(caught.value, data.DataUnavailableError)


def test_full_profile_takes_all_rows_fast_profile_a_seeded_sample(no_mirror, monkeypatch):
    write_source(no_mirror, "sst2")
    fast = data.load_split("sst2", "train", fast_rows=2, seed=1)
    assert len(fast) == 2 and fast["idx"] == data.load_split("sst2", "train", fast_rows=2, seed=1)["idx"]
    monkeypatch.setenv("BERTBOOK_PROFILE", "full")
    assert len(data.load_split("sst2", "train", fast_rows=2, seed=1)) == 3


def test_forcing_the_public_source_beside_a_mirror(needs_mirror, monkeypatch, tmp_path):
    monkeypatch.setenv("BERTBOOK_SOURCE", "public")
    monkeypatch.setenv("BERTBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(_public, "HUB_ROOT", str(tmp_path / "hub"))
    assert data.find_mirror() is not None and data.source("trec") == "public"
    write_source(tmp_path / "hub", "trec")
    assert len(data.load_split("trec", "test")) == 1


def test_offline_without_a_mirror_fails_fast_for_every_dataset(no_mirror, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in data.dataset_names():
        with pytest.raises(data.DataUnavailableError, match="BERTBOOK_DATA"):
            data.load_split(name, data.split_names(name)[0])


# ------------------------------------------------------------------------------------------ gutenberg_prose

BOOK = """[Persuasion by Jane Austen 1818]


Chapter 1


Sir Walter Elliot, of Kellynch Hall, in Somersetshire, was a man who,
for his own amusement, never took up any book but the Baronetage;
there he found occupation for an idle hour.  This was the page at which
the favourite volume always opened:

           "ELLIOT OF KELLYNCH HALL.

"Walter Elliot, born March 1, 1760, married, July 15, 1784, Elizabeth,
daughter of James Stevenson."
   \t
Chapter 2

End.
"""

BOOK_ROWS = [
    "[Persuasion by Jane Austen 1818]",
    "Chapter 1",
    "Sir Walter Elliot, of Kellynch Hall, in Somersetshire, was a man who, for his own amusement, never took up "
    "any book but the Baronetage; there he found occupation for an idle hour. This was the page at which the "
    "favourite volume always opened:",
    '"ELLIOT OF KELLYNCH HALL.',
    '"Walter Elliot, born March 1, 1760, married, July 15, 1784, Elizabeth, daughter of James Stevenson."',
    "Chapter 2",
    "End.",
]


def test_gutenberg_builder_on_a_hand_checked_text():
    assert _public.paragraphs(BOOK) == BOOK_ROWS
    assert _public.paragraphs(BOOK.replace("\n", "\r\n")) == BOOK_ROWS
    second = "Chapter I\n\nOne paragraph\nover two lines.\n"
    assert _public.build_gutenberg([BOOK, second]) == [
        {"text": row} for row in BOOK_ROWS + ["Chapter I", "One paragraph over two lines."]
    ]


@pytest.mark.parametrize("split", ["validation", "test"])
def test_gutenberg_builder_rebuilds_the_mirror_from_rewrapped_text(needs_mirror, split):
    rows = list(data.load_split("gutenberg_prose", split)["text"])
    # the NLTK files wrap paragraphs at ~70 columns, indent some lines and separate with 1-4 blank lines
    wrapped = [
        textwrap.fill(row, width=70, initial_indent="  " * (i % 2), break_on_hyphens=False, break_long_words=False)
        for i, row in enumerate(rows)
    ]
    text = "".join(paragraph + "\n" * (2 + i % 3) for i, paragraph in enumerate(wrapped))
    assert [row["text"] for row in _public.build_gutenberg([text])] == rows


@pytest.fixture()
def gutenberg_fixture(no_mirror, monkeypatch):
    books = {"book-a.txt": BOOK.encode("utf-8"), "book-b.txt": "Café society.\n\nThe end.\n".encode("latin-1")}
    public = dataclasses.replace(
        data.DATASETS["gutenberg_prose"].public,
        files={
            "train": (
                ("book-a.txt", hashlib.sha256(books["book-a.txt"]).hexdigest()),
                ("book-b.txt", hashlib.sha256(books["book-b.txt"]).hexdigest()),
            ),
            "test": (("book-a.txt", hashlib.sha256(books["book-a.txt"]).hexdigest()),),
        },
    )
    monkeypatch.setitem(
        data.DATASETS, "gutenberg_prose", dataclasses.replace(data.DATASETS["gutenberg_prose"], public=public)
    )
    fetched = []

    def fetch(url):
        fetched.append(url)
        return books[url.rsplit("/", 1)[1]]

    monkeypatch.setattr(_public, "_fetch_url", fetch)
    return books, fetched


def test_gutenberg_public_path_downloads_checks_and_caches(gutenberg_fixture):
    books, fetched = gutenberg_fixture
    train = data.load_split("gutenberg_prose", "train")
    assert list(train["text"]) == BOOK_ROWS + ["Café society.", "The end."]
    assert fetched == [
        f"https://raw.githubusercontent.com/nltk/nltk/4dc39fbf6965509f7b74316eff239bd110a03b49/"
        f"nltk_data/corpora/gutenberg/{name}"
        for name in ("book-a.txt", "book-b.txt")
    ]
    assert list(data.load_split("gutenberg_prose", "test")["text"]) == BOOK_ROWS
    assert len(fetched) == 2  # book-a was downloaded once, for train, and reused for test
    data.load_split("gutenberg_prose", "train")
    assert len(fetched) == 2


def test_gutenberg_public_copy_that_changed_is_refused(gutenberg_fixture):
    books, _ = gutenberg_fixture
    books["book-a.txt"] = books["book-a.txt"] + b"an edit"
    with pytest.raises(ValueError, match="sha256"):
        data.load_split("gutenberg_prose", "test")


def test_describe_says_which_source_ran(no_mirror, monkeypatch):
    assert data.describe("sst2") == (
        "sst2: from the hub's nyu-mll/glue at revision "
        "a3f3ab759b9d7018046ce361f115ef38276d2e1e (downloaded once, then read from the cache)"
    )


def test_describe_names_the_mirror(needs_mirror):
    assert data.describe("trec") == "trec: from the book's offline dataset mirror (folder trec/, sha256-checked)"


def test_public_columns_match_the_mirror_columns(needs_mirror):
    manifest = data.manifest()
    for name, columns in BOOK_COLUMNS.items():
        mirror = data.DATASETS[name].mirror
        if mirror is not None:
            assert list(manifest[mirror]["features"]) == columns, name


# ------------------------------------------------------------------------------------ sentiment_sentences


def source_files_from_rows(rows: list[dict]) -> dict[str, str]:
    """The UCI files as published, rebuilt from rows: 'sentence<TAB>label' lines (imdb's with two trailing spaces)."""
    files = {}
    for domain, file_name in (
        ("amazon", "amazon_cells_labelled.txt"),
        ("imdb", "imdb_labelled.txt"),
        ("yelp", "yelp_labelled.txt"),
    ):
        gap = "  \t" if domain == "imdb" else "\t"
        files[file_name] = "".join(f"{row['sentence']}{gap}{row['label']}\n" for row in rows if row["domain"] == domain)
    return files


def test_labelled_sentences_builder_reproduces_the_mirror_from_the_published_files(needs_mirror):
    mirror = data.load_split("sentiment_sentences", "test")
    files = source_files_from_rows(list(mirror))
    # the files rebuilt from the mirror's rows are byte for byte the published ones: their sha256 are the pinned ones
    pinned = {file_name: sha256 for _, file_name, sha256 in data.DATASETS["sentiment_sentences"].public.files["test"]}
    assert {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in files.items()} == pinned
    domains = {"amazon_cells_labelled.txt": "amazon", "imdb_labelled.txt": "imdb", "yelp_labelled.txt": "yelp"}
    rows = _public.build_labelled_sentences([(domains[name], text) for name, text in files.items()])
    assert rows == [{key: row[key] for key in ("sentence", "label", "domain", "idx")} for row in mirror]
    assert mirror.features["label"].names == ["negative", "positive"] and len(mirror) == 3000


def test_labelled_sentences_keep_quotes_and_refuse_other_lines():
    text = 'A faux "masterpiece.\t0\n" The structure is fine.  \t1\r\n'
    assert _public.build_labelled_sentences([("imdb", text)]) == [
        {"sentence": 'A faux "masterpiece.', "label": 0, "domain": "imdb", "idx": 0},
        {"sentence": '" The structure is fine.', "label": 1, "domain": "imdb", "idx": 1},
    ]
    with pytest.raises(ValueError, match="yelp line 2"):
        _public.build_labelled_sentences([("yelp", "Good.\t1\nno label here\n")])


SENTENCES = {
    "amazon_cells_labelled.txt": "Great for the jawbone.\t1\nIt broke.\t0\n",
    "imdb_labelled.txt": "A very, very, very slow-moving film.  \t0\nLoved it.  \t1\n",
    "yelp_labelled.txt": "Wow... Loved this place.\t1\r\nCrust is not good.\t0\r\n",
}


@pytest.fixture()
def uci_archive(no_mirror, monkeypatch):
    """The UCI zip as published (a folder, a readme, macOS resource forks), served by a stand-in download."""

    def archive(files: dict[str, str]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zipped:
            zipped.writestr("sentiment labelled sentences/readme.txt", "This dataset was created for ...")
            for name, text in files.items():
                zipped.writestr(f"sentiment labelled sentences/{name}", text)
                zipped.writestr(f"__MACOSX/sentiment labelled sentences/._{name}", b"\x00\x05")
        return buffer.getvalue()

    served = {"files": dict(SENTENCES)}
    fetched = []

    def fetch(url):
        fetched.append(url)
        return archive(served["files"])

    public = dataclasses.replace(
        data.DATASETS["sentiment_sentences"].public,
        files={
            "test": tuple(
                (domain, name, hashlib.sha256(SENTENCES[name].replace("\r\n", "\n").encode()).hexdigest())
                for domain, name in (
                    ("amazon", "amazon_cells_labelled.txt"),
                    ("imdb", "imdb_labelled.txt"),
                    ("yelp", "yelp_labelled.txt"),
                )
            )
        },
    )
    monkeypatch.setitem(
        data.DATASETS, "sentiment_sentences", dataclasses.replace(data.DATASETS["sentiment_sentences"], public=public)
    )
    monkeypatch.setattr(_public, "_fetch_url", fetch)
    return served, fetched


def test_labelled_sentences_public_path_downloads_checks_and_caches(uci_archive):
    _, fetched = uci_archive
    table = data.load_split("sentiment_sentences", "test")
    assert table.column_names == ["sentence", "label", "domain", "idx"]
    assert table["domain"] == ["amazon", "amazon", "imdb", "imdb", "yelp", "yelp"]
    assert table["sentence"][2] == "A very, very, very slow-moving film." and table["label"] == [1, 0, 0, 1, 1, 0]
    assert data.label_names("sentiment_sentences") == ["negative", "positive"]
    assert fetched == [data.DATASETS["sentiment_sentences"].public.url]
    data.load_split("sentiment_sentences", "test")
    assert len(fetched) == 1
    assert data.describe("sentiment_sentences").startswith(
        "sentiment_sentences: from the archive https://archive.ics.uci.edu/"
    )


def test_labelled_sentences_that_changed_are_refused(uci_archive):
    served, _ = uci_archive
    served["files"]["imdb_labelled.txt"] += "An added line.  \t1\n"
    with pytest.raises(ValueError, match="imdb_labelled.txt .*sha256.*BERTBOOK_DATA"):
        data.load_split("sentiment_sentences", "test")


# ------------------------------------------------------------------ fixtures cut from real copies of the sources
# tests/fixtures/public_sources/README.md says where each file was cut from. No public copy of the hub's parquet
# files was found, so the rows are built from the raw files with the steps of the hub's loading script for that
# dataset, and written with the features of its dataset card (names copied from the card, not from companion).

REAL = Path(__file__).parent / "fixtures" / "public_sources"
CARD_FEATURES = {
    "ag_news": datasets.Features({"text": TEXT, "label": CL(names=["World", "Sports", "Business", "Sci/Tech"])}),
    "trec": datasets.Features(
        {
            "text": TEXT,
            "coarse_label": CL(names=["ABBR", "ENTY", "DESC", "HUM", "LOC", "NUM"]),
            "fine_label": CL(
                names=(  # the card's order (its first 15 seen), as in the mirror
                    "ABBR:abb ABBR:exp ENTY:animal ENTY:body ENTY:color ENTY:cremat ENTY:currency "
                    "ENTY:dismed ENTY:event ENTY:food ENTY:instru ENTY:lang ENTY:letter ENTY:other "
                    "ENTY:plant ENTY:product ENTY:religion ENTY:sport ENTY:substance ENTY:symbol "
                    "ENTY:techmeth ENTY:termeq ENTY:veh ENTY:word DESC:def DESC:desc DESC:manner "
                    "DESC:reason HUM:gr HUM:ind HUM:title HUM:desc LOC:city LOC:country LOC:mount "
                    "LOC:other LOC:state NUM:code NUM:count NUM:date NUM:dist NUM:money NUM:ord "
                    "NUM:other NUM:period NUM:perc NUM:speed NUM:temp NUM:volsize NUM:weight"
                ).split(),
            ),
        }
    ),
    "wnut_17": datasets.Features(
        {
            "id": TEXT,
            "tokens": datasets.List(TEXT),
            "ner_tags": datasets.List(
                CL(
                    names=[
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
                    ]
                )
            ),
        }
    ),
    "squad": SQUAD_FEATURES,
}


def ag_news_rows(path: Path) -> list[dict]:
    # ag_news.py: class index 1-4 -> 0-3, text = title + " " + description
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file, quotechar='"', delimiter=",", quoting=csv.QUOTE_ALL, skipinitialspace=True)
        return [
            {"text": " ".join((title, description)), "label": int(label) - 1} for label, title, description in reader
        ]


def trec_rows(path: Path) -> list[dict]:
    # trec.py: "<COARSE>:<fine> <question>" per line; its one non-ASCII byte becomes a space
    features = CARD_FEATURES["trec"]
    rows = []
    for line in path.read_bytes().splitlines():
        fine, _, text = line.replace(b"\xf0", b" ").strip().decode().partition(" ")
        rows.append(
            {
                "text": text,
                "coarse_label": features["coarse_label"].str2int(fine.split(":")[0]),
                "fine_label": features["fine_label"].str2int(fine),
            }
        )
    return rows


def conll_rows(path: Path) -> list[dict]:
    # wnut_17.py: "<token>\t<tag>" lines; a line that is empty after rstrip() (in wnut17train.conll a lone tab)
    # ends a sentence; ids "0", "1", ... in each file
    tags = CARD_FEATURES["wnut_17"]["ner_tags"].feature
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.rstrip():
            current.append(line.rstrip().split("\t"))
        elif current:
            sentences.append(current)
            current = []
    return [
        {"id": str(i), "tokens": [token for token, _ in pairs], "ner_tags": [tags.str2int(tag) for _, tag in pairs]}
        for i, pairs in enumerate(sentences)
    ]


def squad_rows(path: Path) -> list[dict]:
    # squad.py: one row per question, whitespace stripped
    return [
        {
            "id": qa["id"],
            "title": article["title"].strip(),
            "context": paragraph["context"].strip(),
            "question": qa["question"].strip(),
            "answers": {
                "text": [a["text"].strip() for a in qa["answers"]],
                "answer_start": [a["answer_start"] for a in qa["answers"]],
            },
        }
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]
        for paragraph in article["paragraphs"]
        for qa in paragraph["qas"]
    ]


REAL_FILES = {
    "ag_news": {"test": (ag_news_rows, "ag_news/test.csv")},
    "trec": {"train": (trec_rows, "trec/train_5500.label"), "test": (trec_rows, "trec/TREC_10.label")},
    "wnut_17": {
        "train": (conll_rows, "wnut_17/wnut17train.conll"),
        "validation": (conll_rows, "wnut_17/emerging.dev.conll"),
        "test": (conll_rows, "wnut_17/emerging.test.annotated"),
    },
    "squad": {"train": (squad_rows, "squad/example_train.json"), "validation": (squad_rows, "squad/example_dev.json")},
}


def real_source(name: str) -> tuple[datasets.Features, dict[str, list[dict]]]:
    return CARD_FEATURES[name], {split: read(REAL / file) for split, (read, file) in REAL_FILES[name].items()}


@pytest.fixture()
def mirror_rows(needs_mirror):
    """The mirror's rows of a dataset (one split, or all), found before no_mirror hides the mirror."""
    folder = data.find_mirror()

    def rows(name: str, split: str = "*") -> list[dict]:
        files = sorted((folder / data.DATASETS[name].mirror).glob(f"{split}.jsonl"))
        assert files, (name, split)
        return [json.loads(line) for path in files for line in path.open(encoding="utf-8")]

    return rows


@pytest.fixture()
def mirror_label_names():
    """The label names the mirror's manifest records per dataset, read before no_mirror hides the mirror."""
    manifest = data.manifest()
    return {name: manifest[data.DATASETS[name].mirror]["label_names"] for name in REAL_FILES}


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_adapter_on_rows_cut_from_real_files(mirror_rows, mirror_label_names, no_mirror, name):
    features, splits = real_source(name)
    write_source(no_mirror, name, (features, splits))
    for split, rows in splits.items():
        assert rows, (name, split)
        table = data.load_split(name, split)
        assert table.column_names == BOOK_COLUMNS[name], (name, split)
        assert len(table) == len(rows)
        mirror = mirror_rows(name, split)
        assert set(mirror[0]) == set(table.column_names)  # the same columns as the mirror's rows
        recorded = mirror_label_names[name]
        for column in features:
            if _names(features[column]):  # the public path names labels as the card and the mirror do
                in_mirror = recorded.get(column) if isinstance(recorded, dict) else recorded
                assert _names(table.features[column]) == _names(features[column]) == in_mirror, (name, column)


def _names(feature) -> list[str]:
    inner = feature.feature if isinstance(feature, (datasets.List, datasets.Sequence)) else feature
    return inner.names if isinstance(inner, datasets.ClassLabel) else []


def test_real_rows_keep_the_values_of_the_files(no_mirror):
    for name in REAL_FILES:
        write_source(no_mirror, name, real_source(name))

    news = data.load_split("ag_news", "test")
    topic = news.features["label"].int2str
    assert news[0]["text"].startswith("Fears for T N pension after talks Unions representing workers at Turner")
    assert [topic(label) for label in news["label"]] == ["Business", "Sci/Tech", "Sci/Tech", "Sci/Tech"]
    assert "A second\\team of rocketeers competing for the  #36;10 million" in news[1]["text"]  # escapes kept as-is

    questions = data.load_split("trec", "test")
    assert questions["text"][:2] == ["How far is it from Denver to Aspen ?", "What county is Modesto , California in ?"]
    assert [questions.features["fine_label"].int2str(i) for i in questions["fine_label"]] == [
        "NUM:dist",
        "LOC:city",
        "HUM:desc",
        "DESC:def",
        "NUM:date",
    ]
    assert [questions.features["coarse_label"].int2str(i) for i in questions["coarse_label"]] == [
        "NUM",
        "LOC",
        "HUM",
        "DESC",
        "NUM",
    ]
    # the hub card's example row: {'text': 'How did serfdom develop in and then leave Russia ?', 'coarse_label': 2,
    # 'fine_label': 26}
    assert data.load_split("trec", "train")[0] == {
        "text": "How did serfdom develop in and then leave Russia ?",
        "coarse_label": 2,
        "fine_label": 26,
    }

    tweets = data.load_split("wnut_17", "train")
    tag = tweets.features["ner_tags"].feature.int2str
    first = tweets[0]
    assert first["id"] == "0" and first["tokens"][:2] == ["@paulwalk", "It"]
    assert [(token, tag(t)) for token, t in zip(first["tokens"], first["ner_tags"]) if t] == [
        ("Empire", "B-location"),
        ("State", "I-location"),
        ("Building", "I-location"),
        ("ESB", "B-location"),
    ]
    assert [tweet["id"] for tweet in data.load_split("wnut_17", "test")] == ["0", "1"]

    dev = data.load_split("squad", "validation")
    assert dev[0]["id"] == "56be4db0acb8001400a502ec" and dev[0]["title"] == "Super_Bowl_50"
    assert dev[0]["answers"] == {"text": ["Denver Broncos"] * 3, "answer_start": [177] * 3}
    for split in ("train", "validation"):
        for row in data.load_split("squad", split):
            for text, start in zip(row["answers"]["text"], row["answers"]["answer_start"]):
                assert row["context"][start : start + len(text)] == text, row["id"]


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_real_rows_equal_the_mirror_where_it_holds_the_same_items(mirror_rows, no_mirror, name):
    write_source(no_mirror, name, real_source(name))
    if name == "wnut_17":  # built from the same three files: ids restart in every split, so match within a split
        for split in REAL_FILES[name]:
            by_id = {row["id"]: row for row in mirror_rows(name, split)}
            public = list(data.load_split(name, split))
            assert public == [by_id[row["id"]] for row in public], split
        return
    key = "id" if name == "squad" else "text"  # the mirror re-split ag_news and trec: match rows by their text
    mirror = {row[key]: row for row in mirror_rows(name)}
    public = [row for split in REAL_FILES[name] for row in data.load_split(name, split)]
    found = [row for row in public if row[key] in mirror]
    assert [mirror[row[key]] for row in found] == found
    assert len(found) >= 2, f"{name}: the mirror holds only {len(found)} of the {len(public)} cut rows"


# ------------------------------------------------------------------------------------------ provenance


def test_every_dataset_has_its_provenance_recorded_as_data():
    fields = json.loads(data.PROVENANCE.read_text(encoding="utf-8"))["fields"]
    for name in data.dataset_names():
        record = data.provenance(name)
        assert record.get("source"), name
        assert set(record) <= set(fields), (name, set(record) - set(fields))
    assert set(json.loads(data.PROVENANCE.read_text(encoding="utf-8"))["datasets"]) == set(data.dataset_names())
    assert "UNVERIFIED" in data.provenance("stsb")["unverified"]
    with pytest.raises(KeyError, match="known: "):
        data.provenance("imdb")


def test_the_package_ships_the_provenance_file():
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'\[tool\.setuptools\.package-data\]\s*companion = \[[^\]]*"datasets\.json"', pyproject)
