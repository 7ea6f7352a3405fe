"""Print how long each notebook took to execute in the last book build, from the environment Sphinx saved.

    python scripts/exec_times.py            # _build (what `make book` writes)
    python scripts/exec_times.py BUILD_DIR  # the folder that holds .doctrees/environment.pickle

myst-nb records, for every page it executed, the run time and whether it succeeded (the same data as the
status page's table); CI prints them so that a chapter's growth is visible before it hurts.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def exec_times(build_dir: Path) -> list[dict]:
    """One row per executed page of the build in build_dir: page, seconds (None if unknown), succeeded."""
    environment = build_dir / ".doctrees" / "environment.pickle"
    if not environment.is_file():
        raise FileNotFoundError(f"{environment} does not exist: build the book first (make book)")
    with environment.open("rb") as file:
        env = pickle.load(file)  # Sphinx's own file from this build; unpickling needs sphinx and myst-nb
    metadata = getattr(env, "nb_metadata", None) or {}
    return [
        {
            "page": page,
            "seconds": data["exec_data"].get("runtime"),
            "succeeded": bool(data["exec_data"].get("succeeded")),
        }
        for page, data in sorted(metadata.items())
        if data.get("exec_data")
    ]


def table(rows: list[dict]) -> str:
    """The rows as a text table, slowest first, with the total."""
    width = max([len("page"), *(len(row["page"]) for row in rows)])
    lines = [f"{'page':<{width}}  {'seconds':>8}  status"]
    for row in sorted(rows, key=lambda row: -(row["seconds"] or 0)):
        seconds = "-" if row["seconds"] is None else f"{row['seconds']:.1f}"
        lines.append(f"{row['page']:<{width}}  {seconds:>8}  {'passed' if row['succeeded'] else 'FAILED'}")
    total = sum(row["seconds"] or 0 for row in rows)
    lines.append(f"{len(rows)} pages executed in {total:.0f} s ({total / 60:.1f} min)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", type=Path, nargs="?", default=ROOT / "_build")
    args = parser.parse_args()
    try:
        rows = exec_times(args.build_dir)
    except FileNotFoundError as error:
        sys.exit(str(error))
    if not rows:
        sys.exit(f"{args.build_dir} records no executed page: was the book built with execution on?")
    print(table(rows))


if __name__ == "__main__":
    main()
