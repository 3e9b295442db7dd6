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

.PHONY: course test notebooks student bench bench-widgets bench-tensor bench-playground torch-check mutation setup setup-dev clean python-check

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

# the students' copy: notebooks and package without the exercises' worked solutions
# (tools/student_build.py says what else differs); STUDENT_OUT changes where it goes
STUDENT_OUT ?= build/student
student:
	@$(MAKE) --no-print-directory python-check
	$(PYTHON) tools/student_build.py --out $(STUDENT_OUT)

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

# the PyTorch cells of the notebooks (static code with the output PyTorch gave): run each
# one with PyTorch and fail when a quoted number differs (not part of `make test`). It uses
# an environment of its own, .venv-torch, with PyTorch's CPU build and the course's code;
# bench-tensor measures PyTorch there too. PyTorch is never a course requirement.
TORCH_VENV := .venv-torch
TORCH_PIN  := torch==2.13.0
torch-check:
	@$(MAKE) --no-print-directory python-check
	@$(MAKE) --no-print-directory $(TORCH_VENV)/.torch-installed
	$(TORCH_VENV)/bin/python tools/torch_check.py

$(TORCH_VENV)/.torch-installed: requirements.txt pyproject.toml
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(TORCH_VENV)
	$(TORCH_VENV)/bin/python -m pip install -q --upgrade pip
	$(TORCH_VENV)/bin/python -m pip install -q "$(TORCH_PIN)" "$$(grep '^numpy==' requirements.txt)" -e .
	touch $@

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
	rm -rf $(VENV) $(TORCH_VENV)
