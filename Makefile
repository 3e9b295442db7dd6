# The course's two commands:
#   make course   set up and open the course in JupyterLab
#   make test     set up and run every test
# Both create a virtual environment in .venv, install the pinned requirements into it and
# install graphviz's `dot` (and Chromium, for the tests) where the machine allows.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: course test notebooks bench setup setup-dev clean

course: setup
	tools/system-deps.sh course
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: setup-dev
	tools/system-deps.sh test
	$(PY) -m pytest

# re-run every notebook in a fresh kernel and store its outputs (the committed outputs)
notebooks: setup-dev
	tools/system-deps.sh course
	$(PY) tools/run_notebooks.py

bench: setup-dev
	$(PY) bench/bench_training.py

setup: $(VENV)/.course-installed
setup-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.course-installed: $(VENV)/bin/python requirements.txt pyproject.toml
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.course-installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV)
