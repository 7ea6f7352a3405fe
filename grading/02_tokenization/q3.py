"""Exercise 3's hidden checks, appended to companion/exercise_checks/02_tokenization/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): every [UNK] word of the Wikipedia texts", points=1, hidden=True)
def hidden_every_unknown_word(unknown, tokenizer):
    from collections.abc import Collection

    from tokenizers import normalizers, pre_tokenizers

    from companion import data

    assert isinstance(unknown, Collection) and not isinstance(unknown, str), (
        f"unknown should be a collection of words, not {unknown!r}"
    )
    normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True)
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    vocabulary = tokenizer.get_vocab()

    def spelled(word):  # greedy longest match first: can the vocabulary spell the word?
        start = 0
        while start < len(word):
            for end in range(len(word), start, -1):
                if (word[start:end] if start == 0 else "##" + word[start:end]) in vocabulary:
                    break
            else:
                return False
            start = end
        return True

    texts = sorted(set(data.load_split("squad", "validation")["context"]))
    words = {word for text in texts for word, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text))}
    expected = {word for word in words if len(word) > 100 or not spelled(word)}
    missing, extra = sorted(expected - set(unknown)), sorted(set(unknown) - expected)
    assert not missing, f"unknown lacks {len(missing)} of the {len(expected)} [UNK] words, for example {missing[:5]}"
    assert not extra, f"unknown holds {len(extra)} words that are not [UNK] words, for example {extra[:5]}"
