"""Chapter 12's fine-tuning choices (head, learning rate, epochs), measured on its development split.

    python benchmarks/mrpc_choices.py --threads 2                       # every recipe, seed 0
    python benchmarks/mrpc_choices.py --threads 2 --recipes "[CLS] head, lr 1e-4, 1 epoch"

Each recipe fine-tunes the fast profile's packaged model on MRPC pairs exactly as chapter 12 does: the
chapter's training pairs (its 300-pair development split carved out, stratified, random_state=0), the
pair encoding up to 128 word pieces, length-grouped batches of 32 in a seeded order, AdamW with a linear
warm-up over 10 % of the steps. A recipe changes the head (`AutoModelForSequenceClassification`, which
reads the pooler over [CLS], or the chapter's linear layer over the mean of the token vectors), whether
the word-embedding table is trained, the peak learning rate and the number of epochs. Each run reports
its training seconds and its accuracy and F1 on the development split, with each development pair's
prediction (for a paired test). The validation pairs are not read: the chapter scores its chosen recipe
on them once. Results go to companion/measurements/mrpc_choices.json (book/settings.ipynb reads it).
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import torch
from transformers.modeling_outputs import SequenceClassifierOutput

ROOT = Path(__file__).resolve().parents[1]
import common  # noqa: E402

from companion import embeddings  # noqa: E402

DEFAULT_OUT = ROOT / "companion" / "measurements" / "mrpc_choices.json"
DEV_ROWS = 300


def _recipe(head: str, lr: float, epochs: int, *, freeze_words: bool = True) -> dict[str, object]:
    return {"head": head, "lr": lr, "epochs": epochs, "freeze_words": freeze_words}


# The chapter's first recipe, then one change at a time; the learning rate on a grid (run for every seed);
# the [CLS] head at the chosen settings; and what a third epoch would add.
RECIPES = {
    "[CLS] head, lr 1e-4, 1 epoch": _recipe("cls", 1e-4, 1, freeze_words=False),
    "mean head, lr 1e-4, 1 epoch": _recipe("mean", 1e-4, 1, freeze_words=False),
    "mean head, words frozen, lr 1e-4, 1 epoch": _recipe("mean", 1e-4, 1),
    "mean head, words frozen, lr 5e-5, 2 epochs": _recipe("mean", 5e-5, 2),
    "mean head, words frozen, lr 1e-4, 2 epochs": _recipe("mean", 1e-4, 2),
    "mean head, words frozen, lr 2e-4, 2 epochs": _recipe("mean", 2e-4, 2),
    "[CLS] head, words frozen, lr 1e-4, 2 epochs": _recipe("cls", 1e-4, 2),
    "mean head, words frozen, lr 1e-4, 3 epochs": _recipe("mean", 1e-4, 3),
}
GRID = [name for name in RECIPES if name.startswith("mean head, words frozen") and name.endswith("2 epochs")]


# Chapter 12's class, character for character (tests/test_benchmarks.py compares them).
class MeanPooledClassifier(torch.nn.Module):
    """BERT with a linear layer on the mean of its token vectors (padding left out)."""

    def __init__(self, encoder, num_labels: int):
        super().__init__()
        self.encoder, self.config = encoder, encoder.config
        self.dropout = torch.nn.Dropout(encoder.config.hidden_dropout_prob)
        self.head = torch.nn.Linear(encoder.config.hidden_size, num_labels)
        self.head.weight.data.normal_(std=encoder.config.initializer_range)  # as BERT's own heads start
        self.head.bias.data.zero_()

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        hidden = self.encoder(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        pooled = embeddings.mean_pool(hidden.last_hidden_state, attention_mask)  # (batch, hidden)
        logits = self.head(self.dropout(pooled))  # (batch, num_labels)
        loss = None if labels is None else torch.nn.functional.cross_entropy(logits, labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)


def chapter_splits(*, rows: int | None = None):
    """Return chapter 12's (training pairs, development pairs), both from MRPC's training split (rows: a subset)."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    from companion import data

    full_train = data.load_split("mrpc", "train")
    if rows is not None:
        full_train = full_train.select(range(rows))
    dev_rows = DEV_ROWS if rows is None else rows // 4
    train_rows, dev_rows = train_test_split(
        np.arange(len(full_train)), test_size=dev_rows, stratify=full_train["label"], random_state=0
    )
    return full_train.select(train_rows), full_train.select(dev_rows)


def run_recipe(name: str, *, seed: int, threads: int, rows: int | None = None) -> dict[str, object]:
    """Fine-tune as chapter 12 does with one recipe; return steps, seconds and development accuracy/F1."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from torch.utils.data import DataLoader
    from transformers import AutoModel, AutoModelForSequenceClassification, DataCollatorWithPadding

    from companion import models, runtime, training

    recipe = RECIPES[name]
    runtime.setup(seed=seed, threads=threads)
    train, dev = chapter_splits(rows=rows)
    tokenizer = models.load_tokenizer()
    collator = DataCollatorWithPadding(tokenizer)

    def encoded(split):
        return split.map(
            lambda b: tokenizer(b["sentence1"], b["sentence2"], truncation=True, max_length=128),
            batched=True,
            remove_columns=["sentence1", "sentence2", "idx"],
        ).rename_column("label", "labels")

    loader = training.grouped_loader(encoded(train), batch_size=32, collate_fn=collator, seed=seed)
    runtime.seed_everything(seed)
    if recipe["head"] == "cls":
        model = models.load_model(AutoModelForSequenceClassification, num_labels=2)
    else:
        model = MeanPooledClassifier(models.load_model(AutoModel, add_pooling_layer=False), num_labels=2)
    if recipe["freeze_words"]:
        encoder = model.encoder if recipe["head"] == "mean" else model.base_model
        encoder.embeddings.word_embeddings.requires_grad_(False)
    history = training.train(model, loader, epochs=recipe["epochs"], lr=recipe["lr"], warmup_ratio=0.1, progress=False)
    logits, gold = training.predict(model, DataLoader(encoded(dev), batch_size=64, collate_fn=collator))
    predicted = logits.argmax(-1)
    return {
        "recipe": name,
        **recipe,
        "seed": seed,
        "threads": threads,
        "steps": len(history.steps),
        "train_seconds": round(history.seconds, 1),
        "dev_accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "dev_f1": round(float(f1_score(gold, predicted)), 4),
        "dev_share_equivalent": round(float(np.mean(predicted == 1)), 4),
        "dev_predictions": [int(p) for p in predicted],
    }


def bi_encoder_baseline(*, threads: int, rows: int | None = None) -> dict[str, object]:
    """Score the packaged model used as what its last stage trained it to be: each sentence encoded alone.

    The cosine of the two sentences' mean-pooled vectors is the one feature of a logistic regression fitted on
    the training pairs (nothing is fine-tuned); returns its development accuracy, F1 and predictions.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from transformers import AutoModel

    from companion import embeddings, models, runtime

    runtime.setup(seed=0, threads=threads)
    train, dev = chapter_splits(rows=rows)
    tokenizer, encoder = models.load_tokenizer(), models.load_model(AutoModel, add_pooling_layer=False)

    def cosine(split):
        first, second = (
            embeddings.encode(list(split[column]), encoder, tokenizer) for column in ("sentence1", "sentence2")
        )
        return embeddings.paired_cosine(first, second).reshape(-1, 1)  # (pairs, 1)

    fitted = LogisticRegression().fit(cosine(train), train["label"])
    predicted = fitted.predict(cosine(dev))
    return {
        "recipe": "bi-encoder: cosine of the two sentences encoded alone + logistic regression",
        "dev_accuracy": round(float(accuracy_score(dev["label"], predicted)), 4),
        "dev_f1": round(float(f1_score(dev["label"], predicted)), 4),
        "dev_share_equivalent": round(float(np.mean(predicted == 1)), 4),
        "dev_predictions": [int(p) for p in predicted],
    }


def main(argv: list[str] | None = None) -> dict:
    """Train each recipe in turn (the learning-rate grid for every seed, the others for the first); write the JSON."""
    parser = common.options(
        __doc__.splitlines()[0], quick_help="a few pairs and two recipes, for the tests", default_out=DEFAULT_OUT
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="the grid runs each; the rest the first")
    parser.add_argument("--recipes", nargs="+", default=list(RECIPES), choices=list(RECIPES), metavar="RECIPE")
    args = parser.parse_args(argv)
    threads = args.threads or int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    rows = 64 if args.quick else None
    names = list(RECIPES)[:2] if args.quick else args.recipes
    jobs = [(name, seed) for seed in args.seeds for name in names if seed == args.seeds[0] or name in GRID]
    runs = []
    for name, seed in jobs:
        run = run_recipe(name, seed=seed, threads=threads, rows=rows)
        runs.append(run)
        print(
            f"seed {seed} {name}: {run['steps']} steps, {run['train_seconds']:.0f} s, development accuracy "
            f"{run['dev_accuracy']:.3f}, F1 {run['dev_f1']:.3f}, {100 * run['dev_share_equivalent']:.0f} % "
            "predicted equivalent",
            flush=True,
        )
    baseline = bi_encoder_baseline(threads=threads, rows=rows)
    print(f"{baseline['recipe']}: development accuracy {baseline['dev_accuracy']:.3f}, F1 {baseline['dev_f1']:.3f}")
    _, dev = chapter_splits(rows=rows)
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": common.machine(precision="no"),
        "settings": {
            "threads": threads,
            "seeds": args.seeds,
            "quick": args.quick,
            "command": "python benchmarks/mrpc_choices.py " + " ".join(sys.argv[1:] if argv is None else argv),
        },
        "development_split": {"pairs": len(dev), "labels": [int(label) for label in dev["label"]]},
        "runs": runs,
        "bi_encoder": baseline,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
