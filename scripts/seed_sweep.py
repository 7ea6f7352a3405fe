"""Run chapters under several seeds and precisions and record every asserted quantity.

    python scripts/seed_sweep.py run --notebooks 07 12 --seeds 0 1 2 --precisions no bf16 --workers 2
    python scripts/seed_sweep.py table            # min / mean / sd per chapter and quantity
    python scripts/seed_sweep.py check            # do the notebooks' current asserts hold in every run?
    python scripts/seed_sweep.py normalise --out runs.jsonl   # name an older file's asserts by key(), in place

Each run executes a notebook with nbclient (BERTBOOK_SEED and BERTBOOK_PRECISION set in the kernel's
environment), lets failing cells fail (allow_errors) so that later quantities are still measured, and after
each cell with asserts re-evaluates them, recording their operands. One JSON line per run goes to
companion/measurements/seed_sweep.jsonl (shipped with the package, so the
appendix reads it anywhere); runs already there (same notebook, seed and precision) are skipped.

A run names each assert by its test and each operand by its own text, as `companion.spread.key` writes them
(unparsed, one line), so that reformatting a notebook leaves its asserts matched to their recorded runs.
Files recorded before that named them by their source text: `normalise` converts them once.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import hashlib
import json
import os
import platform
from pathlib import Path

from companion import _runner, runtime, spread

ROOT = Path(__file__).resolve().parents[1]
RUNS = spread.RECORDED_RUNS

PROBE_HELPER = """
def _spread_probe(cell, key, test, operands):
    import numbers
    record = {"cell": cell, "assert": key, "operands": {}}
    try:
        record["passed"] = bool(test())
    except Exception as error:  # the cell failed before its assert: the probe says so
        record["passed"], record["error"] = None, repr(error)[:300]
    for text, value in operands.items():
        try:
            value = value()
            value = value.item() if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 else value
        except Exception:
            continue
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            record["operands"][text] = float(value)
    _spread_records.append(record)
_spread_records = []
"""

REPORT_CELL = """
import json as _json, numbers as _numbers
try:  # the kernel's peak resident memory (Linux); None elsewhere
    _peak = next(int(_line.split()[1]) / 1024 for _line in open("/proc/self/status") if _line.startswith("VmHWM"))
except (OSError, StopIteration):
    _peak = None
try:  # the named checks (companion.checks) this run made
    from companion import checks as _checks
    _named = _checks.measured()
except ImportError:
    _named = {}
print("SPREAD-JSON " + _json.dumps({"peak_rss_mb": _peak, "checks": _named, "asserts": _spread_records, "scalars": {
    _name: float(_value) for _name, _value in list(globals().items())
    if not _name.startswith("_") and isinstance(_value, _numbers.Real) and not isinstance(_value, bool)
    and _value == _value}}))
"""


def probe_source(cell_source: str, *, cell: int) -> str | None:
    """Return code that re-evaluates a cell's top-level asserts and records their operands, or None."""
    parsed = spread._parse(cell_source)
    if parsed is None:
        return None
    tree = parsed[0]

    def visit(body: list[ast.stmt], indent: str) -> list[str]:
        lines = []
        for node in body:
            if isinstance(node, ast.Assert):
                operands = ", ".join(
                    f"{json.dumps(spread.key(operand))}: lambda: ({ast.unparse(operand)})"
                    for operand in spread._operands(node.test)
                )
                test = f"lambda: ({ast.unparse(node.test)})"
                lines.append(
                    f"{indent}_spread_probe({cell}, {json.dumps(spread.key(node.test))}, {test}, {{{operands}}})"
                )
            elif isinstance(node, ast.If):
                inner, inner_else = visit(node.body, indent + "    "), visit(node.orelse, indent + "    ")
                if inner or inner_else:
                    lines += [
                        f"{indent}if {ast.unparse(node.test)}:",
                        *(inner or [indent + "    pass"]),
                    ]
                    if inner_else:
                        lines += [f"{indent}else:", *inner_else]
        return lines

    lines = visit(tree.body, "")
    if not lines:
        return None
    return "try:\n" + "\n".join("    " + line for line in lines) + "\nexcept Exception:\n    pass\n"


TRAINING_CHAPTERS = ["05", "07", "08", "09", "10", "11", "12", "13", "14", "15"]


def notebook_path(key: str) -> Path:
    matches = sorted((ROOT / "book").glob(f"{key}*.ipynb"))
    if len(matches) != 1:
        raise SystemExit(f"--notebooks {key!r} matches {len(matches)} notebooks in book/; give its number, e.g. 07")
    return matches[0]


def run_one(path: str, seed: int, precision: str, threads: int, timeout: int) -> dict:
    path = Path(path)
    _runner.prepare_environment(threads=threads, BERTBOOK_SEED=str(seed), BERTBOOK_PRECISION=precision)
    executed = _runner.execute(
        path,
        timeout=timeout,
        first_cell=PROBE_HELPER,
        after_cell=lambda source, index: probe_source(source, cell=index),
        last_cell=REPORT_CELL,
        marker="SPREAD-JSON",
    )
    errors = [{"cell": index, "error": error[:400]} for index, error in executed.errors()]
    report = {"asserts": [], "scalars": {}} if executed.report is None else executed.report
    return {
        "notebook": path.name,
        "seed": seed,
        "precision": "fp32" if precision == "no" else precision,
        "threads": threads,
        "seconds": round(executed.seconds, 1),
        "notebook_sha256": hashlib.sha256(path.read_bytes()).hexdigest()[:16],
        "keys": spread.KEYS,
        "machine": platform.machine(),
        "processor": runtime.processor(),
        "errors": errors,
        **report,
    }


def command_run(args) -> None:
    done = set()
    if args.out.exists():
        done = {(r["notebook"], r["seed"], r["precision"]) for r in spread.load_runs(args.out)}
    jobs = []
    for seed in args.seeds:  # every notebook at one setting before the next setting
        for precision in args.precisions:
            for key in args.notebooks:
                path = notebook_path(key)
                label = "fp32" if precision == "no" else precision
                if (path.name, seed, label) not in done:
                    jobs.append((str(path), seed, precision))
    print(f"{len(jobs)} runs to do ({len(done)} already recorded in {args.out})", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = {pool.submit(run_one, *job, args.threads, args.timeout): job for job in jobs}
        for future in concurrent.futures.as_completed(futures):
            path, seed, precision = futures[future]
            try:
                record = future.result()
            except Exception as error:  # a kernel that died: say so and go on with the others
                print(f"FAILED {Path(path).name} seed {seed} {precision}: {error!r}", flush=True)
                continue
            with args.out.open("a") as sink:
                sink.write(json.dumps(record) + "\n")
            failed = [r["assert"] for r in record["asserts"] if r.get("passed") is False]
            print(
                f"{record['notebook']} seed {seed} {record['precision']}: {record['seconds']:.0f} s, "
                f"{len(record['asserts'])} asserts, {len(failed)} failed, {len(record['errors'])} cell errors",
                flush=True,
            )
            for text in failed:
                print(f"    failed: {text}", flush=True)


def command_table(args) -> None:
    import pandas as pd

    names = {notebook_path(key).name for key in args.notebooks}
    table = spread.summary(run for run in spread.load_runs(args.out) if run["notebook"] in names)
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 60):
        print(table.round(4).to_string())


def command_check(args) -> None:
    import pandas as pd

    runs = spread.load_runs(args.out)
    frames = [spread.check_asserts(notebook_path(key), runs) for key in args.notebooks]
    table = pd.concat(frames, ignore_index=True)
    judged = table[table["runs"] > 0]
    swept = {run["notebook"] for run in runs}
    unjudged = table[(table["runs"] == 0) & table["notebook"].isin(swept)]
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 110):
        print(judged.to_string(index=False))
        if len(unjudged):  # edited since the sweep, or on a branch the fast profile does not take
            print(f"\njudged by no recorded run ({len(unjudged)}):")
            print(unjudged[["notebook", "assert", "guards"]].to_string(index=False))
    failing = judged[judged["failed"] > 0]
    print(
        f"{len(judged)} asserts judged against recorded runs; {len(failing)} fail in at least one run; "
        f"{len(unjudged)} of swept notebooks judged by none"
    )
    raise SystemExit(1 if len(failing) else 0)


def _older_assert_key(text: str, current: dict[str, set[str]]) -> str | None:
    try:  # an older run's first line of the assert: the whole assert, unless it was broken over lines
        (statement,) = ast.parse(text).body
    except (SyntaxError, ValueError):
        statement = None
    if isinstance(statement, ast.Assert):
        return spread.key(statement.test)
    keys = current.get(text, set())  # else the notebook's assert with that first line, as the old match did
    return next(iter(keys)) if len(keys) == 1 else None


def normalise_run(run: dict, notebook: Path | None = None) -> tuple[dict, list[str]]:
    """Return a run recorded before key() with its asserts and operands named by key(), and the texts left as they were.

    Each recorded text is parsed and unparsed. An assert recorded by a first line that is not Python on its own is
    looked up by that line among `notebook`'s current asserts. Operands that are not measurements (the literal
    choice `0.25 if FAST else 0.40` that older sweeps recorded) are dropped. A run already keyed comes back as it is.
    """
    if run.get("keys") == spread.KEYS:
        return run, []
    current: dict[str, set[str]] = {}
    if notebook is not None and notebook.exists():
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for found in spread.asserts("".join(cell["source"])) if cell["cell_type"] == "code" else []:
                current.setdefault(found["source"], set()).add(found["test"])
    left, records = [], []
    for record in run["asserts"]:
        name = _older_assert_key(record["assert"], current)
        if name is None:
            left.append(record["assert"])
        operands = {}
        for text, value in record["operands"].items():
            try:
                node = ast.parse(f"(\n{text}\n)", mode="eval").body
            except SyntaxError:
                left.append(text)
                operands.setdefault(text, value)
                continue
            if spread._quantities(node) == [node]:
                operands.setdefault(spread.key(node), value)
        records.append({**record, "assert": record["assert"] if name is None else name, "operands": operands})
    return {**run, "keys": spread.KEYS, "asserts": records}, left


def command_normalise(args) -> None:
    lines = [line for line in args.out.read_text(encoding="utf-8").splitlines() if line.strip()]
    converted, left = [], []
    for line in lines:
        run = json.loads(line)
        new, missed = normalise_run(run, ROOT / "book" / run["notebook"])
        converted.append(new)
        left += [f"{run['notebook']} seed {run['seed']} {run['precision']}: {text}" for text in missed]
    changed = sum(json.loads(line) != run for line, run in zip(lines, converted))
    temporary = args.out.with_suffix(args.out.suffix + ".tmp")
    temporary.write_text("".join(json.dumps(run) + "\n" for run in converted), encoding="utf-8")
    temporary.replace(args.out)
    print(f"{args.out}: {changed} of {len(lines)} runs converted to key() names; {len(left)} texts left as they were")
    for text in left:
        print(f"    not Python, and no current assert starts so: {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute notebooks under seeds and precisions; append one line per run")
    run.add_argument("--notebooks", nargs="+", default=TRAINING_CHAPTERS, help="chapter numbers, e.g. 07 12")
    run.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    run.add_argument(
        "--precisions", nargs="+", choices=["no", "bf16", "fp16"], default=["no", "bf16"], help="'no' is float32"
    )
    run.add_argument("--workers", type=int, default=1, help="notebooks run at once (each with --threads)")
    run.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    run.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    for name in ("table", "check"):
        sub.add_parser(name).add_argument("--notebooks", nargs="+", default=TRAINING_CHAPTERS)
    sub.add_parser("normalise", help="rename an older file's asserts and operands by key(), in place")
    for command in sub.choices.values():
        command.add_argument("--out", type=Path, default=RUNS, help="the JSON Lines file of runs")
    args = parser.parse_args()
    commands = {"run": command_run, "table": command_table, "check": command_check, "normalise": command_normalise}
    commands[args.command](args)


if __name__ == "__main__":
    main()
