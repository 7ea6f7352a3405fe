import dataclasses
import json
import shutil

import datasets
import pytest

from companion import _mirror, data


def test_mirror_dir_is_found_and_holds_the_manifest(needs_mirror):
    assert (data.mirror_dir() / "manifest.json").is_file()


def test_mirror_dir_rejects_a_folder_without_manifest(monkeypatch, tmp_path):
    monkeypatch.setenv("BERTBOOK_DATA", str(tmp_path))
    with pytest.raises(data.MirrorError, match="BERTBOOK_DATA"):
        data.mirror_dir()


def test_missing_mirror_says_how_to_fix(monkeypatch, tmp_path):
    monkeypatch.delenv("BERTBOOK_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    # no shared/data above any folder find_mirror starts from (a checkout's ../shared may sit above tmp_path too)
    monkeypatch.setattr(_mirror, "_search_starts", lambda: ())
    with pytest.raises(data.MirrorError, match="set BERTBOOK_DATA"):
        data.mirror_dir()


def test_sst2_validation_is_complete_with_class_labels(needs_mirror):
    validation = data.load_split("sst2", "validation")
    assert len(validation) == 872
    assert validation.features["label"].names == ["negative", "positive"]
    assert set(validation.column_names) == {"sentence", "label", "idx"}


def test_fast_rows_takes_a_seeded_sample(needs_mirror):
    first = data.load_split("sst2", "train", fast_rows=50, seed=1)
    again = data.load_split("sst2", "train", fast_rows=50, seed=1)
    other = data.load_split("sst2", "train", fast_rows=50, seed=2)
    assert len(first) == 50
    assert list(first["idx"]) == list(again["idx"])
    assert list(first["idx"]) != list(other["idx"])


def test_fast_rows_larger_than_split_returns_all_rows(needs_mirror):
    assert len(data.load_split("trec", "test", fast_rows=10_000)) == 501


def test_fast_rows_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        data.load_split("sst2", "train", fast_rows=0)


def test_unknown_dataset_lists_known_names():
    with pytest.raises(KeyError, match="known: ag_news"):
        data.load_split("imdb", "train")


def test_unknown_split_lists_the_splits():
    with pytest.raises(ValueError, match="splits: train, test"):
        data.load_split("ag_news", "validation")


def test_sequence_and_multi_column_labels(needs_mirror):
    ner = data.load_split("wnut_17", "validation")
    assert ner.features["ner_tags"].feature.names[:3] == ["O", "B-corporation", "I-corporation"]
    assert data.label_names("trec", "coarse_label") == ["ABBR", "ENTY", "DESC", "HUM", "LOC", "NUM"]
    with pytest.raises(KeyError, match="coarse_label"):
        data.label_names("trec")
    with pytest.raises(KeyError, match="no label column"):
        data.label_names("squad")


def test_corrupt_mirror_file_is_refused(needs_mirror, monkeypatch, tmp_path):
    source = data.mirror_dir()
    shutil.copy(source / "manifest.json", tmp_path / "manifest.json")
    (tmp_path / "trec").mkdir()
    original = (source / "trec" / "test.jsonl").read_text(encoding="utf-8")
    (tmp_path / "trec" / "test.jsonl").write_text(original.replace("What", "Who", 1), encoding="utf-8")
    monkeypatch.setenv("BERTBOOK_DATA", str(tmp_path))
    with pytest.raises(data.MirrorError, match="does not match manifest.json"):
        data.load_split("trec", "test")
    with pytest.raises(data.MirrorError, match="missing from the mirror"):
        data.load_split("trec", "train")


def test_mirror_path_never_calls_the_hub(needs_mirror, monkeypatch):
    def no_hub(*args, **kwargs):
        raise AssertionError("the mirror path called datasets.load_dataset")

    monkeypatch.setattr(datasets, "load_dataset", no_hub)
    assert len(data.load_split("squad", "validation", fast_rows=5)) == 5


def test_full_profile_reads_all_rows_from_the_mirror(needs_mirror, full_profile):
    assert data.source("gutenberg_prose") == "mirror"
    assert len(data.load_split("gutenberg_prose", "validation", fast_rows=3)) == 1288


def test_mirror_is_the_source_when_one_is_found(needs_mirror, monkeypatch):
    assert {data.source(name) for name in data.dataset_names() if data.DATASETS[name].mirror} == {"mirror"}
    not_mirrored = dataclasses.replace(data.DATASETS["sst2"], name="elsewhere", mirror=None)
    monkeypatch.setitem(data.DATASETS, "elsewhere", not_mirrored)
    assert data.source("elsewhere") == "public"  # a dataset the mirror lacks is read from its public source


def test_source_override_is_checked(monkeypatch):
    monkeypatch.setenv("BERTBOOK_SOURCE", "public")
    assert data.source("sst2") == "public"
    monkeypatch.setenv("BERTBOOK_SOURCE", "hub")
    with pytest.raises(ValueError, match="BERTBOOK_SOURCE"):
        data.source("sst2")


def test_every_mirrored_dataset_is_known_to_companion(needs_mirror):
    manifest = json.loads((data.mirror_dir() / "manifest.json").read_text(encoding="utf-8"))
    manifest_names = {entry["name"] for entry in manifest["datasets"]}
    mirrored = {spec.mirror for spec in data.DATASETS.values() if spec.mirror is not None}
    assert manifest_names == mirrored
    assert mirrored <= set(data.dataset_names())


def test_train_and_dev_keep_the_fast_sample_and_never_share_a_row(needs_mirror):
    train, dev = data.load_train_and_dev("sst2", dev_rows=200, fast_rows=1000)
    assert list(train["idx"]) == list(data.load_split("sst2", "train", fast_rows=1000)["idx"])
    assert len(dev) == 200 and not set(train["idx"]) & set(dev["idx"])


def test_train_and_dev_in_the_full_profile_hold_dev_out_of_every_row(needs_mirror, full_profile):
    train, dev = data.load_train_and_dev("trec", dev_rows=500, fast_rows=1000)
    assert len(dev) == 500
    assert sorted(list(train["text"]) + list(dev["text"])) == sorted(
        data.load_split("trec", "train")["text"]
    )  # a partition


def test_train_and_dev_refuse_a_dev_split_as_large_as_the_data(needs_mirror):
    with pytest.raises(ValueError, match="too few"):
        data.load_train_and_dev("trec", dev_rows=10**6)
    with pytest.raises(ValueError, match="positive"):
        data.load_train_and_dev("trec", dev_rows=0)


def test_shares_phrase_finds_items_inside_training_items_and_long_training_items_inside_them():
    training = ["the movie is a gorgeous mess of ideas", "bad", "a truly great cast"]
    candidates = [
        "gorgeous mess of ideas",
        "bad",
        "good",
        "I liked a truly great cast here",
        "a gorgeous mess",
        "The Movie is a gorgeous mess of ideas",
        "not bad at all",
    ]
    # inside a training item at any length (the same parse tree), or holding one of four words or more;
    # "not bad at all" holds the one-word item "bad", which says nothing about the candidate's own label
    assert data.shares_phrase(candidates, training) == [True, True, False, True, True, True, False]


def test_holds_phrase_of_is_the_mirror_of_shares_phrase():
    first = ["the movie is a gorgeous mess of ideas", "bad", "a truly great cast", "fine"]
    second = ["gorgeous mess of ideas", "bad", "good", "I liked a truly great cast here", "a gorgeous mess", "not bad"]
    mirrored = [any(data.shares_phrase([text], [other])[0] for text in second) for other in first]
    assert data.holds_phrase_of(first, second) == mirrored == [True, True, True, False]


def test_train_and_dev_by_phrase_share_no_phrase_and_keep_the_fast_sample(needs_mirror):
    train, dev = data.load_train_and_dev("sst2", dev_rows=300, fast_rows=1000, phrase_column="sentence")
    assert list(train["idx"]) == list(data.load_split("sst2", "train", fast_rows=1000)["idx"])
    assert len(dev) == 300 and not set(train["idx"]) & set(dev["idx"])
    assert not any(data.shares_phrase(list(dev["sentence"]), list(train["sentence"])))
    plain_train, plain_dev = data.load_train_and_dev("sst2", dev_rows=300, fast_rows=1000)
    assert any(data.shares_phrase(list(plain_dev["sentence"]), list(plain_train["sentence"])))  # the trap it avoids


def test_train_and_dev_by_phrase_in_the_full_profile_drop_training_rows(needs_mirror, full_profile):
    train, dev = data.load_train_and_dev("sst2", dev_rows=200, phrase_column="sentence")
    assert len(dev) == 200 and not set(train["idx"]) & set(dev["idx"])
    assert not any(data.holds_phrase_of(list(train["sentence"]), list(dev["sentence"])))
    assert len(train) < len(data.load_split("sst2", "train")) - 200  # the training phrases of dev's sentences dropped


def test_unlabelled_rows_leave_out_train_and_dev_and_hold_no_phrase_of_them(needs_mirror):
    train, dev = data.load_train_and_dev("sst2", dev_rows=300, fast_rows=1000, phrase_column="sentence")
    transfer = data.load_unlabelled(
        "sst2", rows=3000, leave_out=[train, dev], apart_from=list(dev["sentence"]), phrase_column="sentence"
    )
    assert len(transfer) == 3000 and "label" not in transfer.column_names  # unlabelled
    assert not set(transfer["idx"]) & (set(train["idx"]) | set(dev["idx"]))
    assert not any(data.holds_phrase_of(list(transfer["sentence"]), list(dev["sentence"])))
    again = data.load_unlabelled(
        "sst2", rows=3000, leave_out=[train, dev], apart_from=list(dev["sentence"]), phrase_column="sentence"
    )
    assert list(again["idx"]) == list(transfer["idx"])  # seeded


def test_unlabelled_rows_run_out_with_the_split_and_refuse_bad_arguments(needs_mirror):
    train, dev = data.load_train_and_dev("sst2", dev_rows=300, fast_rows=1000)
    rest = data.load_unlabelled("sst2", rows=10**6, leave_out=[train, dev])
    assert len(rest) == len(data.load_split("sst2", "train")) - 1300  # every row the two left out, no more
    with pytest.raises(ValueError, match="positive"):
        data.load_unlabelled("sst2", rows=0, leave_out=[train])
    with pytest.raises(ValueError, match="no column 'idx'"):
        data.load_unlabelled("trec", rows=10, leave_out=[])  # rows are told apart by an id column


def test_train_and_dev_refuse_an_unknown_phrase_column(needs_mirror):
    with pytest.raises(ValueError, match="no column 'text'"):
        data.load_train_and_dev("sst2", dev_rows=10, fast_rows=100, phrase_column="text")
