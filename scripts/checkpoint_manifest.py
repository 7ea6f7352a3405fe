"""Write or check companion/checkpoints.json: the sha256 and size of every file of every checkpoint folder.

    python scripts/checkpoint_manifest.py --write   # after retraining a checkpoint
    python scripts/checkpoint_manifest.py --check   # exit 1 if the manifest and checkpoints/ differ (CI runs the test)

A checkpoint is a folder under checkpoints/ that holds run.json (the record of the run that made it);
companion.checkpoints downloads and verifies these files where the repository is absent (Colab).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from companion import checkpoints  # noqa: E402


def build(root: Path = ROOT / "checkpoints") -> dict[str, dict]:
    """Return {checkpoint name: {file: {sha256, bytes}}} for every folder under root that holds run.json."""
    return {
        run.parent.relative_to(root).as_posix(): checkpoints.folder_manifest(run.parent)
        for run in sorted(root.rglob("run.json"))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = parser.parse_args()
    manifest = build()
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    if args.write:
        checkpoints.MANIFEST.write_text(text, encoding="utf-8")
    total = sum(record["bytes"] for folder in manifest.values() for record in folder.values())
    for name, folder in manifest.items():
        print(f"{sum(record['bytes'] for record in folder.values()) / 1e6:6.2f} MB  {name}")
    print(f"{total / 1e6:6.2f} MB  in all")
    if args.check and (not checkpoints.MANIFEST.is_file() or checkpoints.MANIFEST.read_text(encoding="utf-8") != text):
        raise SystemExit(
            f"{checkpoints.MANIFEST} does not match checkpoints/: run "
            "`python scripts/checkpoint_manifest.py --write` and commit it"
        )


if __name__ == "__main__":
    main()
