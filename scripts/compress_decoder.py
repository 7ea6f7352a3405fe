"""Store a saved translation decoder in fewer bits (8 or 4), in place, and record it in its run.json.

    python scripts/compress_decoder.py checkpoints/bert2bert-multi30k --bits 8
    python scripts/compress_decoder.py checkpoints/mt-ablation/bert-encoder --bits 4

Each weight matrix becomes integers with fp16 scales (companion.translation.pack_state: one scale per row
for 8 bits, per 64 weights of a row for 4 bits); biases and LayerNorm weights stay fp16. The chapter
scores what it loads, so its BLEU figures are those of the stored weights; run.json keeps the scores
measured at training time, before compression, and gains a "storage" entry (bits, the fp16 file's
sha256 and size, this command).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from safetensors import safe_open
from safetensors.torch import load_file, save_file

ROOT = Path(__file__).resolve().parents[1]
from companion import checkpoints, translation  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder written by scripts/train_translation.py")
    parser.add_argument("--bits", type=int, choices=[8, 4], required=True)
    args = parser.parse_args()
    weights, record_path = args.folder / "decoder.safetensors", args.folder / "run.json"
    if not weights.is_file() or not record_path.is_file():
        raise SystemExit(f"{args.folder} needs decoder.safetensors and run.json (from scripts/train_translation.py)")
    with safe_open(weights, framework="pt") as handle:
        stored_bits = (handle.metadata() or {}).get("bits", "16")
    if stored_bits != "16":
        raise SystemExit(f"{weights} is already stored in {stored_bits} bits: compress the fp16 file only")
    record = json.loads(record_path.read_text())
    before = {"fp16_sha256": checkpoints.sha256(weights), "fp16_bytes": weights.stat().st_size}
    state = translation.unpack_state(load_file(weights))
    save_file(translation.pack_state(state, bits=args.bits), weights, metadata={"bits": str(args.bits)})
    record["storage"] = {
        "bits": args.bits,
        **before,
        "bytes": weights.stat().st_size,
        "command": "python " + " ".join(sys.argv),
    }
    record_path.write_text(json.dumps(record, indent=2))
    print(
        f"{weights}: {before['fp16_bytes'] / 1e6:.2f} MB (fp16) -> {weights.stat().st_size / 1e6:.2f} MB "
        f"({args.bits} bits)"
    )


if __name__ == "__main__":
    main()
