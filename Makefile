# Two commands do everything on a fresh machine (they create .venv and install first):
#   make book   build the HTML book, executing every notebook once; fails on any cell error, stderr output
#               or Sphinx warning  -> _build/html/index.html
#   make test   ruff, unit tests, notebooks stored stripped, `make book`, and every page of that build in Chromium
#   make book-zh  the Simplified Chinese edition (zh/), with the outputs of `make book`  -> _build/html/zh/
#   make student  the chapters without their solution cells or outputs, with the exercises' checks -> _build/student/
#   make instructor  what grading needs (solution notebooks, hidden checks, autograders) -> _build/instructor/
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

.PHONY: install js grader lint book book-zh zh-check test unit grading kernels stripped notebooks rehearsal check-pages check-views \
  student instructor strip clean

install: $(STAMP)

# the JavaScript the built pages need offline (npm needs the registry: CI runs this before cutting the network)
js: node_modules/.package-lock.json

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The exercises' checks run in otter-grader (book/instructors.md), which needs ipywidgets. In the book's kernels
# ipywidgets would turn tqdm's bars into widgets (see `book` below), so the grader has its own environment:
# .venv-grader sees every package of .venv (a .pth file adds .venv's site-packages) and adds otter-grader and
# what it brings (grading/requirements.txt, pinned; constraints.txt keeps every book package at its pin).
# Like `install` and `js`, it needs the registry: CI makes it before cutting the network.
GRADER_VENV ?= .venv-grader
GRADER := $(GRADER_VENV)/bin
GRADER_STAMP := $(GRADER_VENV)/.installed
grader: $(GRADER_STAMP)

$(GRADER_STAMP): $(STAMP) grading/requirements.txt constraints.txt
	test -x $(GRADER)/python || $(BIN)/python -m venv $(GRADER_VENV)
	$(BIN)/python -c 'import site; print(f"import site; site.addsitedir({site.getsitepackages()[0]!r})")' \
	  > "$$($(GRADER)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/book-venv.pth"
	$(GRADER)/python -m pip install --quiet -c constraints.txt -r grading/requirements.txt
	touch $@

# bertviz's views load require.js, d3 and jQuery from a CDN: npm installs them at build time and
# scripts/offline_bertviz.py points the built pages at local copies (no third-party JS in the repo).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# The executed pages, and the test of every notebook: each runs once, in a fresh kernel, and the build fails
# (-W, with --keep-going so one run reports every problem) on a cell error outside cells tagged
# raises-exception (nb_execution_raise_on_error), on stderr in an output (nb_output_stderr: warn: a warning,
# a library log or a progress bar on stderr is noise on a page) and on any other Sphinx warning. The times
# each notebook took are printed after the build, whether it passed or not.
# A static page cannot show progress, only the redrawn lines of a bar: TQDM_DISABLE=1 turns the training
# bars off (readers who run a notebook see them). The kernels run without ipywidgets, so tqdm warns once per
# chapter that it falls back to text bars; that warning names a path on the build machine and says nothing
# to a reader, so the build ignores it. (With ipywidgets a bar would be a widget that needs JavaScript
# from a CDN.)
BOOK_ENV := TQDM_DISABLE=1 PYTHONWARNINGS="ignore:IProgress not found"
book: $(STAMP) node_modules/.package-lock.json
	$(BOOK_ENV) $(BIN)/jupyter-book build . --all -W -n --keep-going; built=$$?; \
	  $(BIN)/python scripts/exec_times.py _build; exit $$built
	$(BIN)/python scripts/offline_bertviz.py _build/html

# The Simplified Chinese edition (zh/, README.md): its notebooks' code cells are the English ones byte for byte
# (scripts/zh_sync.py --check), so nothing is executed again: scripts/zh_build.py copies the outputs of the
# English build above (_build/jupyter_execute) into a build copy of zh/ (_build/zh-src; it stops if the English
# build is missing or older than book/), which is built with execution off into _build/html/zh/, beside the
# English pages (the language button of each page leads to its twin). ZH_BUILD_ARGS=--lenient previews the zh
# pages from an older English build (code cells it cannot match get no outputs).
ZH_BUILD_ARGS ?=
book-zh: $(STAMP) node_modules/.package-lock.json zh-check
	$(BIN)/python scripts/zh_build.py $(ZH_BUILD_ARGS)
	$(BOOK_ENV) $(BIN)/jupyter-book build _build/zh-src --all -W -n --keep-going
	mkdir -p _build/html && rm -rf _build/html/zh && cp -r _build/zh-src/_build/html _build/html/zh
	$(BIN)/python scripts/offline_bertviz.py _build/html/zh

# The zh notebooks hold the English code cells, and which translations are stale (scripts/zh_sync.py --report)
zh-check: $(STAMP)
	$(BIN)/python scripts/zh_sync.py --check
	$(BIN)/python scripts/zh_sync.py --report

# Headless Chromium (apt-get install chromium) with no name resolution: the attention views must draw.
check-views:
	test -f _build/html/book/06_attention.html || $(MAKE) book
	$(BIN)/python scripts/check_attention_views.py _build/html/book/06_attention.html --screenshot _build/attention_views.png

# One execution of every notebook serves as their test and as the pages that check-pages opens (the English
# pages and, from the same outputs, the Chinese ones under _build/html/zh/); the rehearsal executes each a
# second time, in the full profile.
test: lint unit grading kernels stripped book book-zh check-pages rehearsal

# ruff (settings in pyproject.toml): lint everything, the notebooks included; format the Python files
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q

# The exercises' checks, in the grader's environment (tests/test_grading.py, which `unit` skips): each passes on
# the book's solution and fails on the blank stub and on wrong answers, from a few cells of the chapter rather
# than a run of it; and chapter 4's solution notebook and blank copy are graded end to end (a minute).
grading: $(GRADER_STAMP)
	TQDM_DISABLE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 MPLBACKEND=agg \
	  $(GRADER)/python -m pytest -q -p no:cacheprovider tests/test_grading.py

# Float32 results differ in the last bits from one CPU's kernels to another's. The comparisons of the
# from-scratch BERT with transformers' (tests/test_bert.py and chapter 3) run again under other kernels
# of this CPU, so that a bound that holds on one CPU only fails here, not on a reader's machine.
KERNEL_SETTINGS := "ATEN_CPU_CAPABILITY=default" "ATEN_CPU_CAPABILITY=avx2" \
  "MKL_ENABLE_INSTRUCTIONS=AVX2 ONEDNN_MAX_CPU_ISA=AVX2" "MKL_CBWR=COMPATIBLE"
kernels: $(STAMP)
	@for setting in $(KERNEL_SETTINGS); do \
	  echo "kernels: $$setting"; \
	  env $$setting TQDM_DISABLE=1 MPLBACKEND=agg $(BIN)/python -m pytest -q -p no:cacheprovider \
	    tests/test_bert.py tests/test_numerics.py --nbval --nbval-current-env book/03_architecture.ipynb \
	    || exit 1; \
	done

stripped: $(STAMP)
	$(BIN)/nbstripout --verify book/*.ipynb zh/book/*.ipynb

# nbval on chosen notebooks (not part of make test, where `make book` executes them):
#   make notebooks NOTEBOOKS=book/07_sentiment.ipynb
# Stored without outputs, a notebook is executed cell by cell and fails on any error; its asserts carry the checks.
NOTEBOOKS ?= book
notebooks: $(STAMP)
	TQDM_DISABLE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 MPLBACKEND=agg \
	  $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=900 -q $(NOTEBOOKS)

# The full profile, rehearsed offline: every notebook with BERTBOOK_PROFILE=full on a stand-in of bert-base's
# architecture with random weights, a few rows per split and a few steps per training run (runtime.REHEARSAL_*),
# its score asserts off (`if not REHEARSAL:` in the chapters) and every other assert in force. It proves that
# the full profile's code and profile-dependent asserts run; it measures no score. Prints per-notebook times.
rehearsal: $(STAMP)
	BERTBOOK_PROFILE=full BERTBOOK_REHEARSAL=1 HF_HUB_OFFLINE=1 \
	  TQDM_DISABLE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 MPLBACKEND=agg \
	  $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=900 -q -p no:cacheprovider book

# Every page of the executed build in headless Chromium with the network blocked: raw TeX, broken images,
# code wider than the column, console errors, blank attention views, and output noise in executed cells
# (stderr, warnings, tracebacks outside cells tagged raises-exception, build-machine paths, progress-bar
# debris); a screenshot of each in _build/pages/.
# CHECK_PAGES_ARGS="--warn code-width" reports a check's failures without failing the target.
CHECK_PAGES_ARGS ?=
check-pages: $(STAMP)
	@test -f _build/html/book/06_attention.html || { echo "no executed build in _build/html: run make book first"; exit 1; }
	$(BIN)/python scripts/check_pages.py _build/html --screenshots _build/pages $(CHECK_PAGES_ARGS)

# Student copies: every cell tagged `solution` removed and all outputs cleared (nbconvert); in the chapters whose
# exercises have checks, otter-grader's set-up and a check under each exercise (they run in Jupyter and Colab).
student: $(STAMP)
	$(BIN)/python scripts/export_student.py --out _build/student

# For instructors, in the grader's environment: per chapter with checks, the solution notebook, the checks with
# the hidden ones and otter-grader's autograder.zip -> _build/instructor/NN_name/. SAMPLE=04_math also grades
# that chapter's solution notebook and its blank student copy -> grading/04_math/sample/ (the committed samples).
instructor: $(GRADER_STAMP)
	TQDM_DISABLE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 MPLBACKEND=agg \
	  $(GRADER)/python scripts/export_instructor.py --out _build/instructor $(if $(SAMPLE),--sample $(SAMPLE))

strip: $(STAMP)
	$(BIN)/nbstripout book/*.ipynb zh/book/*.ipynb

clean:
	rm -rf _build
