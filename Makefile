# Two commands do everything on a fresh machine (they create .venv and install first):
#   make book   build the HTML book, executing every notebook  -> _build/html/index.html
#   make test   unit tests, every notebook under nbval, and a strict (-W -n) book build
#   make student  the chapters without their solution cells or outputs -> _build/student/
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export BERTBOOK_DATA ?= $(abspath ../shared/data)
export HF_HUB_OFFLINE ?= 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TOKENIZERS_PARALLELISM := false
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: install book test unit notebooks book-check check-views student strip clean

install: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# bertviz's views load require.js, d3 and jQuery from a CDN: npm installs them at build time and
# scripts/offline_bertviz.py points the built pages at local copies (no third-party JS in the repo).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# The kernels run without ipywidgets, so tqdm warns once per chapter that it falls back to text bars; that
# warning names a path on the build machine and says nothing to a reader, so the build ignores it. With
# ipywidgets the training bars would become widgets that need JavaScript from a CDN to show at all.
# A static page turns every redraw of a text bar into a new line: TQDM_MIN/MAXINTERVAL draw each bar
# at its start and its end only.
book: $(STAMP) node_modules/.package-lock.json
	PYTHONWARNINGS="ignore:IProgress not found" TQDM_MININTERVAL=3600 TQDM_MAXINTERVAL=3600 \
	  $(BIN)/jupyter-book build . --all -W -n --keep-going
	$(BIN)/python scripts/offline_bertviz.py _build/html

# Headless Chromium (apt-get install chromium) with no name resolution: the attention views must draw.
check-views:
	test -f _build/html/book/06_attention.html || $(MAKE) book
	$(BIN)/python scripts/check_attention_views.py _build/html/book/06_attention.html --screenshot _build/attention_views.png

test: unit notebooks book-check

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q

# Notebooks are stored without outputs, so nbval executes every cell and fails on any error; the
# notebooks' own asserts carry their checks. Quiet progress bars keep the log readable.
notebooks: $(STAMP)
	$(BIN)/nbstripout --verify book/*.ipynb
	TQDM_DISABLE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 MPLBACKEND=agg \
	  $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=900 -q book

# Strict render without re-executing (nbval just executed everything): structure, references, citations.
book-check: $(STAMP)
	mkdir -p _build
	sed 's/execute_notebooks: force/execute_notebooks: "off"/' _config.yml > _build/_config.check.yml
	grep -q 'execute_notebooks: "off"' _build/_config.check.yml
	$(BIN)/jupyter-book build . --config _build/_config.check.yml --path-output _build/check --all -W -n --keep-going

# Student copies: every cell tagged `solution` removed and all outputs cleared (nbconvert).
student: $(STAMP)
	$(BIN)/python scripts/export_student.py --out _build/student

strip: $(STAMP)
	$(BIN)/nbstripout book/*.ipynb

clean:
	rm -rf _build
