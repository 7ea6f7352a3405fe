"""What tests/test_grading.py needs to test chapter 8's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read: the
imports, AG News's splits and topic names, the tokenizer, the TF-IDF baseline (seconds, no fine-tuning).
context() stands in for what the fine-tuned model's predictions give: `labels`, the test stories' true topics
(training.predict returns them in the test split's order), and the classification_report import.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

CONTEXT = [
    "from companion import checks",  # the imports, SEED
    "import numpy as np",  # FAST, REHEARSAL, AG News's train / dev / test splits and `names`
    "tokenizer = models.load_tokenizer()",  # the chapter's tokenizer (exercise 3)
    "from sklearn.metrics import accuracy_score",  # `baselines` and the TF-IDF baseline
]


def context(namespace: dict) -> None:
    """Stand in for the fine-tuned model's pass over the test split: exercise 1 reads only its `labels`."""
    import numpy as np
    from sklearn.metrics import classification_report

    namespace["labels"] = np.array(namespace["test"]["label"])
    namespace["classification_report"] = classification_report


_WORLD = (
    "always_world = np.zeros_like(labels)\n"
    "world_accuracy = accuracy_score(labels, always_world)\n"
    "world_report = pd.DataFrame(classification_report({arguments}, target_names=names, output_dict=True, "
    "zero_division=0)).T"
)
_TREC = (
    "trec_train, trec_test = data.load_split('trec', 'train'), data.load_split('trec', 'test')\n"
    "trec_names = data.label_names('trec', 'coarse_label')\n"
    "trec_model = baselines.tfidf_classifier(min_df=1)\n"
    "trec_model.fit(list({fit}['text']), list({fit}['{column}']))\n"
    "trec_report = classification_report(list({scored}['coarse_label']), trec_model.predict(list({scored}['text'])), "
    "labels=list(range(6)), target_names=trec_names, output_dict=True, zero_division=0)\n"
    "trec_f1 = pd.DataFrame(trec_report).T{rows}['f1-score']"
)
_RIGHT_F1_ROWS = ".loc[trec_names]"
_BBC = (
    "bbc_train, bbc_test = data.load_split('bbc_news', 'train'), data.load_split('bbc_news', 'test')\n"
    "bbc_tokens = np.array({count})\n"
    "def head(texts, words):\n"
    "    return {head}\n"
    "bbc_accuracy = {{}}\n"
    "for key, words in (('first 16 words', 16), ('first 64 words', 64), ('whole article', None)):\n"
    "    model = baselines.tfidf_classifier(ngram_range=(1, 1), min_df=1)\n"
    "    model.fit({fit_texts}, list(bbc_train['label']))\n"
    "    bbc_accuracy[key] = accuracy_score(list(bbc_test['label']), model.predict(head(bbc_test['text'], words)))"
)
_TOKENS = "[len(ids) for ids in tokenizer(list(bbc_test['text']), verbose=False)['input_ids']]"
_WORDS = "[' '.join(text.split()[:words]) for text in texts]"
_FIT_HEADS = "head(bbc_train['text'], words)"

WRONG = {
    "q1": [
        # the topic with label 1 (Sports), as if labels counted from 1
        _WORLD.replace("np.zeros_like(labels)", "np.ones_like(labels)").format(arguments="labels, always_world"),
        # y_true and y_pred swapped in the report: the F1s agree, the support does not
        _WORLD.format(arguments="always_world, labels"),
        # the error rate
        _WORLD.format(arguments="labels, always_world") + "\nworld_accuracy = 1 - world_accuracy",
        # World's F1 by hand as the arithmetic mean of precision and recall: passes the public checks, caught by
        # a hidden one
        "always_world = np.zeros_like(labels)\n"
        "world_accuracy = accuracy_score(labels, always_world)\n"
        "world_report = pd.DataFrame({'precision': [world_accuracy, 0, 0, 0], 'recall': [1.0, 0, 0, 0], "
        "'f1-score': [(world_accuracy + 1) / 2, 0, 0, 0], 'support': np.bincount(labels, minlength=4)}, index=names)",
    ],
    "q2": [
        # fitted on the 50 fine classes
        _TREC.format(fit="trec_train", column="fine_label", scored="trec_test", rows=_RIGHT_F1_ROWS),
        # scored on the training questions
        _TREC.format(fit="trec_train", column="coarse_label", scored="trec_train", rows=_RIGHT_F1_ROWS),
        # the splits swapped (fitted on the test questions, scored on the training ones): passes the public
        # checks, caught by the hidden ones
        _TREC.format(fit="trec_test", column="coarse_label", scored="trec_train", rows=_RIGHT_F1_ROWS),
        # the report's 'accuracy' and average rows kept
        _TREC.format(fit="trec_train", column="coarse_label", scored="trec_test", rows=""),
    ],
    "q3": [
        # words, not WordPiece tokens
        _BBC.format(count="[len(text.split()) for text in bbc_test['text']]", head=_WORDS, fit_texts=_FIT_HEADS),
        # [CLS] and [SEP] left out of the count: caught by a hidden check
        _BBC.format(
            count="[len(ids) for ids in tokenizer(list(bbc_test['text']), add_special_tokens=False, "
            "verbose=False)['input_ids']]",
            head=_WORDS,
            fit_texts=_FIT_HEADS,
        ),
        # fitted on whole articles, scored on their heads: caught by a hidden check
        _BBC.format(count=_TOKENS, head=_WORDS, fit_texts="list(bbc_train['text'])"),
        # the first 16 and 64 characters, not words: caught by a hidden check
        _BBC.format(count=_TOKENS, head="[text[:words] for text in texts]", fit_texts=_FIT_HEADS),
        # `words` never used: every model reads the whole article
        _BBC.format(count=_TOKENS, head="list(texts)", fit_texts=_FIT_HEADS),
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "B", "A", "A"'],  # the second answer wrong
}
