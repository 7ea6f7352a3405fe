"""Drift canary: the unit tests and chapters 3, 7 and 9 with the newest release of every dependency.

    python scripts/canary.py --venv .canary-venv                      # create or update it, test, record
    python scripts/canary.py --venv .canary-venv --hold torch==2.13.0 # keep one package where it is
    python scripts/canary.py --venv .canary-venv --no-install         # test that environment as it is

CI pins every package (constraints.txt); readers who `pip install` get whatever is newest. This script
installs requirements.txt *without* constraints.txt into its own virtual environment, so pip takes the
newest release each range allows (an exact pin in requirements.txt, such as torch's, counts as a lower
bound: the canary is about newer releases; `--hold NAME==VERSION` keeps one, with the reason in the
record), then runs the unit tests and the chapters under nbval. It writes what it verified to
companion/measurements/last_verified.json (beside the book's other measurements, inside the package, so
the status page reads it in a clone and in Colab alike): the date, each step's result, and the version of
every direct dependency next to the one constraints.txt pins. It exits 1 when a step fails, after
recording. Data and network follow the environment, as in .ci/run: with a dataset mirror (BERTBOOK_DATA)
it runs offline; without one set HF_HUB_OFFLINE=0 and the chapters read the public sources.
`.github/workflows/canary.yml` runs it weekly and opens an issue when it fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections import deque
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "companion" / "measurements" / "last_verified.json"
CHAPTERS = ("book/03_architecture.ipynb", "book/07_sentiment.ipynb", "book/09_question_answering.ipynb")
QUIET = {
    "TQDM_DISABLE": "1",
    "HF_DATASETS_DISABLE_PROGRESS_BARS": "1",
    "MPLBACKEND": "agg",
    "TOKENIZERS_PARALLELISM": "false",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    """Return a distribution name as pip compares it (PEP 503: lower case, runs of -_. as one -)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(line: str) -> str | None:
    """Return the distribution named by one requirements.txt line, or None for a comment or blank line."""
    text = line.split("#", 1)[0].strip()
    match = _NAME.match(text)
    return canonical(match.group(1)) if match else None


def unconstrained(requirements: str, *, hold: dict[str, str] | None = None) -> str:
    """Return requirements.txt with each exact pin (==) loosened to a lower bound (>=), except those held.

    `hold` maps a distribution name to the requirement that replaces its line, e.g. {"torch": "torch==2.13.0"}.
    """
    hold = {canonical(name): spec for name, spec in (hold or {}).items()}
    unknown = set(hold) - {requirement_name(line) for line in requirements.splitlines()}
    if unknown:
        raise ValueError(f"--hold names {', '.join(sorted(unknown))}, which requirements.txt does not list")
    lines = []
    for line in requirements.splitlines():
        name = requirement_name(line)
        if name in hold:
            lines.append(hold[name])
        elif name is not None:
            lines.append(re.sub(r"===?", ">=", line.split("#", 1)[0]).strip())
    return "\n".join(lines) + "\n"


def pins(constraints: str) -> dict[str, str]:
    """Return {distribution: version} for every `name==version` line of a constraints file."""
    found = {}
    for line in constraints.splitlines():
        text = line.split("#", 1)[0].strip()
        if "==" in text:
            name, version = text.split("==", 1)
            found[canonical(name)] = version.strip()
    return found


def installed_versions(python: str) -> dict[str, str]:
    """Return {distribution: version} of everything installed in the environment of that interpreter."""
    listing = subprocess.run(
        [python, "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {canonical(entry["name"]): entry["version"] for entry in json.loads(listing.stdout)}


def pytest_summary(lines: list[str]) -> str:
    """Return pytest's closing counts ("312 passed, 23 skipped"), without the time, or "" if there is none."""
    for line in reversed(lines):
        match = re.search(
            r"((?:\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected|warnings?)"
            r"(?:, )?)+)",
            line.strip("= "),
        )
        if match and re.search(r"\bin [\d.]+s", line):
            return match.group(1).rstrip(", ")
    return ""


def run_step(name: str, command: list[str], *, env: dict[str, str]) -> dict[str, str]:
    """Run one test command from the repository root, echoing its output; return its name, command and result."""
    print(f"== {name}: {' '.join(command)}", flush=True)
    tail: deque[str] = deque(maxlen=50)
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as process:
        for line in process.stdout:
            print(line, end="", flush=True)
            tail.append(line.rstrip("\n"))
    result = "passed" if process.returncode == 0 else "failed"
    shown = " ".join(["python", *command[1:]])  # the environment's interpreter, without this machine's path
    return {"step": name, "command": shown, "result": result, "summary": pytest_summary(list(tail))}


def venv_python(venv: Path) -> Path:
    """Return the interpreter of a virtual environment (bin/python, or Scripts\\python.exe on Windows)."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install(venv: Path, requirements: str) -> None:
    """Create the environment if it is missing, then install the requirements at their newest releases."""
    if not venv_python(venv).exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv_python(venv))
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    with tempfile.TemporaryDirectory() as folder:
        loosened = Path(folder) / "requirements-newest.txt"
        loosened.write_text(requirements, encoding="utf-8")
        subprocess.run(
            [python, "-m", "pip", "install", "--upgrade", "--upgrade-strategy", "eager", "-r", str(loosened)],
            check=True,
        )
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT)], check=True)


def data_source(python: str, *, env: dict[str, str]) -> str:
    """Return where the chapters read their datasets in that environment: the mirror or the public sources."""
    probe = subprocess.run(
        [
            python,
            "-c",
            "from companion import data; print('dataset mirror' if data.find_mirror() else 'public sources')",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return probe.stdout.strip() if probe.returncode == 0 else f"unknown ({probe.stderr.strip()[-200:]})"


def record(
    steps: list[dict], *, python: str, env: dict[str, str], held: dict[str, str], reasons: dict[str, str]
) -> dict:
    """Return the record of this run: date, result, steps, and each direct dependency's version."""
    direct = [
        name
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if (name := requirement_name(line))
    ]
    installed = installed_versions(python)
    pinned = pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    interpreter = subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True, check=True
    ).stdout.strip()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    return {
        "date": now.date().isoformat(),
        "verified_at": now.isoformat(),
        "result": "passed" if all(step["result"] == "passed" for step in steps) else "failed",
        "steps": steps,
        "python": interpreter,
        "platform": f"{platform.system()} {platform.machine()}",
        "data": data_source(python, env=env),
        "held": {name: {"requirement": spec, "reason": reasons.get(name, "")} for name, spec in held.items()},
        "packages": {name: {"verified": installed.get(name), "pinned": pinned.get(name)} for name in direct},
    }


def markdown(result: dict) -> str:
    """Return the record as Markdown: the result, each step, and each dependency whose version moved."""
    lines = [
        f"**Drift canary {result['result']}** on {result['date']} (Python {result['python']}, "
        f"{result['platform']}, data: {result['data']}).",
        "",
        "| step | result | pytest |",
        "|---|---|---|",
    ]
    lines += [f"| {step['step']} | {step['result']} | {step['summary']} |" for step in result["steps"]]
    moved = {
        name: versions for name, versions in result["packages"].items() if versions["verified"] != versions["pinned"]
    }
    lines += ["", "| package | constraints.txt | verified |", "|---|---|---|"]
    lines += [f"| {name} | {versions['pinned']} | {versions['verified']} |" for name, versions in moved.items()]
    if not moved:
        lines.append("| (every direct dependency) | as pinned | as pinned |")
    lines += [f"\n{name} held at `{hold['requirement']}`: {hold['reason']}" for name, hold in result["held"].items()]
    return "\n".join(lines) + "\n"


def _holds(values: list[str]) -> dict[str, str]:
    held = {}
    for value in values:
        name = requirement_name(value)
        if name is None or not re.search(r"[=<>!~]", value):
            raise SystemExit(f"--hold {value!r}: give a requirement such as torch==2.13.0")
        held[name] = value.strip()
    return held


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--venv",
        type=Path,
        default=ROOT / ".canary-venv",
        help="virtual environment to install into and test with (created if missing)",
    )
    parser.add_argument("--no-install", action="store_true", help="test the environment as it is")
    parser.add_argument(
        "--hold",
        action="append",
        default=[],
        metavar="REQUIREMENT",
        help="keep one package at this requirement instead of its newest release (repeatable)",
    )
    parser.add_argument(
        "--hold-reason",
        action="append",
        default=[],
        metavar="NAME=WHY",
        help="why a package is held, written to the record (repeatable)",
    )
    parser.add_argument("--notebooks", nargs="*", default=list(CHAPTERS), help="notebooks to run under nbval")
    parser.add_argument("--record", type=Path, default=RECORD, help="where to write what was verified")
    parser.add_argument("--markdown", type=Path, help="also write the record as Markdown here (CI's summary)")
    args = parser.parse_args(argv)

    held = _holds(args.hold)
    reasons = dict(reason.split("=", 1) for reason in args.hold_reason)
    reasons = {canonical(name): why for name, why in reasons.items()}
    if not args.no_install:
        requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
        install(args.venv, unconstrained(requirements, hold=held))
    python = str(venv_python(args.venv))
    if not Path(python).exists():
        raise SystemExit(f"{python} does not exist: run without --no-install to create the environment")

    env = {
        **os.environ,
        **QUIET,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    steps = [run_step("unit tests", [python, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"], env=env)]
    if args.notebooks:
        steps.append(
            run_step(
                "chapters " + ", ".join(Path(path).stem for path in args.notebooks),
                [
                    python,
                    "-m",
                    "pytest",
                    "--nbval",
                    "--nbval-current-env",
                    "--nbval-cell-timeout=900",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    *args.notebooks,
                ],
                env=env,
            )
        )
    result = record(steps, python=python, env=env, held=held, reasons=reasons)
    args.record.parent.mkdir(parents=True, exist_ok=True)
    args.record.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    summary = markdown(result)
    if args.markdown:
        args.markdown.write_text(summary, encoding="utf-8")
    print(summary)
    print(f"wrote {args.record}")
    return 0 if result["result"] == "passed" else 1


if __name__ == "__main__":
    sys.exit(main())
