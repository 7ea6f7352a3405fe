"""Chinese text and BERT's tokenizers: which characters BERT treats as CJK, and how a text's characters fare."""

from __future__ import annotations

from collections.abc import Iterable

# The code-point blocks BERT's basic tokenizer treats as Chinese characters (google-research/bert's
# tokenization.py, _is_chinese_char): the CJK Unified Ideographs and their extensions, and the compatibility
# ideographs. Hangul and kana are not among them: they are tokenized like other scripts (split at whitespace and
# punctuation only). The tokenizers library's normalizer starts extension E at 0x2B920 instead of 0x2B820
# (tests/test_cjk.py pins the difference); no vocabulary entry of the book's tokenizers falls between the two.
CJK_BLOCKS: tuple[tuple[int, int], ...] = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


def is_cjk(text: str) -> bool:
    """True for a single character in one of the CJK blocks BERT splits one by one."""
    return len(text) == 1 and any(start <= ord(text) <= end for start, end in CJK_BLOCKS)


def character_counts(text: str, vocabulary: Iterable[str]) -> dict[str, int]:
    """Counts of a text's CJK characters (all, distinct) and of those a vocabulary lacks (would be [UNK])."""
    entries = set(vocabulary)
    characters = [character for character in text if is_cjk(character)]
    return {
        "characters": len(text),
        "cjk characters": len(characters),
        "distinct cjk characters": len(set(characters)),
        "cjk characters not in the vocabulary": sum(c not in entries for c in characters),
        "distinct cjk characters in the vocabulary": len(set(characters) & entries),
    }
