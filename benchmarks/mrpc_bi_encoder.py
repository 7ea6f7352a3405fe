"""Chapter 12's packaged model fine-tuned as a bi-encoder on MRPC, scored on the chapter's development split.

    python benchmarks/mrpc_bi_encoder.py --threads 2                  # every recipe, seed 0
    python benchmarks/mrpc_bi_encoder.py --threads 2 --seeds 1 2 --recipes "cosine, lr 2e-5"
    python benchmarks/mrpc_bi_encoder.py --threads 2 --recipes --out FILE    # the baselines only

The packaged model's last stage of training made it a bi-encoder: each sentence encoded alone, the mean of
its token vectors compared by cosine. Used that way without any fine-tuning (a logistic regression on the
cosine, fitted on the training pairs), it scores above every cross-encoder recipe that
benchmarks/mrpc_choices.py fine-tuned. This script asks whether fine-tuning it *as* a bi-encoder (a siamese
network, Reimers and Gurevych 2019) does better still, with two of Sentence-BERT's objectives:

- "softmax": a linear layer on (u, v, |u - v|), the two mean vectors and their difference, trained with
  cross-entropy (SBERT's classification objective);
- "cosine": the squared error between the cosine of u and v and the label (0 or 1), the geometry the model
  already has; the decision is then a logistic regression on the cosine, refitted on the training pairs.

Everything else is chapter 12's: its training pairs (the 300-pair development split carved out, stratified,
random_state=0), sentences up to 128 word pieces, batches of 32 grouped by length in a seeded order, the
word-embedding table frozen, AdamW with a linear warm-up over 10 % of the steps. Each run is scored on the
development split after every epoch (with each pair's prediction, for a paired test); the validation pairs
are not read. Results go to benchmarks/results/mrpc_bi_encoder.json.

Beside the recipes it scores two baselines that train nothing in the encoder: the cosine alone (as
benchmarks/mrpc_choices.py does) and the cosine with chapter 12's four word-overlap features in one logistic
regression, its `C` chosen on the development split as the chapter chooses the overlap baseline's.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
from transformers.modeling_outputs import SequenceClassifierOutput

ROOT = Path(__file__).resolve().parents[1]
import common  # noqa: E402
import mrpc_choices  # noqa: E402

from companion import embeddings  # noqa: E402

DEFAULT_OUT = ROOT / "benchmarks" / "results" / "mrpc_bi_encoder.json"
RECIPES = {
    "softmax, lr 2e-5": {"objective": "softmax", "lr": 2e-5, "epochs": 2},
    "softmax, lr 5e-5": {"objective": "softmax", "lr": 5e-5, "epochs": 2},
    "cosine, lr 2e-5": {"objective": "cosine", "lr": 2e-5, "epochs": 2},
    "cosine, lr 5e-5": {"objective": "cosine", "lr": 5e-5, "epochs": 2},
}


# Chapter 12's overlap features, character for character (tests/test_benchmarks.py compares them).
def words(sentence: str) -> list[str]:
    return re.findall(r"\w+", sentence.lower())


def overlap_features(first: list[str], second: list[str]) -> np.ndarray:
    rows = []
    for a, b in zip(map(words, first), map(words, second)):
        unigrams_a, unigrams_b = set(a), set(b)
        bigrams_a, bigrams_b = set(zip(a, a[1:])), set(zip(b, b[1:]))
        rows.append(
            [
                len(unigrams_a & unigrams_b) / max(1, len(unigrams_a | unigrams_b)),
                len(bigrams_a & bigrams_b) / max(1, len(bigrams_a | bigrams_b)),
                len(unigrams_a & unigrams_b) / max(1, min(len(unigrams_a), len(unigrams_b))),
                min(len(a), len(b)) / max(1, len(a), len(b)),
            ]
        )
    return np.array(rows)  # (pairs, 4)


class SiameseClassifier(torch.nn.Module):
    """One encoder applied to each sentence alone; a head on the two mean vectors (softmax) or their cosine."""

    def __init__(self, encoder, *, objective: str):
        super().__init__()
        if objective not in ("softmax", "cosine"):
            raise ValueError(f"objective must be 'softmax' or 'cosine', got {objective!r}")
        self.encoder, self.objective = encoder, objective
        hidden = encoder.config.hidden_size
        self.head = torch.nn.Linear(3 * hidden, 2) if objective == "softmax" else None

    def embed(self, input_ids, attention_mask):
        hidden = self.encoder(input_ids, attention_mask=attention_mask).last_hidden_state
        return embeddings.mean_pool(hidden, attention_mask)  # (batch, hidden)

    def forward(self, a_input_ids, a_attention_mask, b_input_ids, b_attention_mask, labels=None):
        u, v = self.embed(a_input_ids, a_attention_mask), self.embed(b_input_ids, b_attention_mask)
        if self.objective == "softmax":
            logits = self.head(torch.cat([u, v, (u - v).abs()], dim=-1))  # (batch, 2)
            loss = None if labels is None else torch.nn.functional.cross_entropy(logits, labels)
        else:
            cosine = torch.nn.functional.cosine_similarity(u, v, dim=-1)  # (batch,)
            logits = cosine.unsqueeze(-1)  # (batch, 1): the score a logistic regression thresholds
            loss = None if labels is None else torch.nn.functional.mse_loss(cosine, labels.float())
        return SequenceClassifierOutput(loss=loss, logits=logits)


def _pair_collator(tokenizer):
    def collate(items: list[dict]) -> dict[str, torch.Tensor]:
        batch = {}
        for side in ("a", "b"):
            padded = tokenizer.pad([{"input_ids": item[f"{side}_input_ids"]} for item in items], return_tensors="pt")
            batch[f"{side}_input_ids"], batch[f"{side}_attention_mask"] = padded["input_ids"], padded["attention_mask"]
        batch["labels"] = torch.tensor([item["labels"] for item in items])
        return batch

    return collate


def _scores(gold, predicted) -> dict[str, object]:
    """Development accuracy, F1, share predicted equivalent, and each pair's prediction (for a paired test)."""
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "dev_accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "dev_f1": round(float(f1_score(gold, predicted)), 4),
        "dev_share_equivalent": round(float(np.mean(np.asarray(predicted) == 1)), 4),
        "dev_predictions": [int(p) for p in predicted],
    }


def run_recipe(name: str, *, seed: int, threads: int, rows: int | None = None) -> dict[str, object]:
    """Fine-tune the packaged model as a bi-encoder with one recipe; return its development scores per epoch."""
    from sklearn.linear_model import LogisticRegression
    from torch.utils.data import DataLoader
    from transformers import AutoModel

    from companion import models, runtime, training

    recipe = RECIPES[name]
    runtime.setup(seed=seed, threads=threads)
    train, dev = mrpc_choices.chapter_splits(rows=rows)
    tokenizer = models.load_tokenizer()
    collate = _pair_collator(tokenizer)

    def encoded(split):
        def encode(batch):
            first = tokenizer(batch["sentence1"], truncation=True, max_length=128)["input_ids"]
            second = tokenizer(batch["sentence2"], truncation=True, max_length=128)["input_ids"]
            return {
                "a_input_ids": first,
                "b_input_ids": second,
                "pair_length": [len(a) + len(b) for a, b in zip(first, second)],
            }

        return split.map(encode, batched=True, remove_columns=["sentence1", "sentence2", "idx"]).rename_column(
            "label", "labels"
        )

    train_encoded, dev_encoded = encoded(train), encoded(dev)
    # grouped_loader measures len(item): a list as long as the pair
    train_encoded = train_encoded.map(lambda item: {"pair_ids": [0] * item["pair_length"]})
    loader = training.grouped_loader(
        train_encoded.remove_columns(["pair_length"]),
        batch_size=32,
        collate_fn=lambda items: collate(items),
        seed=seed,
        length_column="pair_ids",
    )
    plain = lambda split: DataLoader(split.remove_columns(["pair_length"]), batch_size=64, collate_fn=collate)  # noqa: E731
    runtime.seed_everything(seed)
    model = SiameseClassifier(models.load_model(AutoModel, add_pooling_layer=False), objective=recipe["objective"])
    model.encoder.embeddings.word_embeddings.requires_grad_(False)

    def evaluate(trained) -> dict[str, object]:
        dev_logits, gold = training.predict(trained, plain(dev_encoded))
        if recipe["objective"] == "softmax":
            predicted = dev_logits.argmax(-1)
        else:  # a threshold on the cosine, fitted on the training pairs
            train_logits, train_gold = training.predict(trained, plain(train_encoded))
            predicted = LogisticRegression().fit(train_logits, train_gold).predict(dev_logits)
        return _scores(gold, predicted)

    history = training.train(
        model, loader, epochs=recipe["epochs"], lr=recipe["lr"], warmup_ratio=0.1, eval_fn=evaluate, progress=False
    )
    return {
        "recipe": name,
        **recipe,
        "freeze_words": True,
        "seed": seed,
        "threads": threads,
        "steps": len(history.steps),
        "train_seconds": round(history.seconds, 1),  # evaluations included
        "epochs_scored": [{key: value for key, value in row.items() if key != "step"} for row in history.evals],
    }


def untuned_baselines(*, threads: int, rows: int | None = None) -> list[dict[str, object]]:
    """Score the untuned packaged model's cosine alone, and with the word-overlap features, on the development pairs."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from transformers import AutoModel

    from companion import models, runtime

    runtime.setup(seed=0, threads=threads)
    train, dev = mrpc_choices.chapter_splits(rows=rows)
    tokenizer, encoder = models.load_tokenizer(), models.load_model(AutoModel, add_pooling_layer=False)

    def features(split) -> np.ndarray:
        first, second = (
            embeddings.encode(list(split[column]), encoder, tokenizer) for column in ("sentence1", "sentence2")
        )
        cosine = embeddings.paired_cosine(first, second).reshape(-1, 1)  # (pairs, 1)
        return np.hstack([cosine, overlap_features(list(split["sentence1"]), list(split["sentence2"]))])  # (pairs, 5)

    train_features, dev_features = features(train), features(dev)  # each split encoded once
    results = []
    for name, columns in [("cosine alone", 1), ("cosine + word overlap", 5)]:
        train_x, dev_x = train_features[:, :columns], dev_features[:, :columns]
        scored = []
        for C in [0.01, 0.1, 1.0, 10.0]:
            fitted = make_pipeline(StandardScaler(), LogisticRegression(C=C)).fit(train_x, train["label"])
            predicted = fitted.predict(dev_x)
            scored.append((accuracy_score(dev["label"], predicted), C, predicted))
        _, C, predicted = max(scored, key=lambda row: row[0])  # the first best C, as idxmax picks
        results.append(
            {
                "baseline": f"untuned bi-encoder: {name} + logistic regression",
                "C": C,
                **_scores(dev["label"], predicted),
            }
        )
    return results


def main(argv: list[str] | None = None) -> dict:
    """Train each recipe for each seed; write the JSON."""
    parser = common.options(
        __doc__.splitlines()[0],
        quick_help="a few pairs and one epoch of each objective, for the tests",
        default_out=DEFAULT_OUT,
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument(
        "--recipes",
        nargs="*",
        default=list(RECIPES),
        choices=list(RECIPES),
        metavar="RECIPE",
        help="none: the baselines only",
    )
    args = parser.parse_args(argv)
    threads = args.threads or int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    rows = 64 if args.quick else None
    names = ["softmax, lr 5e-5", "cosine, lr 5e-5"] if args.quick else args.recipes
    runs = []
    for seed in args.seeds:
        for name in names:
            run = run_recipe(name, seed=seed, threads=threads, rows=rows)
            runs.append(run)
            scores = ", ".join(
                f"epoch {row['epoch']:.0f}: {row['dev_accuracy']:.3f} / F1 {row['dev_f1']:.3f}"
                for row in run["epochs_scored"]
            )
            print(f"seed {seed} {name}: {run['train_seconds']:.0f} s; development {scores}", flush=True)
    baselines = untuned_baselines(threads=threads, rows=rows)
    for baseline in baselines:
        print(
            f"{baseline['baseline']} (C {baseline['C']:g}): development {baseline['dev_accuracy']:.3f} / "
            f"F1 {baseline['dev_f1']:.3f}"
        )
    _, dev = mrpc_choices.chapter_splits(rows=rows)
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": common.machine(precision="no"),
        "settings": {
            "threads": threads,
            "seeds": args.seeds,
            "quick": args.quick,
            "command": "python benchmarks/mrpc_bi_encoder.py " + " ".join(sys.argv[1:] if argv is None else argv),
        },
        "development_split": {"pairs": len(dev), "labels": [int(label) for label in dev["label"]]},
        "runs": runs,
        "baselines": baselines,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
