"""Record (or check) how BERT's tokenizers fare on the source article: counts only, never its text.

    python scripts/source_article.py --write [--chinese-vocab PATH/vocab.txt]
    python scripts/source_article.py --check   # exit 1 if a re-count differs from the record

The source article (Chinese) lies beside the repository in ../shared/seed/; readers do not have it, so chapter 2
reads these counts from companion/measurements/source_article.json. The English side uses the book's packaged
tokenizer (bert-base-uncased's vocabulary, offline). The Chinese side needs bert-base-chinese's vocab.txt
(https://huggingface.co/google-bert/bert-base-chinese, 21,128 lines), given with --chinese-vocab; --write without
it keeps the Chinese counts already recorded, and --check re-counts them only when it is given. The Chinese side is
counted lowercased, as the English one; only its token count of the article's English words depends on that. Its
vocab.txt has 21,128 lines (bert-base-chinese's vocab_size) and 21,075 distinct entries: some lines repeat.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from importlib.resources import files
from pathlib import Path

from tokenizers import BertWordPieceTokenizer

from companion import cjk, models

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_FOLDER = ROOT.parent / "shared" / "seed"
RECORD = Path(str(files("companion") / "measurements" / "source_article.json"))


def article_path(folder: Path = ARTICLE_FOLDER) -> Path:
    """The one text file of the source article's folder."""
    texts = sorted(folder.glob("*.txt"))
    if len(texts) != 1:
        raise FileNotFoundError(f"expected one source article (*.txt) in {folder}, found {len(texts)}")
    return texts[0]


def tokenizer_counts(text: str, tokens: list[str], vocabulary: dict[str, int]) -> dict[str, int]:
    """The character counts of cjk.character_counts, plus the tokenizer's tokens and [UNK]s on the text."""
    return {
        "vocabulary entries": len(vocabulary),
        "single cjk characters in the vocabulary": sum(cjk.is_cjk(entry) for entry in vocabulary),
        "tokens": len(tokens),
        "[UNK] tokens": tokens.count("[UNK]"),
        **cjk.character_counts(text, vocabulary),
    }


def count(text: str, chinese_vocab: Path | None) -> dict:
    """The record: the article's sha256 and, per tokenizer, its counts (the Chinese one only with its vocab)."""
    english = models.load_tokenizer()
    record = {
        "article sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "bert-base-uncased": tokenizer_counts(text, english.tokenize(text), english.get_vocab()),
    }
    if chinese_vocab is not None:
        chinese = BertWordPieceTokenizer(str(chinese_vocab), lowercase=True)
        tokens = chinese.encode(text, add_special_tokens=False).tokens
        record["bert-base-chinese"] = {
            "vocab.txt lines": len(chinese_vocab.read_text(encoding="utf-8").splitlines()),
            "vocab.txt sha256": hashlib.sha256(chinese_vocab.read_bytes()).hexdigest(),
            **tokenizer_counts(text, tokens, chinese.get_vocab()),
        }
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    parser.add_argument("--chinese-vocab", type=Path, help="bert-base-chinese's vocab.txt")
    parser.add_argument("--article-folder", type=Path, default=ARTICLE_FOLDER)
    args = parser.parse_args()
    text = article_path(args.article_folder).read_text(encoding="utf-8")
    fresh = count(text, args.chinese_vocab)
    recorded = json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else {}
    if args.write:
        if "bert-base-chinese" not in fresh and "bert-base-chinese" in recorded:
            fresh["bert-base-chinese"] = recorded["bert-base-chinese"]
        RECORD.write_text(json.dumps(fresh, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {RECORD}")
        return
    differ = [key for key in fresh if fresh[key] != recorded.get(key)]
    if differ:
        sys.exit(f"{RECORD.name}: {differ} differ from a re-count: run this script with --write")
    print(f"{RECORD.name}: the re-count agrees ({', '.join(fresh)})")


if __name__ == "__main__":
    main()
