"""Every notebook runs clean in a fresh kernel, and its stored outputs are that run's outputs.

A learner who opens a notebook on GitHub reads the stored outputs; one who runs it gets
fresh ones. Both must agree, and neither may show an error. The stored outputs are made
by `make notebooks` (tools/run_notebooks.py), whose `execute` and `normalize` these
tests use, so "current" means byte for byte what that script would write now.
"""

from __future__ import annotations

import time

import nbformat
import pytest

from notebook_tools import NOTEBOOKS, ids, problems, runner, say

TIMES: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def report_total_time(request):
    yield
    if TIMES:
        total = sum(TIMES.values())
        slowest = max(TIMES, key=TIMES.get)
        say(request.config, f"notebooks: {len(TIMES)} executed in {total:.1f} s in all "
                            f"(target: under 120 s); slowest {slowest} {TIMES[slowest]:.1f} s")


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_stored_outputs_are_clean(path):
    stored = nbformat.read(path, as_version=4)
    assert problems(stored) == []
    unrun = [i for i, c in enumerate(stored.cells) if c.cell_type == "code" and c.execution_count is None]
    assert unrun == [], f"code cells stored without being run: {unrun} (run `make notebooks`)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_runs_clean_and_stored_outputs_are_current(path):
    start = time.perf_counter()
    fresh = runner.execute(path)
    TIMES[path.stem] = time.perf_counter() - start
    assert problems(fresh) == [], f"{path.name} shows errors when run in a fresh kernel"
    stored = path.read_text(encoding="utf-8")
    if stored != nbformat.writes(fresh) + "\n":
        old = nbformat.reads(stored, as_version=4)
        changed = [
            i for i, (a, b) in enumerate(zip(old.cells, fresh.cells))
            if a.get("outputs") != b.get("outputs") or a.source != b.source
        ]
        pytest.fail(
            f"{path.name}: the stored outputs are not what a fresh run gives "
            f"(cells {changed or 'metadata'} differ). Regenerate them with "
            f"`.venv/bin/python tools/run_notebooks.py notebooks/{path.name}`; if they "
            "still change between two runs, something in the output is not deterministic."
        )
