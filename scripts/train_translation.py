"""Train chapter 10's English→German decoder over the frozen packaged BERT encoder and save it (fp16).

    python scripts/train_translation.py                                # writes checkpoints/bert2bert-multi30k
    python scripts/train_translation.py --epochs 1 --train-rows 640 --out /tmp/mt   # a short try
    python scripts/train_translation.py --epochs 1 --out checkpoints/mt-ablation/bert-encoder
    python scripts/train_translation.py --epochs 1 --random-encoder --out checkpoints/mt-ablation/random-encoder

The book then stores them in fewer bits (chapter 10 scores what is stored; see its run.json "storage"):
    python scripts/compress_decoder.py checkpoints/bert2bert-multi30k --bits 8
    python scripts/compress_decoder.py checkpoints/mt-ablation/bert-encoder --bits 4   # and random-encoder

The recipe is chapter 10's: the packaged BERT reads English and stays frozen; a new decoder with causal
self-attention and cross-attention (companion.translation.build_bert2bert) writes German with its own
WordPiece vocabulary. Because the encoder is frozen, its outputs for the training captions are computed
once and reused every epoch; only the decoder (and the projection from the encoder's width to the
decoder's) is trained and saved — the encoder comes from the package when the chapter loads the result.
After every epoch the script scores greedy BLEU on the validation split and keeps the best weights.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import sys
import time
from pathlib import Path

import sacrebleu
import torch
import transformers
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader
from transformers import AutoModel, BertModel, PreTrainedTokenizerBase

ROOT = Path(__file__).resolve().parents[1]
from companion import data, models, runtime, tokenization, training, translation  # noqa: E402


@torch.no_grad()
def encoder_states(
    encoder: torch.nn.Module, tokenizer: PreTrainedTokenizerBase, rows: list[dict], *, batch_size: int = 256
) -> list[torch.Tensor]:
    """Run the frozen encoder once over every source sentence; return one (length, hidden) fp16 tensor each."""
    states = []
    for start in range(0, len(rows), batch_size):
        chunk = [row["input_ids"] for row in rows[start : start + batch_size]]
        inputs = tokenizer.pad({"input_ids": chunk}, return_tensors="pt")  # ids and attention mask, padded
        hidden = encoder(**inputs).last_hidden_state  # (chunk, longest, hidden)
        states += [hidden[i, : len(ids)].half() for i, ids in enumerate(chunk)]
    return states


def collate(rows: list[dict]) -> dict[str, torch.Tensor]:
    """Pad encoder states (zeros, mask 0) and labels (-100) to the longest in the batch."""
    states = pad_sequence([row["states"].float() for row in rows], batch_first=True)  # (batch, source, hidden)
    mask = pad_sequence([torch.ones(len(row["states"]), dtype=torch.long) for row in rows], batch_first=True)
    labels = pad_sequence([torch.tensor(row["labels"]) for row in rows], batch_first=True, padding_value=-100)
    return {"encoder_states": states, "attention_mask": mask, "labels": labels}


def decoder_loss(model: torch.nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Teacher-forced cross-entropy of the decoder, given precomputed encoder states."""
    return model(
        encoder_outputs=(batch["encoder_states"],), attention_mask=batch["attention_mask"], labels=batch["labels"]
    ).loss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "checkpoints" / "bert2bert-multi30k")
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=48)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument(
        "--random-encoder",
        action="store_true",
        help="ablation: a randomly initialised encoder of the same shape, also frozen",
    )
    parser.add_argument("--train-rows", type=int, default=None, help="use only the first N training pairs")
    parser.add_argument("--validation-rows", type=int, default=500, help="validation captions scored per epoch")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    runtime.setup(seed=args.seed, threads=args.threads)
    started = time.time()
    train = data.load_split("multi30k", "train")
    if args.train_rows:
        train = train.select(range(args.train_rows))
    validation = data.load_split("multi30k", "validation").select(range(args.validation_rows))
    tokenizer_en = models.load_tokenizer()
    tokenizer_de = tokenization.train_wordpiece(
        (pair["de"] for pair in train["translation"]), vocab_size=args.vocab_size, lowercase=False, min_frequency=2
    )
    encoded = translation.encode_pairs(train[:], tokenizer_en, tokenizer_de, max_length=args.max_length)
    rows = [{"input_ids": ids, "labels": labels} for ids, labels in zip(encoded["input_ids"], encoded["labels"])]

    runtime.seed_everything(args.seed)
    encoder = models.load_model(AutoModel, add_pooling_layer=False).eval()
    if args.random_encoder:
        torch.manual_seed(args.seed)  # the chapter rebuilds this same encoder with the same seed
        encoder = BertModel(encoder.config, add_pooling_layer=False).eval()
    model = translation.build_bert2bert(
        encoder, tokenizer_de, decoder_layers=args.layers, decoder_heads=args.heads, decoder_hidden_size=args.hidden
    )
    model.encoder.requires_grad_(False)
    for row, states in zip(rows, encoder_states(encoder, tokenizer_en, rows)):
        row["states"] = states
    print(f"{len(rows):,} pairs encoded in {time.time() - started:.0f} s", flush=True)
    loader = DataLoader(
        rows,
        batch_size=args.batch_size,
        shuffle=True,
        collate_fn=collate,
        generator=torch.Generator().manual_seed(args.seed),
    )
    sources = [pair["en"] for pair in validation["translation"]]
    references = [pair["de"] for pair in validation["translation"]]
    best: dict = {"bleu": -1.0}

    def evaluate(model: torch.nn.Module) -> dict[str, float]:
        outputs = translation.translate(model, sources, tokenizer_en, tokenizer_de, max_new_tokens=args.max_length)
        bleu = sacrebleu.corpus_bleu(outputs, [references]).score
        if bleu > best["bleu"]:
            best.update(bleu=bleu, state=copy.deepcopy(translation.decoder_state(model)))
        print(f"  validation BLEU {bleu:.1f} | {outputs[0]}", flush=True)
        return {"validation_bleu": bleu}

    history = training.train(
        model,
        loader,
        epochs=args.epochs,
        lr=args.lr,
        warmup_ratio=0.05,
        loss_fn=decoder_loss,
        eval_fn=evaluate,
        progress=sys.stderr.isatty(),
    )
    model.load_state_dict(best.pop("state"), strict=False)
    translation.save_decoder(model, tokenizer_de, args.out)
    history.step_frame().to_csv(args.out / "history.csv.gz", index=False)
    history.eval_frame().to_csv(args.out / "evals.csv", index=False)
    run = {
        "command": "python " + " ".join(sys.argv),
        "args": {k: str(v) for k, v in vars(args).items()},
        "device": str(runtime.device()),
        "threads": torch.get_num_threads(),
        "steps": len(history.steps),
        "train_seconds": history.seconds,
        "total_seconds": time.time() - started,
        "validation_bleu_best": best["bleu"],
        "encoder_fingerprint": translation.fingerprint(encoder),
        "validation_rows": args.validation_rows,
        "decoder_parameters": sum(p.numel() for name, p in model.named_parameters() if not name.startswith("encoder.")),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "sacrebleu": sacrebleu.__version__,
        "python": platform.python_version(),
    }
    (args.out / "run.json").write_text(json.dumps(run, indent=2))
    print(json.dumps(run, indent=2))


if __name__ == "__main__":
    main()
