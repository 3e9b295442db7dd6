"""The teacher's grading tool, on submissions made for the purpose: a complete one, a
partial one, a wrong one, one that crashes, one with an endless loop, and a file that is
not a notebook. Each student's CSV rows must say what the notebook's own checks said."""

from __future__ import annotations

import csv
import json

import nbformat
import pytest

from backproplab import grading
from course_text import (GRADES_SUMMARY_HEADER, GRADING_CELL_STOPPED, GRADING_NOT_A_FOLDER,
                         GRADING_NOT_A_NOTEBOOK)
from notebook_tools import ROOT

NOTEBOOK = ROOT / "notebooks" / "01_derivatives.ipynb"

RIGHT = {
    "numerical_gradient": (
        "def numerical_gradient(f, inputs, h):\n"
        "    grads = []\n"
        "    for i in range(len(inputs)):\n"
        "        up, down = list(inputs), list(inputs)\n"
        "        up[i] += h\n"
        "        down[i] -= h\n"
        "        grads.append((f(*up) - f(*down)) / (2 * h))\n"
        "    return grads\n"
        "nb01.numerical_gradient.check(numerical_gradient)\n"
    ),
    "forward_vs_central": "nb01.forward_vs_central.check((0.31, 0.01))\n",
    "partial_slopes": "nb01.partial_slopes.check((19, -12, 2))\n",
    "choosing_h": "nb01.choosing_h.check((1e-5, 'round-off'))\n",
}
WRONG = {
    "numerical_gradient": (
        "def numerical_gradient(f, inputs, h):\n"
        "    return [(f(*[x + h * (j == i) for j, x in enumerate(inputs)]) - f(*inputs)) / h\n"
        "            for i in range(len(inputs))]\n"
        "nb01.numerical_gradient.check(numerical_gradient)\n"
    ),
    "forward_vs_central": "nb01.forward_vs_central.check((0.01, 0.31))\n",
    "partial_slopes": "nb01.partial_slopes.check((19, 12, 2))\n",
    "choosing_h": "nb01.choosing_h.check((1e-12, 'round-off'))\n",
}


def submission(answers: dict[str, str], extra: str | None = None):
    """Notebook 01 with the given exercise cells filled in (others left as `...`)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        for name, source in answers.items():
            if cell.cell_type == "code" and f"nb01.{name}.check(" in cell.source:
                cell.source = source
    if extra is not None:
        setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
        nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(extra))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    made = {
        "complete": submission(RIGHT),
        "partial": submission({"partial_slopes": RIGHT["partial_slopes"]}),
        "wrong": submission(WRONG),
        "crash": submission(RIGHT, extra="raise RuntimeError('a cell the student broke')"),
        "loop": submission({**RIGHT, "forward_vs_central": "while True:\n    pass\n"}),
    }
    for student, nb in made.items():
        (folder / student).mkdir()
        nbformat.write(nb, folder / student / NOTEBOOK.name)
    (folder / "garbled.ipynb").write_text("{ not json", encoding="utf-8")
    out = folder / "grades.csv"
    results = grading.grade(folder, jobs=2, cell_timeout=20)
    summary, _ = grading._write(results, out)
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {"rows": rows, "summary": summary.read_text(encoding="utf-8"), "results": results}


def statuses(graded, student):
    return {r["exercise"]: r["status"] for r in graded["rows"] if r["student"] == student}


def test_a_complete_submission_is_all_right(graded):
    assert statuses(graded, "complete") == dict.fromkeys(RIGHT, "right")


def test_a_partial_submission_lists_what_is_not_answered(graded):
    assert statuses(graded, "partial") == {"numerical_gradient": "not answered",
                                           "forward_vs_central": "not answered",
                                           "partial_slopes": "right",
                                           "choosing_h": "not answered"}


def test_wrong_answers_carry_the_checks_message(graded):
    rows = [r for r in graded["rows"] if r["student"] == "wrong"]
    assert {r["status"] for r in rows} == {"wrong"}
    forward = next(r for r in rows if r["exercise"] == "numerical_gradient")
    assert "forward difference" in forward["message"]


def problems(graded, student):
    return [p for r in graded["results"] if r.submission.student == student for p in r.problems]


def test_a_crashing_cell_does_not_stop_the_grading(graded):
    assert statuses(graded, "crash") == dict.fromkeys(RIGHT, "right"), problems(graded, "crash")


def test_an_endless_loop_is_stopped_and_reported(graded):
    rows = {r["exercise"]: r for r in graded["rows"] if r["student"] == "loop"}
    assert rows["forward_vs_central"]["status"] == "not answered"
    assert GRADING_CELL_STOPPED in rows["forward_vs_central"]["message"]
    assert rows["partial_slopes"]["status"] == "right"  # the cells after the loop still ran


def test_a_file_that_is_not_a_notebook_gets_a_row_saying_so(graded):
    rows = [r for r in graded["rows"] if r["student"] == "garbled"]
    assert len(rows) == 1 and rows[0]["status"] == "not graded"
    assert GRADING_NOT_A_NOTEBOOK in rows[0]["message"]


def test_the_summary_counts_each_student(graded):
    lines = graded["summary"].splitlines()
    assert lines[0] == GRADES_SUMMARY_HEADER
    assert "complete,4,0,0,0" in lines
    assert "partial,1,0,3,0" in lines
    assert "wrong,0,4,0,0" in lines
    assert "garbled,0,0,0,1" in lines


def test_a_folder_that_does_not_exist_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match=GRADING_NOT_A_FOLDER):
        grading.main([str(tmp_path / "missing")])
