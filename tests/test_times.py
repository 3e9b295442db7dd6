"""The times a learner and a teacher plan with are the ones the notebooks' content gives.

`tools/estimate_times.py` states the method (reading speed, a minute per code cell, five
per exercise); the README's map and TEACHING.md must quote what it computes, so a
notebook that grows cannot leave a stale time behind."""

from __future__ import annotations

import importlib.util
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
ESTIMATES = {e.name: e for e in estimator.estimates()}
ROW = re.compile(r"^\|.*\]\(notebooks/(\d\d_[a-z0-9_]+\.ipynb)\).*\|\s*(\d+) min\s*\|\s*$")


def quoted_times(text: str) -> dict[str, int]:
    """The `| [NN Title](notebooks/NN_x.ipynb) | ... | M min |` rows of a markdown table."""
    found = {}
    for line in text.splitlines():
        match = ROW.match(line.strip())
        if match:
            found[match[1]] = int(match[2])
    return found


@pytest.mark.parametrize("document", ["README.md", "TEACHING.md"])
def test_every_notebook_has_its_estimated_time(document):
    quoted = quoted_times((ROOT / document).read_text(encoding="utf-8"))
    expected = {name: e.minutes for name, e in ESTIMATES.items()}
    assert quoted == expected, (
        f"{document}'s times differ from `python tools/estimate_times.py`; "
        "copy its minutes into the table"
    )


@pytest.mark.parametrize("document", ["README.md", "TEACHING.md"])
def test_the_total_is_the_sum(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    total = sum(e.minutes for e in ESTIMATES.values())
    match = re.search(r"(\d+) minutes in all", text)
    assert match, f"{document} should say 'N minutes in all'"
    assert int(match[1]) == total


def test_the_estimate_counts_what_a_learner_meets():
    # the counts come from the notebooks themselves: every exercise is a `.check(` call
    # and every notebook has words to read and cells to run
    assert set(ESTIMATES) == {p.name for p in NOTEBOOKS}
    for e in ESTIMATES.values():
        assert e.words > 300 and e.code_cells >= 3, e
    exercises = sum(e.exercises for e in ESTIMATES.values())
    assert exercises >= 2 * (len(NOTEBOOKS) - 1)
    # a notebook with twice the words and cells takes longer
    e = next(iter(ESTIMATES.values()))
    bigger = estimator.Estimate(e.name, 2 * e.words, 2 * e.code_cells, e.exercises + 2)
    assert bigger.minutes > e.minutes


COUNTS = re.compile(r"^\|.*\]\(notebooks/(\d\d_[a-z0-9_]+\.ipynb)\)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|")


def test_teaching_shows_the_counts_behind_each_time():
    found = {}
    for line in (ROOT / "TEACHING.md").read_text(encoding="utf-8").splitlines():
        match = COUNTS.match(line.strip())
        if match:
            found[match[1]] = tuple(int(g) for g in match.groups()[1:])
    expected = {n: (e.words, e.code_cells, e.exercises) for n, e in ESTIMATES.items()}
    assert found == expected, "TEACHING.md's counts differ from `python tools/estimate_times.py`"
