"""What tests/test_grading.py needs to test chapter 7's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) that the exercises read and that train
nothing: the imports and the validation split. context(namespace) then builds the rest with the chapter's own
cells where it can (the tokenizer and loaders, the untrained classifier and its accuracy, the validation
predictions and errors), and, for the main run's fine-tuned `classifier`, a stand-in fine-tuned for 40 steps
(seconds on a CPU) instead of 250. The test runs these, then the stub, the solution or a wrong answer of each
exercise, and then that exercise's checks.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

from pathlib import Path

CHAPTER = Path(__file__).resolve().parents[2] / "book" / "07_sentiment.ipynb"

CONTEXT = [
    "from companion import checks, data",  # the imports and the seed
    "FAST, REHEARSAL = ",  # the validation split
]

# the training sample's first 40 batches (named train, as in the chapter), 40 steps at the sweep's best rate
STAND_IN = """
import copy

train = data.load_split("sst2", "train", fast_rows=8000).select(range(40 * 32))
stand_in_loader = training.grouped_loader(
    train.map(encode, batched=True, remove_columns=["sentence", "idx"]).rename_column("label", "labels"),
    batch_size=32,
    collate_fn=collator,
    seed=SEED,
)
classifier = copy.deepcopy(untrained)
runtime.seed_everything(SEED)
training.train(classifier, stand_in_loader, epochs=1, lr=3e-4, warmup_ratio=0.1, progress=False)
"""


def _chapter_cell(start: str) -> str:
    import nbformat

    cells = nbformat.read(CHAPTER, as_version=4).cells
    [source] = [cell.source for cell in cells if cell.cell_type == "code" and cell.source.startswith(start)]
    return source


def context(namespace: dict) -> None:
    """Add what the exercises read: the chapter's cells that train nothing, and a short fine-tuning run."""
    import torch
    from torch.utils.data import DataLoader

    # imported by the source article's snippet, a cell that raises on purpose
    namespace.update(torch=torch, DataLoader=DataLoader)
    exec(_chapter_cell("import numpy as np"), namespace)  # tokenizer, collator, encode, validation_loader
    exec(_chapter_cell("runtime.seed_everything(SEED)\nuntrained = "), namespace)  # untrained_accuracy
    exec(STAND_IN, namespace)
    # the validation split's predictions: logits, labels, probability_positive, errors
    exec(_chapter_cell("logits, labels = training.predict(classifier"), namespace)
    namespace["accuracy"] = float(namespace["accuracy_score"](namespace["labels"], namespace["logits"].argmax(-1)))


WRONG = {
    "q1": [
        # the sentences it gets right
        "wrong_count = int((logits.argmax(-1) == labels).sum())\nerror_rate = wrong_count / len(validation)",
        # the share of the training sample, not of the validation split
        "wrong_count = len(errors)\nerror_rate = wrong_count / len(train)",
    ],
    "q2": [
        # no square root: an interval narrower than one sentence
        "intervals = {name: (p - 1.96 * p * (1 - p) / len(labels), p + 1.96 * p * (1 - p) / len(labels))\n"
        '             for name, p in [("fine-tuned", accuracy), ("untrained", untrained_accuracy)]}\n'
        'overlap = intervals["untrained"][1] >= intervals["fine-tuned"][0]',
        # n = the training items, not the validation sentences: passes the public checks, caught by a hidden one
        "n = len(train)\n"
        "intervals = {name: (p - 1.96 * np.sqrt(p * (1 - p) / n), p + 1.96 * np.sqrt(p * (1 - p) / n))\n"
        '             for name, p in [("fine-tuned", accuracy), ("untrained", untrained_accuracy)]}\n'
        'overlap = bool(intervals["untrained"][1] >= intervals["fine-tuned"][0])',
        # the answer in words
        "n = len(labels)\n"
        "intervals = {name: (p - 1.96 * np.sqrt(p * (1 - p) / n), p + 1.96 * np.sqrt(p * (1 - p) / n))\n"
        '             for name, p in [("fine-tuned", accuracy), ("untrained", untrained_accuracy)]}\n'
        'overlap = "no"',
    ],
    "q3": [
        # the untrained model, random head
        "from transformers import pipeline\n"
        'classify = pipeline("text-classification", model=untrained, tokenizer=tokenizer, device=untrained.device)\n'
        'own = classify(["A gorgeous, moving film.", "Two hours I will never get back.", "Thin but wonderful."])',
        # a sigmoid of the top logit, not the softmax over two: caught by a hidden check
        "from transformers import pipeline\n"
        'classify = pipeline("text-classification", model=classifier, tokenizer=tokenizer, device=classifier.device,\n'
        '                    function_to_apply="sigmoid")\n'
        'own = classify(["A gorgeous, moving film.", "Two hours I will never get back.", "An utter delight."])',
        # every label's score for each sentence: a list per sentence
        "from transformers import pipeline\n"
        'classify = pipeline("text-classification", model=classifier, tokenizer=tokenizer, device=classifier.device,\n'
        "                    top_k=None)\n"
        'own = classify(["A gorgeous, moving film.", "Two hours I will never get back.", "An utter delight."])',
    ],
    "q4": [
        # confidence as |P(positive) - 0.5|, which does not compare with an accuracy
        "confidence = np.abs(probability_positive - 0.5)\n"
        "correct = (probability_positive > 0.5) == (labels == 1)\n"
        "bins = pd.qcut(confidence, 5, labels=False)\n"
        'reliability = pd.DataFrame({"mean confidence": confidence, "accuracy": correct}).groupby(bins).mean()',
        # five bins of equal width, not of equal size: caught by a hidden check
        "confidence = np.abs(probability_positive - 0.5) + 0.5\n"
        "correct = (probability_positive > 0.5) == (labels == 1)\n"
        "bins = pd.cut(confidence, 5, labels=False)\n"
        'reliability = pd.DataFrame({"mean confidence": confidence, "accuracy": correct}).groupby(bins).mean()',
        # the share predicted positive, not the share predicted right: caught by a hidden check
        "confidence = np.abs(probability_positive - 0.5) + 0.5\n"
        "bins = pd.qcut(confidence, 5, labels=False)\n"
        'reliability = pd.DataFrame({"mean confidence": confidence, "accuracy": probability_positive > 0.5})'
        ".groupby(bins).mean()",
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "B", "A", "B"'],  # the first answer wrong
}
