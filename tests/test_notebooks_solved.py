"""Notebooks 03-07 run with the learner's pieces filled in: the course's reference
solution typed into every `%%build <piece>` cell, the notebooks run one after another in
one folder (so each finds the `my_engine.py` the ones before it wrote, as a learner's
do), and notebook 07 trains the learner's own MLP to 100% training accuracy.

This works whatever build cells a notebook has: each `%%build <piece>` cell's body is
replaced by `build.PIECES[piece].reference`. A notebook that owns pieces (03-06) must
have at least one such cell; 07 writes no new piece and trains what the others built.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from backproplab.build import ENGINE_FILE, PIECES
from notebook_tools import NOTEBOOKS, problems, runner

BUILD_LINE = re.compile(r"^%%build[ \t]+(\w+)[ \t]*$")
SOLVED = [p for p in NOTEBOOKS if "03" <= p.name[:2] <= "07"]
OWNERS = sorted({piece.notebook for piece in PIECES.values()})  # notebooks that write pieces
START = re.compile(r"Your engine \(my_engine\.py\): (\d+) of (\d+) pieces from notebooks before (\d\d) are yours\.")

# appended to notebook 07: what the learner's model is, and the dashboard trained to the end
PROBE_07 = """
import json
from backproplab import widgets as _widgets
_final = loss_and_accuracy(model, X, y)[1]
_dashboard_trainer = train.Trainer(fresh, X, y, learning_rate=lr0, schedule="linear_decay", steps=100)
_lab = _widgets.training_dashboard(_dashboard_trainer, resolution=20)
_lab.run_steps(100)
print("PROBE " + json.dumps({
    "course_mlp": isinstance(model, nn.MLP), "model_class": type(model).__name__,
    "mlp_is_the_notebooks": type(model) is MLP, "accuracy": _final,
    "dashboard_accuracy": _dashboard_trainer.accuracies[-1], "dashboard_text": _lab.progress.value,
    "dashboard_errors": _lab.errors.value}))
"""


def build_cells(nb) -> list[tuple[int, str]]:
    """(index, piece) of every `%%build <piece>` code cell."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source:
            m = BUILD_LINE.match(cell.source.splitlines()[0])
            if m:
                found.append((index, m[1]))
    return found


def solve(nb) -> list[tuple[int, str]]:
    """Every build cell's body replaced by its piece's reference; returns the cells."""
    cells = build_cells(nb)
    for index, piece in cells:
        assert piece in PIECES, f"cell {index} builds {piece!r}, which is not a piece"
        nb.cells[index].source = f"%%build {piece}\n{PIECES[piece].reference}"
    return cells


def run_in(nb, folder: Path):
    """Run `nb` in a fresh kernel working in `folder`, as tools/run_notebooks.py does
    (same environment), with errors recorded in the outputs instead of stopping."""
    with tempfile.TemporaryDirectory(prefix="backproplab-ipython-") as ipython_dir:
        client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(folder)}},
                                record_timing=False, store_widget_state=False)
        client.execute(env=runner.kernel_environment(ipython_dir))
    return nb


def run_solved(paths: list[Path], folder: Path) -> dict[str, dict]:
    """Run the notebooks in order in `folder`, each with its build cells solved."""
    results = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        cells = solve(nb)
        if path.name.startswith("07"):
            nb.cells.append(nbformat.v4.new_code_cell(PROBE_07))
        run_in(nb, folder)
        results[path.name[:2]] = {"nb": nb, "build_cells": cells, "name": path.name}
    return results


def text_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("solved-course")
    return run_solved(SOLVED, folder), folder


def test_the_notebooks_03_to_07_are_there():
    assert [p.name[:2] for p in SOLVED] == ["03", "04", "05", "06", "07"]


@pytest.mark.parametrize("number", OWNERS)
def test_each_notebook_that_owns_pieces_has_build_cells(number):
    path = next(p for p in SOLVED if p.name.startswith(number))
    cells = build_cells(nbformat.read(path, as_version=4))
    owned = sorted(n for n, p in PIECES.items() if p.notebook == number)
    assert cells, f"{path.name} has no %%build cell; its pieces are {', '.join(owned)}"
    strangers = [piece for _, piece in cells if PIECES.get(piece) and PIECES[piece].notebook != number]
    assert not strangers, f"{path.name} builds pieces of another notebook: {strangers}"


def test_no_cell_errored(solved):
    results, _ = solved
    found = {r["name"]: problems(r["nb"]) for r in results.values()}
    assert not any(found.values()), found


def test_every_build_cell_prints_a_check_mark(solved):
    results, _ = solved
    for r in results.values():
        for index, piece in r["build_cells"]:
            out = text_of(r["nb"].cells[index])
            assert out.startswith(f"✓ {piece}:"), f"{r['name']} cell {index} ({piece}): {out[:400]}"


def test_each_start_reports_every_earlier_piece_as_the_learners(solved):
    """What a learner who wrote every piece sees in each setup cell: N of N are theirs.
    A piece is the learner's once its own notebook's build cell ran; a piece no notebook
    has a build cell for yet stays the course's and shows here."""
    results, _ = solved
    for number, r in results.items():
        earlier = [n for n, p in PIECES.items() if p.notebook < number]
        if not earlier:
            continue
        outs = [text_of(c) for c in r["nb"].cells if c.cell_type == "code" and "build.start(" in c.source]
        assert outs, f"{r['name']} never calls build.start"
        m = START.search(outs[0])
        assert m, f"{r['name']}: build.start printed {outs[0][:300]!r}"
        assert m[3] == number and int(m[2]) == len(earlier), outs[0][:300]
        assert int(m[1]) == len(earlier), f"{r['name']}: {outs[0][:600]}"
        for sign in ("check did not pass", "the course's version", "raised"):
            assert sign not in outs[0], f"{r['name']}: {outs[0][:600]}"


def test_the_engine_file_holds_every_piece_as_the_learners_passing(solved):
    _, folder = solved
    text = (folder / ENGINE_FILE).read_text(encoding="utf-8")
    for name, piece in PIECES.items():
        assert f"# ========== piece: {name} (notebook {piece.notebook}): yours, check passed" in text, name


def test_07_trains_the_learners_mlp_to_100_percent_in_the_text_and_the_dashboard(solved):
    results, _ = solved
    nb = results["07"]["nb"]
    probe = text_of(nb.cells[-1])
    m = re.search(r"^PROBE (.*)$", probe, re.M)
    assert m, probe[:600]
    found = json.loads(m[1])
    assert not found["course_mlp"] and found["mlp_is_the_notebooks"], found
    assert found["accuracy"] == 1.0, found
    assert found["dashboard_accuracy"] == 1.0 and "accuracy 100%" in found["dashboard_text"], found
    assert found["dashboard_errors"] == "", found
    # the training loop of the main text, which prints every 10 steps and the last one
    loop = [text_of(c) for c in nb.cells if c.cell_type == "code" and "total.backward()" in c.source]
    assert len(loop) == 1 and re.search(r"^step 99 .*accuracy 100%", loop[0], re.M), loop
