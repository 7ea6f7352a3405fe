"""What tests/test_grading.py needs to test chapter 12's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) that the exercises read and that train
nothing: the data and its splits, the tokenizer and the shortest pair's `lengths`, the overlap baseline, the
encoded splits, the classifier class, the loaders and the untrained classifier. context(namespace) stands in
for the two epochs of fine-tuning (minutes on a CPU): it fits the head alone, by logistic regression on the
frozen encoder's mean vectors of 320 training pairs (seconds, no backward pass), a real pair classifier whose
decisions are mixed and depend on the sentences' order. Then it runs the chapter's own cells that score it: the
validation predictions and results table (`gold`, `predictions`, `bert`, `overlap`), McNemar's test
(`bert_vs_overlap`) and the ablation (`ablation`, `variant_logits`).
The test runs these, then the stub, the solution or a wrong answer of each exercise, and then its checks.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

import ast
from pathlib import Path

CHAPTER = Path(__file__).resolve().parents[2] / "book" / "12_sentence_pairs.ipynb"

CONTEXT = [
    "from companion import checks, data",  # runtime.setup
    "import numpy as np",  # full_train, validation, names, FAST, REHEARSAL
    "from sklearn.model_selection import train_test_split",  # train, dev
    "tokenizer = models.load_tokenizer()",  # the tokenizer and `lengths` (exercise 1)
    "import torch",  # torch (and the segment table)
    "import re",  # the overlap features and labels
    "from sklearn.linear_model import LogisticRegression",  # overlap_model
    "from torch.utils.data import DataLoader",  # MAX_LENGTH, collator, the encoded splits
    "from transformers.modeling_outputs import",  # MeanPooledClassifier
    "SEED = runtime.seed()",  # loader, scores and the loaders
    "LR = 1e-4 if FAST else 2e-5",  # the untrained classifier
]

# the head fitted on frozen mean vectors instead of two epochs of fine-tuning
STAND_IN = """
from sklearn.linear_model import LogisticRegression as _Fit

classifier.eval()
_pooled, _gold = [], []
with torch.no_grad():
    for _batch in loader(train_encoded.select(range(320))):
        _gold.append(_batch.pop("labels").numpy())
        _hidden = classifier.encoder(**_batch).last_hidden_state
        _pooled.append(embeddings.mean_pool(_hidden, _batch["attention_mask"]).numpy())
_fit = _Fit(C=1.0, max_iter=2000).fit(np.concatenate(_pooled), np.concatenate(_gold))
with torch.no_grad():
    classifier.head.weight.zero_()
    classifier.head.bias.zero_()
    classifier.head.weight[1] = torch.tensor(_fit.coef_[0], dtype=classifier.head.weight.dtype)
    classifier.head.bias[1] = float(_fit.intercept_[0])
"""


def _chapter_cell(start: str) -> str:
    import nbformat

    cells = nbformat.read(CHAPTER, as_version=4).cells
    [source] = [cell.source for cell in cells if cell.cell_type == "code" and cell.source.startswith(start)]
    return source


def context(namespace: dict) -> None:
    """Add what exercises 2 and 3 read: a stand-in classifier, and the chapter's cells that score it."""
    exec(STAND_IN, namespace)
    exec(_chapter_cell("gold = labels["), namespace)  # bert_logits, predictions, results
    # bert, overlap, always (the rest of that cell checks score floors that a stand-in need not reach)
    first = ast.parse(_chapter_cell("bert, overlap, always = (")).body[:1]
    exec(
        compile(ast.Module(body=first, type_ignores=[]), "12_sentence_pairs: bert, overlap, always", "exec"), namespace
    )
    exec(_chapter_cell("from companion import significance"), namespace)  # bert_vs_overlap
    exec(_chapter_cell("def zero_segments("), namespace)  # ablation, variant_logits


WRONG = {
    "q1": [
        # room for 8 tokens of segment B, its [SEP] included: 7 pieces
        "long_pair = train[int(np.argmax(lengths))]\n"
        'room = len(tokenizer(long_pair["sentence1"])["input_ids"]) + 8\n'
        'only_second = tokenizer(long_pair["sentence1"], long_pair["sentence2"], truncation="only_second", '
        "max_length=room)\n"
        'cut_longest = tokenizer(long_pair["sentence1"], long_pair["sentence2"], truncation="longest_first", '
        "max_length=room)",
        # truncation=True for both: that is longest_first
        "long_pair = train[int(np.argmax(lengths))]\n"
        'room = len(tokenizer(long_pair["sentence1"])["input_ids"]) + 9\n'
        'only_second = tokenizer(long_pair["sentence1"], long_pair["sentence2"], truncation=True, max_length=room)\n'
        'cut_longest = tokenizer(long_pair["sentence1"], long_pair["sentence2"], truncation=True, max_length=room)',
        # `lengths` (of `train`) indexed into `full_train`: another long pair; passes the public checks, caught by a
        # hidden one
        "long_pair = full_train[int(np.argmax(lengths))]\n"
        'room = len(tokenizer(long_pair["sentence1"])["input_ids"]) + 9\n'
        'only_second = tokenizer(long_pair["sentence1"], long_pair["sentence2"], truncation="only_second", '
        "max_length=room)\n"
        'cut_longest = tokenizer(long_pair["sentence1"], long_pair["sentence2"], truncation="longest_first", '
        "max_length=room)",
    ],
    "q2": [
        # the two counts swapped
        'bert_right = predictions["fine-tuned BERT (pairs)"] == gold\n'
        'overlap_right = predictions["word overlap + logistic regression"] == gold\n'
        "only_overlap, only_bert = int(np.sum(bert_right & ~overlap_right)), int(np.sum(overlap_right & ~bert_right))\n"
        "from scipy.stats import binomtest\n"
        "pvalue = binomtest(only_bert, only_bert + only_overlap).pvalue",
        # every pair BERT gets right, not only those the baseline gets wrong
        'bert_right = predictions["fine-tuned BERT (pairs)"] == gold\n'
        'overlap_right = predictions["word overlap + logistic regression"] == gold\n'
        "only_bert, only_overlap = int(np.sum(bert_right)), int(np.sum(overlap_right))\n"
        "from scipy.stats import binomtest\n"
        "pvalue = binomtest(only_bert, only_bert + only_overlap).pvalue",
        # the binomial test over all 408 pairs, not over the disagreements: passes the public checks, caught by a
        # hidden one
        'bert_right = predictions["fine-tuned BERT (pairs)"] == gold\n'
        'overlap_right = predictions["word overlap + logistic regression"] == gold\n'
        "only_bert, only_overlap = int(np.sum(bert_right & ~overlap_right)), int(np.sum(overlap_right & ~bert_right))\n"
        "from scipy.stats import binomtest\n"
        "pvalue = binomtest(only_bert, len(gold)).pvalue",
        # a one-sided test: caught by a hidden check
        'bert_right = predictions["fine-tuned BERT (pairs)"] == gold\n'
        'overlap_right = predictions["word overlap + logistic regression"] == gold\n'
        "only_bert, only_overlap = int(np.sum(bert_right & ~overlap_right)), int(np.sum(overlap_right & ~bert_right))\n"
        "from scipy.stats import binomtest\n"
        'pvalue = binomtest(only_bert, only_bert + only_overlap, alternative="greater").pvalue',
    ],
    "q3": [
        # the sum of both orders' logits: the same decisions, but not their average
        'forward_logits, backward_logits = bert_logits, variant_logits["swapped order: B, A"]\n'
        "averaged_logits = forward_logits + backward_logits\n"
        "disagree = forward_logits.argmax(-1) != backward_logits.argmax(-1)\n"
        "symmetric = pd.DataFrame({name: {'accuracy': accuracy_score(gold, l.argmax(-1)), "
        "'F1': f1_score(gold, l.argmax(-1))}\n"
        "    for name, l in [('A, B', forward_logits), ('B, A', backward_logits), "
        "('average of both orders', averaged_logits)]}).T",
        # the second order taken from the wrong row of the ablation: no segment ids, not swapped
        'forward_logits, backward_logits = bert_logits, variant_logits["no segment ids (all 0)"]\n'
        "averaged_logits = (forward_logits + backward_logits) / 2\n"
        "disagree = forward_logits.argmax(-1) != backward_logits.argmax(-1)\n"
        "symmetric = pd.DataFrame({name: {'accuracy': accuracy_score(gold, l.argmax(-1)), "
        "'F1': f1_score(gold, l.argmax(-1))}\n"
        "    for name, l in [('A, B', forward_logits), ('B, A', backward_logits), "
        "('average of both orders', averaged_logits)]}).T",
        # the disagreements as logits that differ, not decisions that differ
        'forward_logits, backward_logits = bert_logits, variant_logits["swapped order: B, A"]\n'
        "averaged_logits = (forward_logits + backward_logits) / 2\n"
        "disagree = (forward_logits != backward_logits).any(-1)\n"
        "symmetric = pd.DataFrame({name: {'accuracy': accuracy_score(gold, l.argmax(-1)), "
        "'F1': f1_score(gold, l.argmax(-1))}\n"
        "    for name, l in [('A, B', forward_logits), ('B, A', backward_logits), "
        "('average of both orders', averaged_logits)]}).T",
        # the average of the two orders' scores, not the score of the averaged logits: within the bound, so it
        # passes the public checks; caught by a hidden one
        'forward_logits, backward_logits = bert_logits, variant_logits["swapped order: B, A"]\n'
        "averaged_logits = (forward_logits + backward_logits) / 2\n"
        "disagree = forward_logits.argmax(-1) != backward_logits.argmax(-1)\n"
        "symmetric = pd.DataFrame({name: {'accuracy': accuracy_score(gold, l.argmax(-1)), "
        "'F1': f1_score(gold, l.argmax(-1))}\n"
        "    for name, l in [('A, B', forward_logits), ('B, A', backward_logits)]}).T\n"
        "symmetric.loc['average of both orders'] = symmetric.mean()",
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "A", "A", "C"'],  # the first answer wrong
}
