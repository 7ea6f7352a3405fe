#!/bin/bash
# usage: mknb.sh /tmp/src/NAME.py  -> /work/main/book/NAME.ipynb
set -e
cd /work/main; . .venv/bin/activate
n=$(basename "$1" .py)
jupytext --quiet --to ipynb -o book/$n.ipynb "$1"
python - book/$n.ipynb <<'PY'
import sys, nbformat
p = sys.argv[1]; nb = nbformat.read(p, 4)
for c in nb.cells:
    c.metadata = {k: v for k, v in c.metadata.items() if k == "tags"}
nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
               "language_info": {"name": "python"}}
nbformat.write(nb, p)
PY
nbstripout book/$n.ipynb
nbstripout --verify book/$n.ipynb
