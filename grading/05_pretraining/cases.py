"""What tests/test_grading.py needs to test chapter 5's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read; the test
runs them: the 4,000-piece vocabulary (seconds), `batch` (exercise 1), the NSP pairs and the book's checkpoint,
the longer run (exercises 2-4). No training: context() stands in for the short run's results table, which the
cell that scores the checkpoint appends to, and then runs that cell (long_test, long_baseline, long_scores).
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

from pathlib import Path

CONTEXT = [
    "import matplotlib.pyplot as plt",  # the imports
    "train_texts = list(",  # the training books and the held-out one
    "tokenizer = tokenization.train_wordpiece(",  # our 4,000-piece vocabulary
    "def mask_tokens(",  # used by the next cell
    "batch = tokenizer(",  # the held-out book's first 2,000 paragraphs, padded to 64 (exercise 1)
    "pairs = pretraining.make_nsp_pairs(",  # the training pairs (the checkpoint's baseline counts them)
    "from companion import checkpoints",  # long_model, long_tokenizer, checkpoint
]
_SCORED = (
    "length = long_model.config.max_position_embeddings",  # long_test and the held-out NSP scores
    "long_counts = pretraining.unigram_counts(",  # long_baseline, long_scores
)


def context(namespace: dict) -> None:
    """Stand in for the short run's results table, then run the cells that score the checkpoint."""
    import math

    import nbformat
    import pandas as pd

    namespace["results"] = pd.DataFrame(columns=["top1", "top5", "loss", "masked_tokens"])
    namespace["math"] = math  # imported by a chapter cell that trains (not in CONTEXT)
    book = Path(__file__).resolve().parents[2] / "book" / "05_pretraining.ipynb"
    cells = nbformat.read(book, as_version=4).cells
    for start in _SCORED:
        [cell] = [cell for cell in cells if cell.cell_type == "code" and cell.source.startswith(start)]
        exec(compile(cell.source, "05_pretraining: " + start, "exec"), namespace)


_Q2 = (  # the solution's computation up to the two accuracies; each wrong answer fills them in
    "generator = torch.Generator().manual_seed(1234)\n"
    "corrupted, labels = pretraining.mask_tokens(long_test['input_ids'][:500], long_tokenizer, generator=generator)\n"
    "with torch.no_grad():\n"
    "    logits = long_model(input_ids=corrupted, token_type_ids=long_test['token_type_ids'][:500],\n"
    "                        attention_mask=long_test['attention_mask'][:500]).prediction_logits\n"
    "chosen = labels != -100\n"
    "is_masked = corrupted == long_tokenizer.mask_token_id\n"
    "is_unchanged = corrupted == long_test['input_ids'][:500]\n"
)
_RIGHT = "right = logits.argmax(-1) == labels\n"
_Q3_LABELS = "labels = long_test['next_sentence_label'][:500]\n"
_Q3_MAJORITY = "majority = max(labels.float().mean().item(), 1 - labels.float().mean().item())\n"
_Q3_INPUTS = "{k: v[:500] for k, v in long_test.items() if k != 'next_sentence_label'}"
_Q4_SCORE = "oracle = pretraining.masked_token_accuracy(None, long_test, long_tokenizer, counts={counts}{seed})"

WRONG = {
    "q1": [
        # the [MASK] tokens only, not every chosen position
        "ordinary_per_row = (~pretraining.special_tokens_mask(batch['input_ids'], tokenizer)).sum(1)\n"
        "corrupted_, _ = pretraining.mask_tokens(batch['input_ids'], tokenizer)\n"
        "chosen_per_row = (corrupted_ == tokenizer.mask_token_id).sum(1)",
        # the attention mask's count: [CLS] and [SEP] counted as ordinary
        "ordinary_per_row = batch['attention_mask'].sum(1)\n"
        "_, labels_ = pretraining.mask_tokens(batch['input_ids'], tokenizer)\n"
        "chosen_per_row = (labels_ != -100).sum(1)",
        # 62 ordinary positions in every row: the padding counted
        "ordinary_per_row = torch.full((len(batch['input_ids']),), 62)\n"
        "_, labels_ = pretraining.mask_tokens(batch['input_ids'], tokenizer)\n"
        "chosen_per_row = (labels_ != -100).sum(1)",
        # Google's rule, round(15 %) of each row: passes the public checks, caught by a hidden one
        "ordinary_per_row = (~pretraining.special_tokens_mask(batch['input_ids'], tokenizer)).sum(1)\n"
        "chosen_per_row = (0.15 * ordinary_per_row).round()",
    ],
    "q2": [
        # every unchanged position, chosen or not (the labels are -100 where not chosen)
        _Q2 + _RIGHT + "masked_top1 = right[chosen & is_masked].float().mean().item()\n"
        "unchanged_top1 = right[is_unchanged].float().mean().item()",
        # the prediction compared with the corrupted input, not with the labels
        _Q2 + "right = logits.argmax(-1) == corrupted\n"
        "masked_top1 = right[chosen & is_masked].float().mean().item()\n"
        "unchanged_top1 = right[chosen & is_unchanged].float().mean().item()",
        # every chosen position that is not [MASK], the random replacements included: caught by a hidden check
        _Q2 + _RIGHT + "masked_top1 = right[chosen & is_masked].float().mean().item()\n"
        "unchanged_top1 = right[chosen & ~is_masked].float().mean().item()",
    ],
    "q3": [
        # the labels read the wrong way round (label 0 means B follows A)
        _Q3_LABELS + "with torch.no_grad():\n"
        f"    logits = long_model(**{_Q3_INPUTS}).seq_relationship_logits\n"
        "nsp_accuracy = (logits.argmax(-1) == 1 - labels).float().mean().item()\n" + _Q3_MAJORITY,
        # the share of NotNext pairs, not the more common label's
        _Q3_LABELS + "with torch.no_grad():\n"
        f"    logits = long_model(**{_Q3_INPUTS}).seq_relationship_logits\n"
        "nsp_accuracy = (logits.argmax(-1) == labels).float().mean().item()\n"
        "majority = labels.float().mean().item()",
        # no segment ids: the model cannot tell A from B, caught by a hidden check
        _Q3_LABELS + "with torch.no_grad():\n"
        "    logits = long_model(input_ids=long_test['input_ids'][:500],\n"
        "                        attention_mask=long_test['attention_mask'][:500]).seq_relationship_logits\n"
        "nsp_accuracy = (logits.argmax(-1) == labels).float().mean().item()\n" + _Q3_MAJORITY,
        # chance, 0.5, as the baseline: caught by a hidden check
        _Q3_LABELS + "with torch.no_grad():\n"
        f"    logits = long_model(**{_Q3_INPUTS}).seq_relationship_logits\n"
        "nsp_accuracy = (logits.argmax(-1) == labels).float().mean().item()\n"
        "majority = 0.5",
    ],
    "q4": [
        # every token counted, [CLS], [SEP] and [PAD] included
        "from collections import Counter\n"
        + _Q4_SCORE.format(counts="Counter(long_test['input_ids'].flatten().tolist())", seed=""),
        # another mask than the baseline's
        _Q4_SCORE.format(counts="pretraining.unigram_counts(long_test, long_tokenizer)", seed=", seed=0"),
        # the training counts and the held-out ones pooled: the training books dominate, caught by a hidden check
        _Q4_SCORE.format(counts="long_counts + pretraining.unigram_counts(long_test, long_tokenizer)", seed=""),
        # the held-out paragraphs untruncated, not the scored pairs: caught by a hidden check
        "from collections import Counter\n"
        + _Q4_SCORE.format(
            counts="Counter(i for t in test_texts for i in long_tokenizer(t, add_special_tokens=False)['input_ids'])",
            seed="",
        ),
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "B", "B", "C"'],  # the second answer wrong
}
