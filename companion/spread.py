"""How much the book's numbers move: the runs that scripts/seed_sweep.py recorded, summarised and judged."""

from __future__ import annotations

import ast
import io
import json
import math
import operator
import tokenize
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

RECORDED_RUNS = Path(__file__).parent / "measurements" / "seed_sweep.jsonl"  # what scripts/seed_sweep.py wrote
KEYS = "unparsed"  # a run's "keys": its asserts and operands are named by key(), not by their source text

_COMPARISONS = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def key(expression: ast.expr) -> str:
    """Return the name recorded runs give an expression (an assert's test, an operand): its one-line unparsed text.

    `ast.unparse`, with plain strings in double quotes as ruff format writes them: line breaks, spacing, brackets
    and `0.80` vs `0.8` do not change it, so reformatting a notebook keeps its asserts matched to their runs.
    The same on Python 3.11 to 3.13 (3.10 brackets a comprehension's tuple target: `for (i, j) in`).
    """
    text = ast.unparse(expression)
    lines = text.splitlines(keepends=True)
    starts = [sum(len(line) for line in lines[:row]) for row in range(len(lines))]
    edits = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        prefix = token.string[: len(token.string) - len(token.string.lstrip("rRbBuU"))]
        body = token.string[len(prefix) :]
        if token.type == tokenize.STRING and body[:1] == "'" and body[:3] != "'''" and '"' not in body:
            start = starts[token.start[0] - 1] + token.start[1]
            edits.append((start, start + len(token.string), f'{prefix}"{body[1:-1]}"'))
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


def normalise(text: str) -> str:
    """Return key() of an expression given as text (as older runs recorded it); SyntaxError if it is not one."""
    return key(ast.parse(f"(\n{text}\n)", mode="eval").body)


def _parse(cell_source: str) -> tuple[ast.Module, str] | None:
    # IPython magics and shell escapes are not Python: blank them so line numbers still match
    text = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell_source.splitlines())
    try:
        return ast.parse(text), text
    except SyntaxError:
        return None


def _quantities(expression: ast.expr) -> list[ast.expr]:
    # `accuracy - 0.02` and `2 * speed_up` measure `accuracy` and `speed_up`: record those
    if isinstance(expression, (ast.Constant, ast.IfExp)):  # a literal, or a profile's choice of literal
        return []
    if isinstance(expression, ast.UnaryOp):
        return _quantities(expression.operand)
    if isinstance(expression, ast.BinOp) and type(expression.op) in _ARITHMETIC:
        return _quantities(expression.left) + _quantities(expression.right)
    return [expression]


def _operands(test: ast.expr) -> list[ast.expr]:
    if isinstance(test, ast.Compare):
        return [quantity for operand in [test.left, *test.comparators] for quantity in _quantities(operand)]
    if isinstance(test, ast.BoolOp):
        return [operand for value in test.values for operand in _operands(value)]
    return []


def asserts(cell_source: str) -> list[dict]:
    """Return a cell's top-level asserts (also under top-level ifs) as {'source', 'test', 'operands', 'guards'} texts.

    'source' is the assert's first line as written; 'test', 'operands' and 'guards' are key()s, the names recorded
    runs use. 'guards' lists the tests of the ifs around the assert, innermost last (`not ...` for an else branch).
    """
    parsed = _parse(cell_source)
    if parsed is None:
        return []
    tree, text = parsed

    def visit(body: list[ast.stmt], guards: list[str]) -> list[dict]:
        found = []
        for node in body:
            if isinstance(node, ast.Assert):
                found.append(
                    {
                        "source": ast.get_source_segment(text, node).splitlines()[0],
                        "test": key(node.test),
                        "operands": [key(operand) for operand in _operands(node.test)],
                        "guards": guards,
                    }
                )
            elif isinstance(node, ast.If):
                condition = key(node.test)
                found += visit(node.body, [*guards, condition]) + visit(node.orelse, [*guards, f"not ({condition})"])
        return found

    return visit(tree.body, [])


def load_runs(path: str | Path = RECORDED_RUNS) -> list[dict]:
    """Return the runs a seed sweep recorded (one JSON object per line); by default the book's own runs."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run scripts/seed_sweep.py run … to record runs")
    runs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    older = [number for number, run in enumerate(runs, 1) if run.get("keys") != KEYS]
    if older:  # matched by their source text, they would silently judge nothing: say so
        raise ValueError(
            f"{path}: {len(older)} run(s) (lines {older[:5]}...) name asserts by their source text, not by key(); "
            f"convert them once: python scripts/seed_sweep.py normalise --out {path}"
        )
    return runs


def measurements(runs: Iterable[dict]) -> pd.DataFrame:
    """One row per (run, named check or asserted operand): notebook, seed, precision, quantity, value."""
    rows = []
    for run in runs:
        seen = set(run.get("checks", {}))
        rows += [
            {
                "notebook": run["notebook"],
                "seed": run["seed"],
                "precision": run["precision"],
                "quantity": name,
                "value": value,
            }
            for name, value in run.get("checks", {}).items()
        ]
        for record in run["asserts"]:
            for quantity, value in record["operands"].items():
                if quantity not in seen:  # the first assert that names a quantity records it
                    seen.add(quantity)
                    rows.append(
                        {
                            "notebook": run["notebook"],
                            "seed": run["seed"],
                            "precision": run["precision"],
                            "quantity": quantity,
                            "value": value,
                        }
                    )
    return pd.DataFrame(rows, columns=["notebook", "seed", "precision", "quantity", "value"])


def summary(runs: Iterable[dict]) -> pd.DataFrame:
    """Per notebook and quantity: distinct runs, min, mean, sd, max, and the seeds and precisions covered.

    A value that one seed gave again under the other precision (a chapter that trains in float32 either way)
    is one measurement, not two: it counts once in runs, mean and sd.
    """
    frame = measurements(runs).drop_duplicates(["notebook", "quantity", "seed", "value"])
    grouped = frame.groupby(["notebook", "quantity"], sort=True)
    table = grouped["value"].agg(runs="count", min="min", mean="mean", sd="std", max="max")
    table["seeds"] = grouped["seed"].agg(lambda seeds: ",".join(str(s) for s in sorted(set(seeds))))
    table["precisions"] = grouped["precision"].agg(lambda p: ",".join(sorted(set(p))))
    return table


def _holds(test: str, values: dict[str, float]) -> bool | None:
    """Evaluate a comparison assert (its key) with recorded operand values; None when an operand was not recorded."""
    return _judge(ast.parse(test, mode="eval").body, values)


def _judge(node: ast.expr, values: dict[str, float]) -> bool | None:
    if isinstance(node, ast.BoolOp):  # each side is judged by the keys of its own operands
        parts = [_judge(value, values) for value in node.values]
        if any(part is None for part in parts):
            return None
        return all(parts) if isinstance(node.op, ast.And) else any(parts)
    if not isinstance(node, ast.Compare) or not all(type(op) in _COMPARISONS for op in node.ops):
        return None

    def value(segment: ast.expr) -> float | None:
        if isinstance(segment, ast.Constant):
            return float(segment.value) if isinstance(segment.value, (int, float)) else None
        if isinstance(segment, ast.UnaryOp) and isinstance(segment.op, ast.USub):
            inner = value(segment.operand)
            return None if inner is None else -inner
        if isinstance(segment, ast.IfExp):  # `0.84 if FAST else 0.90`: the sweep runs the fast profile
            fast = key(segment.test) in ("FAST", "runtime.is_fast()")
            return value(segment.body) if fast else None
        if isinstance(segment, ast.BinOp) and type(segment.op) in _ARITHMETIC:
            left, right = value(segment.left), value(segment.right)
            return None if left is None or right is None else _ARITHMETIC[type(segment.op)](left, right)
        recorded = values.get(key(segment))
        return None if recorded is None or math.isnan(recorded) else recorded

    numbers = [value(segment) for segment in [node.left, *node.comparators]]
    if any(number is None for number in numbers):
        return None
    return all(_COMPARISONS[type(op)](a, b) for op, a, b in zip(node.ops, numbers, numbers[1:]))


def check_asserts(notebook: str | Path, runs: Iterable[dict]) -> pd.DataFrame:
    """Evaluate a notebook's current asserts against every recorded run of it that measured their operands."""
    notebook = Path(notebook)
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    runs = [run for run in runs if run["notebook"] == notebook.name]
    rows = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        for found in asserts("".join(cell["source"])):
            if not found["operands"]:
                continue
            outcomes = []
            for run in runs:
                values = {}
                for record in run["asserts"]:
                    values.update({k: v for k, v in record["operands"].items() if k not in values})
                values.update({k: v for k, v in run.get("scalars", {}).items() if k not in values})
                outcome = _holds(found["test"], values)
                if outcome is None:  # not a numeric comparison: the run's own verdict on the same assert
                    verdicts = [
                        r["passed"]
                        for r in run["asserts"]
                        if r["assert"] == found["test"] and r.get("passed") is not None
                    ]
                    outcome = all(verdicts) if verdicts else None
                outcomes.append(outcome)
            judged = [outcome for outcome in outcomes if outcome is not None]
            rows.append(
                {
                    "notebook": notebook.name,
                    "assert": found["source"],
                    "runs": len(judged),
                    "failed": sum(not outcome for outcome in judged),
                    "guards": " and ".join(found["guards"]),
                }
            )
    return pd.DataFrame(rows, columns=["notebook", "assert", "runs", "failed", "guards"])


_BOUNDS = {"at_least": ">=", "at_most": "<="}


def named_checks(notebook: str | Path) -> pd.DataFrame:
    """The notebook's named checks (`checks.at_least(name, value, floor)` / `at_most`): cell, name, kind, bound."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    rows = []
    for index, cell in enumerate(cells):
        parsed = _parse("".join(cell["source"])) if cell["cell_type"] == "code" else None
        for node in (
            sorted((n for n in ast.walk(parsed[0]) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
            if parsed
            else []
        ):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _BOUNDS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "checks"
            ):
                name, _value, bound = node.args
                rows.append(
                    {
                        "cell": index,
                        "name": ast.literal_eval(name),
                        "kind": _BOUNDS[node.func.attr],
                        "bound": float(ast.literal_eval(bound)),
                        "solution": "solution" in cell.get("metadata", {}).get("tags", []),
                    }
                )
    return pd.DataFrame(rows, columns=["cell", "name", "kind", "bound", "solution"])


def check_named(notebook: str | Path, runs: Iterable[dict]) -> pd.DataFrame:
    """Judge each named check of a notebook against every recorded run of its name: runs, failed, and the spread."""
    notebook = Path(notebook)
    runs = [run for run in runs if run["notebook"] == notebook.name]
    table = named_checks(notebook)
    spread_of = summary(runs) if runs else None
    rows = []
    for check in table.itertuples():
        values = [run["checks"][check.name] for run in runs if check.name in run.get("checks", {})]
        holds = [value >= check.bound if check.kind == ">=" else value <= check.bound for value in values]
        row = {
            "notebook": notebook.name,
            "name": check.name,
            "kind": check.kind,
            "bound": check.bound,
            "runs": len(values),
            "failed": holds.count(False),
        }
        if values and spread_of is not None and (notebook.name, check.name) in spread_of.index:
            row.update(spread_of.loc[(notebook.name, check.name), ["min", "mean", "sd", "max"]].to_dict())
            row["distinct runs"] = int(spread_of.loc[(notebook.name, check.name), "runs"])
        rows.append(row)
    return pd.DataFrame(
        rows,
        columns=["notebook", "name", "kind", "bound", "runs", "failed", "distinct runs", "min", "mean", "sd", "max"],
    )


def recorded(notebook: str, name: str, runs: Iterable[dict] | None = None) -> pd.Series:
    """The recorded spread of one named quantity of a notebook: distinct runs, min, mean, sd, max, seeds, precisions."""
    runs = [run for run in (load_runs() if runs is None else runs) if run["notebook"] == notebook]
    table = summary(runs)
    if (notebook, name) not in table.index:
        known = sorted(table.loc[notebook].index) if notebook in table.index.get_level_values(0) else []
        raise KeyError(f"no recorded run of {notebook} measured {name!r}; recorded: {known}")
    return table.loc[(notebook, name)]


def per_run(notebook: str, names: list[str], runs: Iterable[dict] | None = None) -> pd.DataFrame:
    """One row per recorded run of a notebook (seed, precision), one column per named quantity."""
    runs = [run for run in (load_runs() if runs is None else runs) if run["notebook"] == notebook]
    frame = measurements(runs)
    frame = frame[frame["quantity"].isin(names)]
    return frame.pivot(index=["seed", "precision"], columns="quantity", values="value")[names]  # a repeated run raises
