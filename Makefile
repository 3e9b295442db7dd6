# The course's two commands:
#   make course   set up and open the course in JupyterLab
#   make test     set up and run every test
# Both install the programs the course needs outside Python where the machine allows
# (graphviz's `dot`; Chromium for the browser tests; Python's venv module), create a
# virtual environment in .venv and install the pinned requirements into it.
# Without make, README.md lists the same steps by hand.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: course test notebooks bench bench-widgets bench-tensor bench-playground mutation setup setup-dev clean python-check

course:
	@$(MAKE) --no-print-directory python-check
	PYTHON=$(PYTHON) bash tools/system-deps.sh course
	@$(MAKE) --no-print-directory setup
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir="$(CURDIR)" notebooks/00_start_here.ipynb

test:
	@$(MAKE) --no-print-directory python-check
	PYTHON=$(PYTHON) bash tools/system-deps.sh test
	@$(MAKE) --no-print-directory setup-dev
	$(PY) -m pytest

# re-run every notebook in a fresh kernel and store its outputs (the committed outputs)
notebooks:
	@$(MAKE) --no-print-directory python-check
	PYTHON=$(PYTHON) bash tools/system-deps.sh course
	@$(MAKE) --no-print-directory setup-dev
	$(PY) tools/run_notebooks.py

bench: setup-dev bench-tensor bench-widgets bench-playground
	$(PY) bench/bench_training.py

# the widgets in the kernel: graph redraws, the dashboards' steps/s and redraws/s, the lab
bench-widgets: setup-dev
	$(PY) bench/bench_widgets.py

# notebook 09's Playground: steps/s of each engine, and Play's steps/s and pictures/s
bench-playground: setup-dev
	$(PY) bench/bench_playground.py

# notebook 08's table: micrograd, the scalar engine, Tensor, numpy by hand (and PyTorch
# CPU when .venv-torch or the course's Python has it; never a course requirement)
bench-tensor: setup-dev
	$(PY) bench/bench_tensor.py

# mutation testing of engine, nn, train and data (not part of `make test`: it runs each
# module's tests once per mutant, tens of minutes on 2 cores); MUTATION_ARGS passes
# options, e.g. make mutation MUTATION_ARGS="--file engine.py --jobs 1"
MUTATION_ARGS ?= --jobs 2 --fail-under 97
mutation: setup-dev
	$(PY) tools/mutation.py $(MUTATION_ARGS)

setup: $(VENV)/.course-installed
setup-dev: $(VENV)/.dev-installed

# the Python floor first (pyproject's requires-python), with what to install if it is too old;
# an existing .venv is checked too, in case it was made with an older Python
python-check:
	@if command -v $(PYTHON) >/dev/null 2>&1; then $(PYTHON) tools/check_python.py; fi
	@if [ -x $(PY) ]; then $(PY) tools/check_python.py; fi

$(VENV)/bin/python:
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# JupyterLab's defaults for the course (no "fetch Jupyter news?" pop-up over the notebook)
$(VENV)/.course-installed: $(VENV)/bin/python requirements.txt pyproject.toml tools/jupyterlab_overrides.json
	$(PY) -m pip install -q -r requirements.txt
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp tools/jupyterlab_overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

$(VENV)/.dev-installed: $(VENV)/.course-installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV)
