"""What tests/test_grading.py needs to test chapter 2's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read; the test
runs them, then the stub, the solution or a wrong answer of each exercise, and then that exercise's checks.
They include the training of the 8,000-entry vocabulary, which takes about a second; context() stands in for
the vocabulary-size sweep (four more trainings), of which exercise 4's solution reads only the sizes.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

CONTEXT = [
    "from collections import Counter",  # the imports
    "train = data.load_split(",  # texts (the training novels) and held_out (the unseen novel)
    "tokenizer = train_wordpiece(texts",  # our 8,000-entry vocabulary, and its backend
    "def wordpiece(",  # used by the next cell
    "def words_of(",  # the words of a text, as the normalizer and pre-tokenizer make them
    "continuation = [",  # used by the next cell
    "bert_tokenizer = models.load_tokenizer()",  # bert-base-uncased's vocabulary
    "squad = data.load_split(",  # wikipedia_texts, measure() and the table `comparison`
    "novel, wiki = comparison.loc",  # the uncased vocabulary's pieces per word on the unseen novel
]


def context(namespace: dict) -> None:
    """Stand in for the sweep over vocabulary sizes: exercise 4's solution compares with its largest size."""
    import pandas as pd

    namespace["sweep"] = pd.Series({size: float("nan") for size in (1000, 2000, 4000, 8000, 16000)})


WRONG = {
    "q1": [
        # tokenizer(word) counts [CLS] and [SEP] too, so no word is ever one piece
        'words = ["harpooneer", "ishmael", "methodist", "newton"]\n'
        'ours_whole = [w for w in words if len(tokenizer(w)["input_ids"]) == 1]\n'
        'bert_whole = [w for w in words if len(bert_tokenizer(w)["input_ids"]) == 1]',
        # the two lists swapped
        'ours_whole, bert_whole = ["methodist", "newton"], ["harpooneer", "ishmael"]',
        # a guess that forgets newton: every word listed is right, so only a hidden check sees the gap
        'ours_whole, bert_whole = ["harpooneer", "ishmael"], ["methodist"]',
    ],
    "q2": [
        # lowercase=False forgotten: the uncased vocabulary again
        "cased = train_wordpiece(texts, vocab_size=8000)\n"
        "words_ = [w for text in held_out['text'] for w, _ in cased.backend_tokenizer.pre_tokenizer.pre_tokenize_str("
        "cased.backend_tokenizer.normalizer.normalize_str(text))]\n"
        "cased_pieces = sum(map(len, cased(words_, add_special_tokens=False)['input_ids'])) / len(words_)",
        # [CLS] and [SEP] counted with every word
        "cased = train_wordpiece(texts, vocab_size=8000, lowercase=False)\n"
        "words_ = [w for text in held_out['text'] for w, _ in cased.backend_tokenizer.pre_tokenizer.pre_tokenize_str("
        "cased.backend_tokenizer.normalizer.normalize_str(text))]\n"
        "cased_pieces = sum(map(len, cased(words_)['input_ids'])) / len(words_)",
        # measured on Wikipedia, not on the unseen novel
        "cased = train_wordpiece(texts, vocab_size=8000, lowercase=False)\n"
        "words_ = [w for text in wikipedia_texts for w, _ in cased.backend_tokenizer.pre_tokenizer.pre_tokenize_str("
        "cased.backend_tokenizer.normalizer.normalize_str(text))]\n"
        "cased_pieces = sum(map(len, cased(words_, add_special_tokens=False)['input_ids'])) / len(words_)",
        # the chapter's held-out words, lower-cased by the uncased normalizer, fed to the cased vocabulary:
        # within the public range, caught by the hidden check
        "cased = train_wordpiece(texts, vocab_size=8000, lowercase=False)\n"
        "cased_pieces = sum(map(len, cased(held_out_words, add_special_tokens=False)['input_ids'])) "
        "/ len(held_out_words)",
    ],
    "q3": [
        # the unseen novel instead of Wikipedia: it has no [UNK] word
        'unknown = {word for text in held_out["text"] for word in words_of(text) '
        'if tokenizer.tokenize(word) == ["[UNK]"]}',
        # whitespace-split words, punctuation and capitals attached
        'unknown = {word for text in wikipedia_texts for word in text.split() if "[UNK]" in tokenizer.tokenize(word)}',
        # bert-base-uncased's [UNK] words: each is [UNK] for ours too, but most of ours are missing
        "unknown = {word for text in wikipedia_texts for word in words_of(text) "
        'if bert_tokenizer.tokenize(word) == ["[UNK]"]}',
    ],
    "q4": [
        # trained on the first 3,000 paragraphs only
        "capped = train_wordpiece(texts[:3000], vocab_size=50_000)",
        # the unseen novel added to the training text: within the public range, caught by the hidden check
        'capped = train_wordpiece(texts + list(held_out["text"]), vocab_size=50_000)',
        # min_frequency=1: within the public range, caught by the hidden check
        "capped = train_wordpiece(texts, vocab_size=50_000, min_frequency=1)",
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "B", "C", "C"'],  # the second answer wrong
}
