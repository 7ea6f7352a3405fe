"""What tests/test_grading.py needs to test chapter 11's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read: the data,
the tokenizer, seqeval's scores, the memorizing baseline and the training names (seconds, no training).
context(): stands in for the fine-tuned tagger, which the chapter trains for minutes: the memorizing baseline's
test tags play `predicted_test` and its scores `fine_tuned` (real predictions of a real tagger, with entities
that start with an I- tag, a strict F1 below the default one, and both seen and unseen entities found); and
the chapter's `spans` helper, taken from its cell (that cell also tallies the fine-tuned tagger's errors).
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

import ast
from pathlib import Path

CONTEXT = [
    "from companion import checks",  # runtime.setup
    "import numpy as np",  # the three splits, tag_names, REHEARSAL
    "example = train[",  # the example sentence (the tokenizer's cell aligns it)
    "def first_piece_labels(",
    "# bert-base-cased in the full profile",  # the tokenizer (exercise 1)
    "from seqeval.metrics import (",  # entity_scores, f1_score, gold_test
    "lexicon = ner.fit_word_lexicon(",  # the memorizing baseline: baseline_tags, baseline
    "from seqeval.metrics.sequence_labeling import get_entities\n\ngold_train",  # train_names, seen_share
]


def context(namespace: dict) -> None:
    """Stand in for the fine-tuned tagger's test predictions; define the chapter's spans()."""
    import nbformat

    namespace["predicted_test"] = namespace["baseline_tags"]
    namespace["fine_tuned"] = namespace["baseline"]
    book = Path(__file__).resolve().parents[2] / "book" / "11_ner.ipynb"
    [cell] = [c.source for c in nbformat.read(book, as_version=4).cells if c.source.startswith("def spans(")]
    exec(compile(ast.Module(body=ast.parse(cell).body[:1], type_ignores=[]), "11_ner: def spans(", "exec"), namespace)


WRONG = {
    "q1": [
        # tokenizer(word) adds [CLS] and [SEP]: every word looks split
        "pieces_per_word = [len(tokenizer(word)['input_ids']) for words in train['tokens'] for word in words]\n"
        "is_entity = [t > 0 for tags in train['ner_tags'] for t in tags]\n"
        "frame = pd.DataFrame({'split': np.array(pieces_per_word) > 1, 'entity': is_entity})\n"
        "split_share = frame.groupby('entity')['split'].mean()\n"
        "overall_share = frame['split'].mean()",
        # counts of split words, not shares
        "pieces_per_word = [len(tokenizer.tokenize(word)) for words in train['tokens'] for word in words]\n"
        "is_entity = [t > 0 for tags in train['ner_tags'] for t in tags]\n"
        "frame = pd.DataFrame({'split': np.array(pieces_per_word) > 1, 'entity': is_entity})\n"
        "split_share = frame.groupby('entity')['split'].sum()\n"
        "overall_share = frame['split'].mean()",
        # entity words = first words of entities only (B- tags): passes the public checks, caught by a hidden one
        "pieces_per_word = [len(tokenizer.tokenize(word)) for words in train['tokens'] for word in words]\n"
        "is_entity = [tag_names[t].startswith('B-') for tags in train['ner_tags'] for t in tags]\n"
        "frame = pd.DataFrame({'split': np.array(pieces_per_word) > 1, 'entity': is_entity})\n"
        "split_share = frame.groupby('entity')['split'].mean()\n"
        "overall_share = frame['split'].mean()",
        # the overall share as the plain mean of the two groups' shares: between them, caught by a hidden check
        "pieces_per_word = [len(tokenizer.tokenize(word)) for words in train['tokens'] for word in words]\n"
        "is_entity = [t > 0 for tags in train['ner_tags'] for t in tags]\n"
        "frame = pd.DataFrame({'split': np.array(pieces_per_word) > 1, 'entity': is_entity})\n"
        "split_share = frame.groupby('entity')['split'].mean()\n"
        "overall_share = split_share.mean()",
    ],
    "q2": [
        # mode="strict" without a scheme: seqeval silently scores in the default mode
        "from seqeval.scheme import IOB2\n"
        "def entity_starts_with_i(sequences):\n"
        "    return sum(tag.startswith('I-') and previous[2:] != tag[2:]\n"
        "               for tags in sequences for previous, tag in zip(['O'] + tags[:-1], tags))\n"
        "strict = f1_score(gold_test, predicted_test, mode='strict')",
        # every I- tag counted, not the entities that start with one
        "from seqeval.scheme import IOB2\n"
        "def entity_starts_with_i(sequences):\n"
        "    return sum(tag.startswith('I-') for tags in sequences for tag in tags)\n"
        "strict = f1_score(gold_test, predicted_test, mode='strict', scheme=IOB2)",
        # only an I- after O counts (not after another type, nor first in the sentence)
        "from seqeval.scheme import IOB2\n"
        "def entity_starts_with_i(sequences):\n"
        "    return sum(tag.startswith('I-') and previous == 'O'\n"
        "               for tags in sequences for previous, tag in zip(tags, tags[1:]))\n"
        "strict = f1_score(gold_test, predicted_test, mode='strict', scheme=IOB2)",
        # precision in strict mode, not F1: passes the public checks, caught by a hidden one
        "from seqeval.metrics import precision_score\n"
        "from seqeval.scheme import IOB2\n"
        "def entity_starts_with_i(sequences):\n"
        "    return sum(tag.startswith('I-') and previous[2:] != tag[2:]\n"
        "               for tags in sequences for previous, tag in zip(['O'] + tags[:-1], tags))\n"
        "strict = precision_score(gold_test, predicted_test, mode='strict', scheme=IOB2)",
    ],
    "q3": [
        # the span alone, without the type: a right span with the wrong type counted as found
        "rows = [{'seen': ' '.join(words[s : e + 1]).lower() in train_names, 'found': (s, e) in spans(predicted)}\n"
        "        for words, gold, predicted in zip(test['tokens'], gold_test, predicted_test)\n"
        "        for (s, e), kind in spans(gold).items()]\n"
        "found = pd.DataFrame(rows)\n"
        "recall_seen, recall_new = (found[found['seen'] == seen]['found'].mean() for seen in (True, False))",
        # the two recalls swapped
        "rows = [{'seen': ' '.join(words[s : e + 1]).lower() in train_names,\n"
        "         'found': spans(predicted).get((s, e)) == kind}\n"
        "        for words, gold, predicted in zip(test['tokens'], gold_test, predicted_test)\n"
        "        for (s, e), kind in spans(gold).items()]\n"
        "found = pd.DataFrame(rows)\n"
        "recall_new, recall_seen = (found[found['seen'] == seen]['found'].mean() for seen in (True, False))",
        # names matched without lower-casing (train_names is lower case): the groups no longer match seen_share
        "rows = [{'seen': ' '.join(words[s : e + 1]) in train_names,\n"
        "         'found': spans(predicted).get((s, e)) == kind}\n"
        "        for words, gold, predicted in zip(test['tokens'], gold_test, predicted_test)\n"
        "        for (s, e), kind in spans(gold).items()]\n"
        "found = pd.DataFrame(rows)\n"
        "recall_seen, recall_new = (found[found['seen'] == seen]['found'].mean() for seen in (True, False))",
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "A", "C", "A"'],  # the first answer wrong
}
