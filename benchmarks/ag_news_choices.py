"""Chapter 8's short run with other settings, scored on a held-out slice of AG News's training split.

    OMP_NUM_THREADS=1 python benchmarks/ag_news_choices.py --lr 1e-4                        # the chapter's setting
    OMP_NUM_THREADS=1 python benchmarks/ag_news_choices.py --lr 2e-4 --freeze               # frozen word embeddings
    OMP_NUM_THREADS=1 python benchmarks/ag_news_choices.py --lr 1e-4 --freeze --rows 4500   # 1.5x the stories

The chapter scores on the test split and chooses nothing by it, so these settings are compared on the
last 1,500 stories of the training split (shuffled with seed 123), which no run trains on: the first
--rows stories train, once, in length-grouped batches of 32 at 64 tokens, as the chapter does. Prints one
line per run (the accuracy and the training seconds); it writes no file.
"""

from __future__ import annotations

import argparse
import os


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Train once with the given settings; print and return the held-out accuracy."""
    from sklearn.metrics import accuracy_score
    from torch.utils.data import DataLoader
    from transformers import AutoModelForSequenceClassification, DataCollatorWithPadding

    from companion import data, models, runtime, training

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--freeze", action="store_true", help="freeze the word-embedding table")
    parser.add_argument("--rows", type=int, default=3000, help="training stories (the chapter: 3,000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    runtime.setup(seed=args.seed, threads=int(os.environ.get("OMP_NUM_THREADS", "1")))
    stories = data.load_split("ag_news", "train").shuffle(seed=123)
    if args.rows + 1500 > len(stories):
        raise SystemExit(f"--rows {args.rows} leaves fewer than 1,500 of the {len(stories):,} stories held out")
    tokenizer = models.load_tokenizer()
    collator = DataCollatorWithPadding(tokenizer)

    def encode(batch):
        return tokenizer(batch["text"], truncation=True, max_length=64)

    train = stories.select(range(args.rows)).map(encode, batched=True, remove_columns=["text"])
    held_out = stories.select(range(len(stories) - 1500, len(stories))).map(
        encode, batched=True, remove_columns=["text"]
    )
    loader = training.grouped_loader(
        train.rename_column("label", "labels"), batch_size=32, collate_fn=collator, seed=args.seed
    )
    runtime.seed_everything(args.seed)
    model = models.load_model(AutoModelForSequenceClassification, num_labels=4)
    if args.freeze:
        model.base_model.embeddings.word_embeddings.requires_grad_(False)
    history = training.train(model, loader, epochs=1, lr=args.lr, warmup_ratio=0.1, progress=False)
    logits, labels = training.predict(
        model, DataLoader(held_out.rename_column("label", "labels"), batch_size=64, collate_fn=collator)
    )
    result = {"accuracy": accuracy_score(labels, logits.argmax(-1)), "train_seconds": history.seconds}
    print(f"{vars(args)}: held-out accuracy {result['accuracy']:.4f}, trained in {result['train_seconds']:.0f} s")
    return result


if __name__ == "__main__":
    main()
