# Going Deeper: `make run` executes the series, `make test` tests it. Both set up first.
# Paths are quoted: a clone in a folder whose name has spaces works too.
# Python 3.11, 3.12 or 3.13 (Keras 3.15 needs 3.11 or newer; TensorFlow 2.21 has wheels up to
# 3.13). The first of python3.11, python3.12, python3.13 on the PATH, unless PYTHON is given.
SUPPORTED := 3.11 3.12 3.13
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
# make test sets the class hub up (JupyterHub, and its proxy from npm) only where the class
# test runs: as root, with npm at hand or in CI (where a missing npm is an error). Elsewhere
# that test skips and says why, and make test needs no Node.js.
TEST_HUB := $(if $(filter 0,$(shell id -u)),$(if $(CI)$(shell command -v $(NPM) 2>/dev/null),$(HUB_STAMP)))

# Papermill parameters: make run EPOCHS=5 N_TRAIN=54000 SEED=1 BATCH_SIZE=256 FINAL_EPOCHS=8
PARAMS := $(if $(EPOCHS),-p epochs $(EPOCHS)) $(if $(N_TRAIN),-p n_train $(N_TRAIN)) \
          $(if $(SEED),-p seed $(SEED)) $(if $(BATCH_SIZE),-p batch_size $(BATCH_SIZE)) \
          $(if $(FINAL_EPOCHS),-p final_epochs $(FINAL_EPOCHS))
# Run only some notebooks: make run ONLY="01 02"
ONLY_ARG := $(if $(ONLY),--only $(ONLY))
# The maintainers' tools (runner, renderer, benchmark, results) live in tools/, the class
# server in classroom/, apart from the students' helper package in notebooks/going_deeper/.
# They run as modules from the repository's root, which is what puts them on the import path.
PY := "$(CURDIR)/$(BIN)/python"
TOOLS := cd "$(CURDIR)" && $(PY) -m tools

.PHONY: help setup run test test-notebooks lint test-browser lab html slides bench results hub refresh-outputs clean
help:
	@echo "make run     set up, then execute every notebook into $(BUILD)/executed/ (notebooks/ untouched)"
	@echo "make test    set up, then run every test (lint, unit, nbval on every notebook, renderings, browser)"
	@echo "make test-notebooks   only nbval: every notebook re-run and compared with its stored outputs"
	@echo "             (any target takes KERAS_BACKEND=jax or KERAS_BACKEND=torch; default tensorflow)"
	@echo "make lint    only the linter and formatter check (ruff) over the package, tests and notebooks"
	@echo "make test-browser   only the real-browser tests (JupyterLab, site, slides; needs chromium)"
	@echo "make lab     open JupyterLab on the notebooks"
	@echo "make html    render the series (stored outputs, plots included) into $(BUILD)/site/, index.html first"
	@echo "make slides  one offline reveal.js deck per notebook into $(BUILD)/slides/"
	@echo "make bench   on every backend: run times, memory, time to 99%; a load run; into $(BUILD)/bench/"
	@echo "make hub     serve the course to the class in class.toml through JupyterHub (as root)"
	@echo "make results   notebook 06's networks on all training images of both data sets into $(BUILD)/results/"
	@echo "make clean   remove $(BUILD)/ and caches (rm -rf $(VENV) to reinstall from scratch)"
	@echo "make refresh-outputs   (maintainers) re-execute notebooks in place to renew stored outputs"

setup: $(STAMP)

# Create the environment when it is missing; install again when a requirements file is newer.
$(STAMP): $(REQUIREMENTS) requirements-common.txt requirements-dev.txt
	@"$(PYTHON)" -c 'import sys; sys.exit(sys.version_info[:2] not in [(3, 11), (3, 12), (3, 13)])' 2>/dev/null || { \
	  echo "Error: this course needs Python 3.11, 3.12 or 3.13, but '$(PYTHON)' is $$("$(PYTHON)" --version 2>&1 || echo 'not found')." >&2; \
	  echo "Install one of them and run again, or point to it: make $(MAKECMDGOALS) PYTHON=/path/to/python3.12" >&2; \
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

test: $(STAMP) $(TEST_HUB) lint
	"$(BIN)/python" -m pytest

# make test-notebooks ONLY=01: nbval of the notebooks whose names start with these
NOTEBOOK_FILES := $(if $(ONLY),$(foreach o,$(ONLY),$(wildcard notebooks/$(o)*.ipynb)),notebooks)
test-notebooks: $(STAMP)
	@test -n "$(strip $(NOTEBOOK_FILES))" || { echo "Error: ONLY=$(ONLY) matches no notebook in notebooks/ (try ONLY=01)." >&2; exit 2; }
	"$(BIN)/python" -m pytest $(NOTEBOOK_FILES)

test-browser: $(STAMP)
	"$(BIN)/python" -m pytest tests/test_browser.py

lab: $(STAMP)
	"$(BIN)/jupyter" lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_welcome.ipynb

html: $(STAMP)
	$(TOOLS).render html --out "$(CURDIR)/$(BUILD)/site"

slides: $(STAMP)
	$(TOOLS).render slides --out "$(CURDIR)/$(BUILD)/slides"

# make bench: every backend's environment is set up first; BENCH_BACKENDS narrows the list,
# LOAD is the number of students of the load run (0: none), BENCH_SKIP="series" or "race"
# leaves that part out.
BENCH_BACKENDS ?= $(BACKENDS)
LOAD ?= 3
BENCH_SKIP ?=
bench: $(STAMP)
	@for b in $(BENCH_BACKENDS); do $(MAKE) --no-print-directory setup KERAS_BACKEND=$$b || exit 1; done
	$(TOOLS).bench_all --out "$(CURDIR)/$(BUILD)/bench" --backends $(BENCH_BACKENDS) --load $(LOAD) $(if $(strip $(BENCH_SKIP)),--skip $(BENCH_SKIP))

# make hub: JupyterHub for the class in class.toml (see the instructor guide). Its proxy,
# configurable-http-proxy, comes from the npm registry into the environment's hub-proxy/.
$(HUB_STAMP): $(STAMP) classroom/requirements.txt
	@command -v $(NPM) >/dev/null || { echo "Error: make hub needs Node.js with npm (https://nodejs.org; tested with Node 20), for JupyterHub's proxy." >&2; exit 1; }
	"$(BIN)/python" -m pip install --quiet -r classroom/requirements.txt
	$(NPM) install --silent --no-audit --no-fund --prefix "$(VENV)/hub-proxy" configurable-http-proxy@$(PROXY_VERSION)
	touch "$@"

hub: $(HUB_STAMP)
	cd "$(CURDIR)" && $(PY) -m classroom.hub serve

# Notebook 06's six networks on all 54,000 training images of MNIST and Fashion-MNIST, one
# seed, scored once on test: the README's results table (17 minutes on two cores).
results: $(STAMP)
	$(TOOLS).full_data --out "$(CURDIR)/$(BUILD)/results"

# Maintainers only: rewrites the stored outputs in notebooks/ with the default parameters.
refresh-outputs: $(STAMP)
	$(TOOLS).series refresh $(ONLY_ARG)

clean:
	rm -rf "$(BUILD)" .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
