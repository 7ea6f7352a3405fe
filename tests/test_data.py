import dataclasses
import json
import shutil

import datasets
import pytest

from companion import data


def test_mirror_dir_is_found_and_holds_the_manifest():
    assert (data.mirror_dir() / "manifest.json").is_file()


def test_mirror_dir_rejects_a_folder_without_manifest(monkeypatch, tmp_path):
    monkeypatch.setenv("BERTBOOK_DATA", str(tmp_path))
    with pytest.raises(data.MirrorError, match="BERTBOOK_DATA"):
        data.mirror_dir()


def test_missing_mirror_says_how_to_fix(monkeypatch, tmp_path):
    monkeypatch.delenv("BERTBOOK_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(data, "__file__", str(tmp_path / "companion" / "data.py"))
    with pytest.raises(data.MirrorError, match="set BERTBOOK_DATA"):
        data.mirror_dir()


def test_sst2_validation_is_complete_with_class_labels():
    validation = data.load_split("sst2", "validation")
    assert len(validation) == 872
    assert validation.features["label"].names == ["negative", "positive"]
    assert set(validation.column_names) == {"sentence", "label", "idx"}


def test_fast_rows_takes_a_seeded_sample():
    first = data.load_split("sst2", "train", fast_rows=50, seed=1)
    again = data.load_split("sst2", "train", fast_rows=50, seed=1)
    other = data.load_split("sst2", "train", fast_rows=50, seed=2)
    assert len(first) == 50
    assert list(first["idx"]) == list(again["idx"])
    assert list(first["idx"]) != list(other["idx"])


def test_fast_rows_larger_than_split_returns_all_rows():
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


def test_sequence_and_multi_column_labels():
    ner = data.load_split("wnut_17", "validation")
    assert ner.features["ner_tags"].feature.names[:3] == ["O", "B-corporation", "I-corporation"]
    assert data.label_names("trec", "coarse_label") == ["ABBR", "ENTY", "DESC", "HUM", "LOC", "NUM"]
    with pytest.raises(KeyError, match="coarse_label"):
        data.label_names("trec")
    with pytest.raises(KeyError, match="no label column"):
        data.label_names("squad")


def test_corrupt_mirror_file_is_refused(monkeypatch, tmp_path):
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


def test_mirror_path_never_calls_the_hub(monkeypatch):
    def no_hub(*args, **kwargs):
        raise AssertionError("the mirror path called datasets.load_dataset")

    monkeypatch.setattr(datasets, "load_dataset", no_hub)
    assert len(data.load_split("squad", "validation", fast_rows=5)) == 5


def test_full_profile_reads_all_rows_from_the_mirror(full_profile):
    assert data.source("gutenberg_prose") == "mirror"
    assert len(data.load_split("gutenberg_prose", "validation", fast_rows=3)) == 1288


def test_mirror_is_the_source_when_one_is_found(monkeypatch):
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


def test_every_mirrored_dataset_is_known_to_companion():
    manifest_names = {entry["name"] for entry in json.loads((data.mirror_dir() / "manifest.json").read_text())["datasets"]}
    mirrored = {spec.mirror for spec in data.DATASETS.values() if spec.mirror is not None}
    assert manifest_names == mirrored
    assert mirrored <= set(data.dataset_names())
