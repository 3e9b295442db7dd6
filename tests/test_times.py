"""The times a learner and a teacher plan with are the ones the notebooks' content gives.

`tools/estimate_times.py` states the method (reading speed, a minute per code cell, five
per exercise); the README's map, TEACHING.md and notebook 00's map quote what it computes
(`python tools/estimate_times.py --write` copies it in), so a notebook that grows cannot
leave a stale time behind."""

from __future__ import annotations

import importlib.util
import json
import re
import sys

import pytest

from notebook_tools import NOTEBOOKS, ROOT


def _load_estimator():
    spec = importlib.util.spec_from_file_location("estimate_times", ROOT / "tools" / "estimate_times.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


estimator = _load_estimator()
ESTIMATES = {e.name[:2]: e for e in estimator.estimates()}


def text_of(document: str) -> str:
    if document.endswith(".ipynb"):
        nb = json.loads((ROOT / document).read_text(encoding="utf-8"))
        return "".join(estimator.map_cell(nb)["source"])
    return (ROOT / document).read_text(encoding="utf-8")


PLACES = [*estimator.DOCUMENTS, estimator.MAP_NOTEBOOK]


@pytest.mark.parametrize("document", PLACES)
def test_every_notebook_has_its_estimated_time(document):
    times = {n: figures[-1] for n, figures in estimator.quoted(text_of(document)).items()}
    assert times == {n: e.minutes for n, e in ESTIMATES.items()}, (
        f"{document}'s times differ from the notebooks' content; "
        "run `python tools/estimate_times.py --write`"
    )


@pytest.mark.parametrize("document", PLACES)
def test_the_total_is_the_sum(document):
    match = re.search(r"(\d+) minutes in all", text_of(document))
    assert match, f"{document} should say 'N minutes in all'"
    assert int(match[1]) == sum(e.minutes for e in ESTIMATES.values())


def test_teaching_shows_the_counts_behind_each_time():
    quoted = estimator.quoted(text_of("TEACHING.md"))
    assert quoted == {n: (e.words, e.code_cells, e.exercises, e.minutes)
                      for n, e in ESTIMATES.items()}


def test_the_estimate_counts_what_a_learner_meets():
    # the counts come from the notebooks themselves: every exercise is a `.check(` call
    assert sorted(e.name for e in ESTIMATES.values()) == [p.name for p in NOTEBOOKS]
    for e in ESTIMATES.values():
        assert e.words > 300 and e.code_cells >= 3, e
    assert sum(e.exercises for e in ESTIMATES.values()) >= 2 * (len(NOTEBOOKS) - 1)
    # more to read, run and answer takes longer
    e = ESTIMATES["01"]
    assert estimator.Estimate(e.name, 2 * e.words, 2 * e.code_cells, e.exercises + 2).minutes > e.minutes


def test_write_changes_only_the_figures():
    text = "| [01 Derivatives](notebooks/01_derivatives.ipynb) | slopes | 3 min |\n999 minutes in all."
    e = ESTIMATES["01"]
    assert estimator.rewrite(text, list(ESTIMATES.values())) == (
        f"| [01 Derivatives](notebooks/01_derivatives.ipynb) | slopes | {e.minutes} min |\n"
        f"{sum(x.minutes for x in ESTIMATES.values())} minutes in all."
    )
