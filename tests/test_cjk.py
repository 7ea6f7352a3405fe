import json
import subprocess
import sys
from pathlib import Path

import pytest
from tokenizers import normalizers

from companion import cjk, models

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_FOLDER = ROOT.parent / "shared" / "seed"


def test_is_cjk_agrees_with_the_normalizer_on_every_single_character_entry():
    # BertNormalizer(handle_chinese_chars=True) puts spaces around exactly the characters BERT splits one by one
    normalizer = normalizers.BertNormalizer(handle_chinese_chars=True, lowercase=False, strip_accents=False)
    singles = [entry for entry in models.load_tokenizer().get_vocab() if len(entry) == 1] + ["𠀀", "가", "あ", "ア"]
    spaced = {entry for entry in singles if normalizer.normalize_str(entry) == f" {entry} "}
    assert {entry for entry in singles if cjk.is_cjk(entry)} == spaced
    assert cjk.is_cjk("中") and cjk.is_cjk("𠀀") and not cjk.is_cjk("가") and not cjk.is_cjk("中文")


def test_the_library_starts_extension_e_later_than_bert():
    # BERT's tokenization.py: 0x2B820-0x2CEAF; the tokenizers normalizer: from 0x2B920 (a known, harmless difference)
    normalizer = normalizers.BertNormalizer(handle_chinese_chars=True, lowercase=False, strip_accents=False)
    first_e, library_e = chr(0x2B820), chr(0x2B920)
    assert cjk.is_cjk(first_e) and normalizer.normalize_str(first_e) == first_e
    assert cjk.is_cjk(library_e) and normalizer.normalize_str(library_e) == f" {library_e} "


def test_character_counts():
    counts = cjk.character_counts("BERT 模型，模型。", ["模"])
    assert counts == {
        "characters": 11,
        "cjk characters": 4,
        "distinct cjk characters": 2,
        "cjk characters not in the vocabulary": 2,
        "distinct cjk characters in the vocabulary": 1,
    }


@pytest.mark.skipif(not ARTICLE_FOLDER.is_dir(), reason="the source article lies beside the repository only")
def test_the_recorded_counts_of_the_source_article_hold():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "source_article.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_record_is_consistent():
    record = json.loads((ROOT / "companion" / "measurements" / "source_article.json").read_text(encoding="utf-8"))
    english, chinese = record["bert-base-uncased"], record["bert-base-chinese"]
    assert chinese["vocab.txt lines"] == 21128  # bert-base-chinese's config: vocab_size 21128
    for side in (english, chinese):
        assert side["cjk characters"] == english["cjk characters"] and side["characters"] == english["characters"]
        # the only characters a BERT vocabulary can lack here are CJK ones (the rest is ASCII and punctuation)
        assert side["[UNK] tokens"] == side["cjk characters not in the vocabulary"]
