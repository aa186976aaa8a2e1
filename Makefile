# Going Deeper: `make run` executes the series, `make test` tests it. Both set up first.
# Paths are quoted: a clone in a folder whose name has spaces works too.
# The supported Pythons are written once, as requires-python in pyproject.toml (">=3.11,<3.14"
# is 3.11, 3.12 and 3.13: Keras 3.15 needs 3.11 or newer, TensorFlow 2.21 has wheels up to
# 3.13); SUPPORTED is read from it. The first of them on the PATH, unless PYTHON is given.
SUPPORTED := $(shell awk -F'"' '/^requires-python/ { split($$2, v, /[^0-9]+/); for (m = v[3]; m < v[5]; m++) printf "3.%d ", m }' "$(CURDIR)/pyproject.toml")
ifeq ($(strip $(SUPPORTED)),)
$(error Error: no Python versions in pyproject.toml's requires-python: write it as ">=3.11,<3.14" (the Makefile reads that form))
endif
comma := ,
space := $() $()
# "3.11, 3.12 or 3.13", for messages
SUPPORTED_SAID := $(if $(word 2,$(SUPPORTED)),$(subst $(space),$(comma)$(space),$(wordlist 2,$(words $(SUPPORTED)),x $(SUPPORTED))) or )$(lastword $(SUPPORTED))
PYTHON ?= $(firstword $(foreach v,$(SUPPORTED),$(shell command -v python$(v) 2>/dev/null)) python3)

# The Keras backend: make run KERAS_BACKEND=jax (or torch; tensorflow is the default). Each
# backend has its own requirement file and its own environment, so switching costs no
# reinstall: .venv (TensorFlow), .venv-jax, .venv-torch.
BACKENDS := tensorflow jax torch
KERAS_BACKEND ?= tensorflow
ifeq ($(filter $(KERAS_BACKEND),$(BACKENDS)),)
$(error KERAS_BACKEND=$(KERAS_BACKEND) is not a backend this course supports: use tensorflow, jax or torch)
endif
export KERAS_BACKEND
# TensorFlow, the default, has the plain names; the others add -jax or -torch.
SUFFIX := $(if $(filter tensorflow,$(KERAS_BACKEND)),,-$(KERAS_BACKEND))
REQUIREMENTS := requirements$(SUFFIX).txt
VENV   := .venv$(SUFFIX)
BIN    := $(VENV)/bin
BUILD  := build
STAMP  := $(VENV)/.installed-requirements
HUB_STAMP := $(VENV)/.installed-hub
PROXY_VERSION := 4.6.3
NPM ?= npm
# The browser tests check every page and slide with axe-core (WCAG 2.1 A and AA), from npm
# into the environment's axe-core/; make test sets it up where npm is (always in CI).
AXE_VERSION := 4.14.1
AXE_STAMP := $(VENV)/.installed-axe-$(AXE_VERSION)
TEST_AXE := $(if $(CI)$(shell command -v $(NPM) 2>/dev/null),$(AXE_STAMP))
# make test sets the class hub up (JupyterHub, and its proxy from npm) only where the class
# test runs: as root, with npm at hand or in CI (where a missing npm is an error). Elsewhere
# that test skips and says why, and make test needs no Node.js.
TEST_HUB := $(if $(filter 0,$(shell id -u)),$(if $(CI)$(shell command -v $(NPM) 2>/dev/null),$(HUB_STAMP)))

# The notebooks' knobs, in capitals: make run EPOCHS=5 N_SMALL=500 is -p epochs 5 -p n_small
# 500 to the runner. Every name a notebook's parameters cell assigns is one; tools/knobs.py
# reads them with the standard library only: with the environment's Python, or before
# set-up with $(PYTHON).
KNOBS_PYTHON = $(if $(wildcard $(BIN)/python),$(CURDIR)/$(BIN)/python,$(PYTHON))
KNOBS_SAY = $(shell cd "$(CURDIR)" && "$(KNOBS_PYTHON)" -m tools.knobs --only '$(ONLY)' $(1) 2>&1)
# A variable on make's command line that this Makefile does not read must be a knob of the
# notebooks ONLY selects, given to make run: anything else (a typo: EPOCH=2) stops make here,
# before anything runs, with one line that names it and lists the knobs.
COMMAND_LINE := $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v)))
ifneq ($(strip $(COMMAND_LINE)),)
# the names written $(NAME) in this Makefile (braces here: the pattern holds a parenthesis)
MAKEFILE_VARIABLES := ${shell grep -oh '[$$][(][A-Za-z_][A-Za-z0-9_]*' $(MAKEFILE_LIST) | cut -c3- | sort -u}
KNOB_GIVEN := $(filter-out $(MAKEFILE_VARIABLES),$(COMMAND_LINE))
endif
# make bench's settings given to another target (make run SEEDS=3) would be ignored: an
# error instead. setup is left out: make bench runs it once per backend, passing them on.
BENCH_SETTINGS := SEEDS QUICK LOAD BENCH_SKIP BENCH_BACKENDS
BENCH_GIVEN := $(filter $(BENCH_SETTINGS),$(COMMAND_LINE))
BENCH_IGNORED_BY := $(filter-out bench setup,$(MAKECMDGOALS))
ifneq ($(and $(BENCH_GIVEN),$(BENCH_IGNORED_BY)),)
$(error Error: $(BENCH_GIVEN): settings of make bench only (make bench $(firstword $(BENCH_GIVEN))=...); make $(BENCH_IGNORED_BY) would ignore them)
endif
ifneq ($(strip $(KNOB_GIVEN)),)
KNOB_CHECK := $(call KNOBS_SAY,$(KNOB_GIVEN))
ifneq ($(firstword $(KNOB_CHECK)),ok)
$(error $(if $(filter Error:,$(firstword $(KNOB_CHECK))),$(KNOB_CHECK),Error: $(KNOBS_PYTHON) could not read the notebooks' knobs (python -m tools.knobs says why); point PYTHON at a Python $(SUPPORTED_SAID)))
endif
ifeq ($(filter run,$(MAKECMDGOALS)),)
$(error Error: $(KNOB_GIVEN): notebook knobs, which only make run takes (make run $(firstword $(KNOB_GIVEN))=...); the other targets use the notebooks as they are)
endif
endif
# -p name value for each knob given (on the command line or in the environment): the tool
# says "ok EPOCHS:epochs N_TRAIN:n_train ..."; on an error the runner says it again.
knob_pairs = $(if $(filter ok,$(firstword $(1))),$(wordlist 2,$(words $(1)),$(1)))
knob_param = $(if $($(word 1,$(1))),-p $(word 2,$(1)) $($(word 1,$(1))))
PARAMS = $(foreach pair,$(call knob_pairs,$(KNOBS_SAY)),$(call knob_param,$(subst :, ,$(pair))))
# Run only some notebooks: make run ONLY="01 02"
ONLY_ARG := $(if $(ONLY),--only $(ONLY))
# The maintainers' tools (runner, renderer, benchmark, results) live in tools/, the class
# server in classroom/, apart from the students' helper package in notebooks/going_deeper/.
# They run as modules from the repository's root, which is what puts them on the import path.
PY := "$(CURDIR)/$(BIN)/python"
TOOLS := cd "$(CURDIR)" && $(PY) -m tools

.PHONY: help setup run test test-notebooks lint sync test-browser lab html slides bench results hub assignments refresh-outputs clean supported-pythons
help:
	@echo "make run     set up, then execute every notebook into $(BUILD)/executed/ (notebooks/ untouched)"
	@echo "make test    set up, then run every test (lint, unit, nbval on every notebook, renderings, browser)"
	@echo "make test-notebooks   only nbval: every notebook re-run and compared with its stored outputs"
	@echo "             (any target takes KERAS_BACKEND=jax or KERAS_BACKEND=torch; default tensorflow)"
	@echo "make lint    only the linter and formatter check (ruff) over the package, tests and notebooks"
	@echo "make sync    write the notebook list, titles, navigation, tables and exercise cells from"
	@echo "             notebooks/course.toml and the exercise modules (python -m tools.sync --check: what drifted)"
	@echo "make test-browser   only the real-browser tests (JupyterLab, site, slides; needs chromium)"
	@echo "make lab     open JupyterLab on the notebooks"
	@echo "make html    render the series (stored outputs, plots included) into $(BUILD)/site/, index.html first"
	@echo "make slides  one offline reveal.js deck per notebook into $(BUILD)/slides/"
	@echo "make bench   on every backend: run times, memory, time to 99%; a load run; into docs/performance.md"
	@echo "             (make bench QUICK=1: a few minutes' check of the bench itself)"
	@echo "make hub     serve the course to the class in classroom/class.toml through JupyterHub (as root)"
	@echo "make assignments   graded exercises: an nbgrader course folder (release and source) in $(BUILD)/assignments/"
	@echo "make results   notebook 08's networks on all training images of both data sets into $(BUILD)/results/"
	@echo "make clean   remove $(BUILD)/ and caches (rm -rf $(VENV) to reinstall from scratch)"
	@echo "make refresh-outputs   (maintainers) re-execute notebooks in place to renew stored outputs"

setup: $(STAMP)

# The supported Pythons, from pyproject.toml, for .ci/run: make -s supported-pythons
supported-pythons:
	@echo $(SUPPORTED)

# Create the environment when it is missing; install again when a requirements file is newer.
$(STAMP): $(REQUIREMENTS) requirements-common.txt requirements-dev.txt
	@"$(PYTHON)" -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] not in "$(SUPPORTED)".split())' 2>/dev/null || { \
	  echo "Error: this course needs Python $(SUPPORTED_SAID), but '$(PYTHON)' is $$("$(PYTHON)" --version 2>&1 || echo 'not found')." >&2; \
	  echo "Install one of them and run again, or point to it: make $(MAKECMDGOALS) PYTHON=/path/to/python$(lastword $(SUPPORTED))" >&2; \
	  exit 1; }
	test -x "$(BIN)/python" || "$(PYTHON)" -m venv "$(VENV)"
	"$(BIN)/python" -m pip install --quiet --upgrade pip
	"$(BIN)/python" -m pip install --quiet -r $(REQUIREMENTS) -r requirements-dev.txt
	touch "$@"

run: $(STAMP)
	$(TOOLS).series run --build "$(CURDIR)/$(BUILD)/executed" $(PARAMS) $(ONLY_ARG)

lint: $(STAMP)
	"$(BIN)/ruff" check
	"$(BIN)/ruff" format --check

# make sync: the copies of notebooks/course.toml (navigation, H1 lines, tables) and of the
# exercises (question and solution cells) brought in line; only markdown changes.
sync: $(STAMP)
	$(TOOLS).sync

test: $(STAMP) $(TEST_HUB) $(TEST_AXE) lint
	"$(BIN)/python" -m pytest

# make test-notebooks ONLY=01: nbval of the notebooks whose names start with these
NOTEBOOK_FILES := $(if $(ONLY),$(foreach o,$(ONLY),$(wildcard notebooks/$(o)*.ipynb)),notebooks)
test-notebooks: $(STAMP)
	@test -n "$(strip $(NOTEBOOK_FILES))" || { echo "Error: ONLY=$(ONLY) matches no notebook in notebooks/ (try ONLY=01)." >&2; exit 2; }
	"$(BIN)/python" -m pytest $(NOTEBOOK_FILES)

test-browser: $(STAMP) $(TEST_AXE)
	"$(BIN)/python" -m pytest tests/test_browser.py

lab: $(STAMP)
	"$(BIN)/jupyter" lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_welcome.ipynb

html: $(STAMP)
	$(TOOLS).render html --out "$(CURDIR)/$(BUILD)/site"

slides: $(STAMP)
	$(TOOLS).render slides --out "$(CURDIR)/$(BUILD)/slides"

# make bench: every backend's environment is set up first; BENCH_BACKENDS narrows the list,
# LOAD is the number of students of the load run (0: none), SEEDS the seeds of each recipe
# of the time to 99% (5 unless given), QUICK=1 a quick check of the bench (notebook 01, one
# seed, one epoch of each recipe, no load run), BENCH_SKIP="series" or "race"
# leaves that part out.
BENCH_BACKENDS ?= $(BACKENDS)
QUICK_ARG := $(if $(filter-out 0,$(QUICK)),--quick)
LOAD ?= $(if $(QUICK_ARG),0,3)
BENCH_SKIP ?=
bench: $(STAMP)
	@for b in $(BENCH_BACKENDS); do $(MAKE) --no-print-directory setup KERAS_BACKEND=$$b || exit 1; done
	$(TOOLS).bench_all --out "$(CURDIR)/$(BUILD)/bench" --backends $(BENCH_BACKENDS) --load $(LOAD) $(QUICK_ARG) $(if $(SEEDS),--seeds $(SEEDS)) $(if $(strip $(BENCH_SKIP)),--skip $(BENCH_SKIP))

# make hub: JupyterHub for the class in classroom/class.toml (see docs/teaching.md). Its proxy,
# configurable-http-proxy, comes from the npm registry into the environment's hub-proxy/.
$(HUB_STAMP): $(STAMP) classroom/requirements.txt
	@command -v $(NPM) >/dev/null || { echo "Error: make hub needs Node.js with npm (https://nodejs.org; tested with Node 20), for JupyterHub's proxy." >&2; exit 1; }
	"$(BIN)/python" -m pip install --quiet -r classroom/requirements.txt
	$(NPM) install --silent --no-audit --no-fund --prefix "$(VENV)/hub-proxy" configurable-http-proxy@$(PROXY_VERSION)
	touch "$@"

$(AXE_STAMP): $(STAMP)
	@command -v $(NPM) >/dev/null || { echo "Error: the accessibility check needs Node.js with npm (https://nodejs.org; tested with Node 20), for axe-core." >&2; exit 1; }
	$(NPM) install --silent --no-audit --no-fund --prefix "$(VENV)/axe-core" axe-core@$(AXE_VERSION)
	touch "$@"

hub: $(HUB_STAMP)
	cd "$(CURDIR)" && $(PY) -m classroom.hub serve

# make assignments: nbgrader (pinned in classroom/requirements.txt) and the graded variants
# of every exercise, as an nbgrader course folder (see docs/teaching.md, Grading).
GRADING_STAMP := $(VENV)/.installed-grading
$(GRADING_STAMP): $(STAMP) classroom/requirements.txt
	"$(BIN)/python" -m pip install --quiet -r classroom/requirements.txt
	touch "$@"

assignments: $(GRADING_STAMP)
	$(TOOLS).assignments --out "$(CURDIR)/$(BUILD)/assignments"

# Notebook 08's four networks on all 54,000 training images of MNIST and Fashion-MNIST, one
# seed, scored once on test: the changelog's results table (17 minutes on two cores).
results: $(STAMP)
	$(TOOLS).full_data --out "$(CURDIR)/$(BUILD)/results"

# Maintainers only: rewrites the stored outputs in notebooks/ with the default parameters.
refresh-outputs: $(STAMP)
	$(TOOLS).series refresh $(ONLY_ARG)

clean:
	rm -rf "$(BUILD)" .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
