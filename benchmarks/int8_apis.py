"""Chapter 14's int8 choice: torch.ao's deprecated quantize_dynamic against its successor, torchao's quantize_.

    pip install torchao==0.18.0                       # not a requirement of the book: this script alone needs it
    python benchmarks/int8_apis.py --threads 2 --compile

Fine-tunes the chapter's teacher (the fast profile's packaged MiniLM with a classification head, 2,000
SST-2 sentences, one epoch, learning rate 1e-4, seed 0, float32), then measures three versions of it:
float32, `torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)` and
`torchao.quantization.quantize_(model, Int8DynamicActivationInt8WeightConfig())`, both in eager mode, as
the chapter runs them; with --compile also the torchao model under `torch.compile` (fixed shapes; the
first calls' compilation time, from an empty Inductor cache, is recorded). For each: the saved weights' size,
the median milliseconds of
one forward pass for one sentence and for a batch of 32 (all versions timed in turns,
`companion.benchmark.median_seconds_each`), accuracy on the chapter's 500 development sentences and how
often it agrees with float32 there. Results go to companion/measurements/int8_apis.json (package data:
chapter 14 reads it, in Colab too).
"""

from __future__ import annotations

import copy
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_OUT = ROOT / "companion" / "measurements" / "int8_apis.json"
FAST = {"train_rows": 2000, "dev_rows": 500, "min_run_time": 1.0}  # the chapter's sizes
QUICK = {"train_rows": 64, "dev_rows": 32, "min_run_time": 0.01}


def teacher_and_dev(*, train_rows: int, dev_rows: int, seed: int = 0):
    """Return the chapter's fine-tuned teacher (float32, eval mode), its development batches and their first 32."""
    import torch
    from accelerate.utils import extract_model_from_parallel
    from transformers import AutoModelForSequenceClassification, DataCollatorWithPadding

    from companion import data, models, runtime, training

    runtime.setup(seed=seed)
    sampled = data.load_split("sst2", "train", fast_rows=train_rows + dev_rows, seed=0)
    tokenizer = models.load_tokenizer()
    encoded = sampled.map(
        lambda batch: tokenizer(batch["sentence"], truncation=True, max_length=64),
        batched=True,
        remove_columns=["idx", "sentence"],
    ).rename_column("label", "labels")
    parts = encoded.train_test_split(test_size=dev_rows, seed=0)
    collator = DataCollatorWithPadding(tokenizer)
    runtime.seed_everything(seed)
    teacher = models.load_model(AutoModelForSequenceClassification, num_labels=2)
    training.train(
        teacher,
        training.grouped_loader(parts["train"], batch_size=32, collate_fn=collator, seed=seed),
        epochs=1,
        lr=1e-4,
        warmup_ratio=0.1,
        progress=False,
    )
    teacher = extract_model_from_parallel(teacher, keep_fp32_wrapper=False).to("cpu").float().eval()
    dev_batches = list(torch.utils.data.DataLoader(parts["test"], batch_size=64, collate_fn=collator))
    batch32 = collator(
        [parts["test"][i] for i in range(min(32, dev_rows))]
    )  # padded to its own longest, as in the chapter
    return teacher, dev_batches, {k: v for k, v in batch32.items() if k != "labels"}


def measure(*, train_rows: int, dev_rows: int, min_run_time: float, compile_model: bool) -> dict:
    """Return the three (or four) versions' size, latency, accuracy and agreement, and the compilation time."""
    import numpy as np
    import torch
    import torchao
    from torchao.quantization import Int8DynamicActivationInt8WeightConfig, quantize_

    from companion import benchmark

    teacher, dev_batches, batch32 = teacher_and_dev(train_rows=train_rows, dev_rows=dev_rows)
    versions = {
        "PyTorch float32": teacher,
        "torch.ao dynamic int8": torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(teacher), {torch.nn.Linear}, dtype=torch.qint8
        ),
    }
    versions["torchao int8"] = copy.deepcopy(teacher)
    quantize_(versions["torchao int8"], Int8DynamicActivationInt8WeightConfig())
    length = int(batch32["attention_mask"][0].sum())
    batch1 = {k: v[:1, :length] for k, v in batch32.items()}
    compile_seconds = None
    with torch.no_grad():
        if compile_model:  # compiled for the two timed shapes only, as a server with fixed shapes would
            compiled = torch.compile(versions["torchao int8"], dynamic=False)
            started = time.perf_counter()
            compiled(**batch32), compiled(**batch1)
            compile_seconds = time.perf_counter() - started
        labels = np.concatenate([batch["labels"].numpy() for batch in dev_batches])
        predictions = {
            name: np.concatenate(
                [model(**{k: v for k, v in batch.items() if k != "labels"}).logits.numpy() for batch in dev_batches]
            ).argmax(-1)
            for name, model in versions.items()
        }
        timed = versions | ({"torchao int8, compiled": compiled} if compile_model else {})
        ms = {
            size: benchmark.median_seconds_each(
                {name: (lambda model=model, x=x: model(**x)) for name, model in timed.items()},
                min_run_time=min_run_time,
            )
            for size, x in (("ms_1_sentence", batch1), ("ms_batch_of_32", batch32))
        }
    rows = []
    for name in timed:
        model_name = name.removesuffix(", compiled")
        rows.append(
            {
                "version": name,
                "size_mb": benchmark.saved_size(versions[model_name]) / 1e6,
                "ms_1_sentence": 1000 * ms["ms_1_sentence"][name],
                "ms_batch_of_32": 1000 * ms["ms_batch_of_32"][name],
                "dev_accuracy": float(np.mean(predictions[model_name] == labels)),
                "agrees_with_float32": float(np.mean(predictions[model_name] == predictions["PyTorch float32"])),
            }
        )
    return {
        "torchao": torchao.__version__,
        "compile_seconds": compile_seconds,
        "dev_sentences": len(labels),
        "batch_of_32_tokens": int(batch32["input_ids"].shape[1]),
        "one_sentence_tokens": length,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> dict:
    """Measure the int8 versions; print them and write the JSON."""
    parser = common.options(
        __doc__.splitlines()[0], quick_help="tiny data and timing, for the tests", default_out=DEFAULT_OUT
    )
    parser.add_argument("--compile", action="store_true", help="also time the torchao model under torch.compile")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.compile:  # an empty cache: the compilation a reader's first run pays, not a rerun's cache hit
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="int8-apis-inductor-")
    from companion import runtime

    threads = runtime.set_threads(args.threads)
    sizes = QUICK if args.quick else FAST
    measured = measure(**sizes, compile_model=args.compile)
    for row in measured["rows"]:
        print(
            f"{row['version']:24s} {row['size_mb']:6.1f} MB  {row['ms_1_sentence']:6.1f} ms (1)  "
            f"{row['ms_batch_of_32']:7.1f} ms (32)  dev {row['dev_accuracy']:.3f}  "
            f"agrees {row['agrees_with_float32']:.3f}"
        )
    if measured["compile_seconds"] is not None:
        print(f"torch.compile's first calls: {measured['compile_seconds']:.1f} s")
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": common.machine(precision="fp32"),
        "settings": {
            "threads": threads,
            "quick": args.quick,
            "sizes": sizes,
            "compile": args.compile,
            "command": "python benchmarks/int8_apis.py " + " ".join(sys.argv[1:] if argv is None else argv),
        },
        **measured,
    }
    common.write_json(result, args.out)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
