"""The whole book: every notebook's wall time and peak resident memory, run as a reader runs it.

    python benchmarks/book_run.py --threads 2 --precision no     # float32, as on most readers' CPUs
    python benchmarks/book_run.py --threads 2 --precision bf16   # bfloat16 autocast where the CPU has it

Each notebook runs in a fresh Jupyter kernel (nbclient), one at a time, in the fast profile with the
book's seed, progress bars off. The wall time runs from the kernel's start to its last cell's reply;
the peak resident memory is the kernel's own high-water mark (`getrusage`'s `ru_maxrss`, read in the
kernel after the last cell, the larger of the kernel and the processes it waited for). The slowest
cells come from nbclient's per-cell timestamps. Results go to a JSON file and, as a Markdown table, to
a file beside it that the status page and the instructors' page include.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from common import RESULTS, machine, options, write_json

from companion import _runner, runtime

ROOT = Path(__file__).resolve().parents[1]

BUDGET_SECONDS = {"09": 300, "10": 300}  # question answering and translation: 5 minutes
DEFAULT_BUDGET_SECONDS = 180  # every other notebook: 3 minutes
MEMORY_AIM_MB = 4096
BOOK_AIM_SECONDS = 15 * 60
PEAK_MEMORY_CELL = """\
import json as _json, sys as _sys
try:  # getrusage is Unix-only (no peak is recorded on Windows); ru_maxrss is in bytes on macOS, KB on Linux
    import resource as _resource
    _per_kb = 1024 if _sys.platform == "darwin" else 1
    print("PEAK-RSS-KB", _json.dumps([_resource.getrusage(_who).ru_maxrss // _per_kb
                                      for _who in (_resource.RUSAGE_SELF, _resource.RUSAGE_CHILDREN)]))
except ImportError:
    print("PEAK-RSS-KB []")
"""


def book_notebooks() -> list[Path]:
    """Return the book's notebooks in the order of their file names (chapters, then the appendices)."""
    notebooks = sorted((ROOT / "book").glob("*.ipynb"))
    return [path for path in notebooks if path.name[0].isdigit()] + [
        path for path in notebooks if not path.name[0].isdigit()
    ]


def budget_seconds(path: Path) -> int:
    """Return the notebook's time budget in seconds (issue 14: 3 minutes, question answering and translation 5)."""
    return BUDGET_SECONDS.get(path.name[:2], DEFAULT_BUDGET_SECONDS)


def _cell_seconds(cell) -> float | None:
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return None
    parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def run_notebook(path: Path, *, timeout: int, slowest: int = 3) -> dict[str, object]:
    """Execute one notebook in a fresh kernel; return its wall time, peak memory and slowest cells."""
    executed = _runner.execute(path, timeout=timeout, last_cell=PEAK_MEMORY_CELL, marker="PEAK-RSS-KB")
    seconds = executed.seconds
    peak_kb = max(executed.report, default=None) if executed.report is not None else None
    errors = [f"cell {index}: {error}"[:300] for index, error in executed.errors()]
    timed = [
        (_cell_seconds(cell), index, cell.source.strip().splitlines()[0][:70] if cell.source.strip() else "")
        for index, cell in executed.cells()
        if cell.cell_type == "code"
    ]
    timed = sorted((entry for entry in timed if entry[0] is not None), reverse=True)[:slowest]
    return {
        "notebook": path.name,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_kb / 1024) if peak_kb else None,
        "budget_seconds": budget_seconds(path),
        "within_budget": seconds <= budget_seconds(path),
        "errors": errors,
        "slowest_cells": [
            {"cell": index, "seconds": round(cell_seconds, 1), "first_line": line}
            for cell_seconds, index, line in timed
        ],
    }


def summarise(rows: list[dict]) -> dict:
    """Return the whole book's totals over its notebooks' rows."""
    return {
        "book_seconds": round(sum(row["seconds"] for row in rows), 1),
        "max_peak_rss_mb": max((row["peak_rss_mb"] or 0) for row in rows),
        "over_budget": [row["notebook"] for row in rows if not row["within_budget"]],
        "over_memory_aim": [row["notebook"] for row in rows if (row["peak_rss_mb"] or 0) > MEMORY_AIM_MB],
        "errors": sum(len(row["errors"]) for row in rows),
    }


def markdown_table(result: dict) -> str:
    """Return the result as a Markdown table: one row per notebook, and the book's total."""
    label = {"no": "float32", "bf16": "bfloat16 autocast"}.get(
        result["settings"]["precision"], result["settings"]["precision"]
    )
    lines = [
        f"Measured {result['measured_at'][:10]} with `{result['settings']['command']}`: "
        f"{result['machine']['cpu']}, {result['settings']['threads']} threads, {label}.",
        *(
            f"Re-measured {update['measured_at'][:10]} with `{update['command']}`: {', '.join(update['notebooks'])}."
            for update in result.get("updates", [])
        ),
        "",
        "| notebook | wall time (s) | budget (s) | peak memory (MB) | slowest cell (s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in result["notebooks"]:
        slow = row["slowest_cells"][0]["seconds"] if row["slowest_cells"] else ""
        over = " **over**" if not row["within_budget"] else ""
        rerun = (
            f" (run {row['measured_at'][:10]})"
            if row.get("measured_at", result["measured_at"]) != result["measured_at"]
            else ""
        )
        lines.append(
            f"| {row['notebook'].removesuffix('.ipynb')}{rerun} | {row['seconds']:.0f}{over} | "
            f"{row['budget_seconds']} | {row['peak_rss_mb'] if row['peak_rss_mb'] is not None else '?'} | {slow} |"
        )
    summary = result["summary"]
    lines.append(
        f"| **the whole book** | **{summary['book_seconds']:.0f}** | {BOOK_AIM_SECONDS} | "
        f"**{summary['max_peak_rss_mb']}** (largest) | |"
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    """Run the notebooks the command line names (default: all), print a line each, write JSON and Markdown."""
    parser = options(
        __doc__.splitlines()[0],
        quick_help="run only the two shortest notebooks (a smoke test)",
        default_out=RESULTS / "book_run_fp32.json",
    )
    parser.add_argument(
        "--precision",
        choices=("no", "bf16"),
        default="no",
        help="BERTBOOK_PRECISION for every notebook: no (float32) or bf16",
    )
    parser.add_argument(
        "--notebooks",
        nargs="*",
        default=None,
        help="chapter numbers or file names to run (default: every notebook in book/)",
    )
    parser.add_argument("--timeout", type=int, default=1200, help="seconds one cell may take")
    parser.add_argument(
        "--update",
        action="store_true",
        help="replace only the named notebooks' rows in the existing --out file (each keeps its own date)",
    )
    args = parser.parse_args(argv)

    threads = runtime.set_threads(args.threads)  # here, and in each kernel through OMP_NUM_THREADS
    # the fast profile with the book's own seed, as a reader runs it
    _runner.prepare_environment(
        threads=threads, BERTBOOK_PRECISION=args.precision, BERTBOOK_SEED=None, BERTBOOK_PROFILE=None
    )
    notebooks = book_notebooks()
    if args.notebooks:
        wanted = [key.removesuffix(".ipynb") for key in args.notebooks]
        notebooks = [path for path in notebooks if any(path.stem.startswith(key) for key in wanted)]
        if not notebooks:
            raise SystemExit(f"--notebooks {args.notebooks} match no notebook in book/")
    if args.quick:
        notebooks = [path for path in notebooks if path.name.startswith(("01", "03"))]

    rows = []
    for path in notebooks:
        row = run_notebook(path, timeout=args.timeout)
        rows.append(row)
        flag = "" if row["within_budget"] else f"  OVER the {row['budget_seconds']} s budget"
        print(f"{row['notebook']:32s} {row['seconds']:7.1f} s  {row['peak_rss_mb']} MB{flag}", flush=True)
        for error in row["errors"]:
            print(f"    error: {error}", flush=True)
    command = "python benchmarks/book_run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if args.update:
        result = json.loads(args.out.read_text(encoding="utf-8"))
        if result["settings"]["precision"] != args.precision:
            raise SystemExit(f"{args.out} was measured with --precision {result['settings']['precision']}")
        for row in rows:
            row["measured_at"] = now
        order = [path.name for path in book_notebooks()]
        kept = {row["notebook"]: row for row in result["notebooks"] if row["notebook"] in order}
        kept.update({row["notebook"]: row for row in rows})
        result["notebooks"] = sorted(kept.values(), key=lambda row: order.index(row["notebook"]))
        result.setdefault("updates", []).append(
            {"measured_at": now, "command": command.strip(), "notebooks": [row["notebook"] for row in rows]}
        )
        result["summary"] = summarise(result["notebooks"])
    else:
        result = {
            "measured_at": now,
            "machine": machine(precision=args.precision),
            "settings": {
                "precision": args.precision,
                "threads": threads,
                "quick": args.quick,
                "profile": "fast",
                "command": command.strip(),
                "aims": {
                    "notebook_seconds": DEFAULT_BUDGET_SECONDS,
                    "qa_mt_seconds": 300,
                    "peak_rss_mb": MEMORY_AIM_MB,
                    "book_seconds": BOOK_AIM_SECONDS,
                },
            },
            "notebooks": rows,
            "summary": summarise(rows),
        }
    summary = result["summary"]
    path = write_json(result, args.out)
    path.with_suffix(".md").write_text(markdown_table(result), encoding="utf-8")
    verdict = "OVER" if summary["book_seconds"] > BOOK_AIM_SECONDS else "within"
    print(
        f"the whole book: {summary['book_seconds']:.0f} s ({verdict} its aim of {BOOK_AIM_SECONDS} s); largest peak "
        f"memory {summary['max_peak_rss_mb']} MB (aim {MEMORY_AIM_MB}); notebooks over their own budget: "
        f"{summary['over_budget'] or 'none'}"
    )
    print(f"wrote {path} and {path.with_suffix('.md')}")
    if summary["errors"]:
        raise SystemExit(f"{summary['errors']} cell error(s): the times above are not a clean run")
    return result


if __name__ == "__main__":
    main()
