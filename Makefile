# Two commands do everything on a fresh machine (they create .venv and install first):
#   make book   build the HTML book, executing every notebook  -> _build/html/index.html
#   make test   unit tests, every notebook under nbval, a strict (-W -n) book build, every page in Chromium
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

.PHONY: install js book test unit kernels notebooks rehearsal book-check check-pages check-views student strip clean

install: $(STAMP)

# the JavaScript the built pages need offline (npm needs the registry: CI runs this before cutting the network)
js: node_modules/.package-lock.json

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
# at its start and its end only. Both renders below run their kernels with these settings.
PAGE_OUTPUT_ENV := PYTHONWARNINGS="ignore:IProgress not found" TQDM_MININTERVAL=3600 TQDM_MAXINTERVAL=3600
book: $(STAMP) node_modules/.package-lock.json
	$(PAGE_OUTPUT_ENV) $(BIN)/jupyter-book build . --all -W -n --keep-going
	$(BIN)/python scripts/offline_bertviz.py _build/html

# Headless Chromium (apt-get install chromium) with no name resolution: the attention views must draw.
check-views:
	test -f _build/html/book/06_attention.html || $(MAKE) book
	$(BIN)/python scripts/check_attention_views.py _build/html/book/06_attention.html --screenshot _build/attention_views.png

test: unit kernels notebooks book-check check-pages rehearsal

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q

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

# Notebooks are stored without outputs, so nbval executes every cell and fails on any error; the
# notebooks' own asserts carry their checks. Quiet progress bars keep the log readable.
notebooks: $(STAMP)
	$(BIN)/nbstripout --verify book/*.ipynb
	TQDM_DISABLE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 MPLBACKEND=agg \
	  $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=900 -q book

# The full profile, rehearsed offline: every notebook with BERTBOOK_PROFILE=full on a stand-in of bert-base's
# architecture with random weights, a few rows per split and a few steps per training run (runtime.REHEARSAL_*),
# its score asserts off (`if not REHEARSAL:` in the chapters) and every other assert in force. It proves that
# the full profile's code and profile-dependent asserts run; it measures no score. Prints per-notebook times.
rehearsal: $(STAMP)
	BERTBOOK_PROFILE=full BERTBOOK_REHEARSAL=1 HF_HUB_OFFLINE=1 \
	  TQDM_DISABLE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 MPLBACKEND=agg \
	  $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=900 -q -p no:cacheprovider book

# Strict render (structure, references, citations) that executes only the chapters in CHECK_EXECUTE (nbval
# just executed everything): chapter 6 so that check-pages sees its attention views draw. Every other
# notebook goes into the check config's execute.exclude_patterns, so a new chapter is excluded by default.
CHECK_EXECUTE ?= 06_attention
book-check: $(STAMP) node_modules/.package-lock.json
	mkdir -p _build
	$(BIN)/python -c 'import pathlib, sys, yaml; config = yaml.safe_load(open("_config.yml")); \
	  keep = set(sys.argv[1:]); notebooks = sorted(pathlib.Path("book").glob("*.ipynb")); \
	  assert keep <= {nb.stem for nb in notebooks}, f"CHECK_EXECUTE names no notebook in book/: {keep}"; \
	  config["execute"]["exclude_patterns"] = [nb.as_posix() for nb in notebooks if nb.stem not in keep]; \
	  yaml.safe_dump(config, open("_build/_config.check.yml", "w"), sort_keys=False, allow_unicode=True)' $(CHECK_EXECUTE)
	$(PAGE_OUTPUT_ENV) $(BIN)/jupyter-book build . --config _build/_config.check.yml --path-output _build/check --all -W -n --keep-going
	$(BIN)/python scripts/offline_bertviz.py _build/check/_build/html

# Every page of that render in headless Chromium with the network blocked: raw TeX, broken images, code
# wider than the column, console errors, blank attention views; a screenshot of each in _build/pages/.
# CHECK_PAGES_ARGS="--warn code-width" reports a check's failures without failing the target.
CHECK_PAGES_ARGS ?=
check-pages: $(STAMP)
	test -f _build/check/_build/html/book/06_attention.html || $(MAKE) book-check
	$(BIN)/python scripts/check_pages.py _build/check/_build/html --screenshots _build/pages $(CHECK_PAGES_ARGS)

# Student copies: every cell tagged `solution` removed and all outputs cleared (nbconvert).
student: $(STAMP)
	$(BIN)/python scripts/export_student.py --out _build/student

strip: $(STAMP)
	$(BIN)/nbstripout book/*.ipynb

clean:
	rm -rf _build
