"""`make student`: the students' copy of the course, and per-student numbers.

The copy is built into a temporary folder; its package is imported from there (a
`backproplab` link to its `src/` first on PYTHONPATH), in a subprocess and in the
grading tool's kernels, so what is tested is the copy, not the course."""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import subprocess
import sys
import textwrap

import nbformat
import pytest

from backproplab.exercises import Exercise, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08
from backproplab.exercises import student_id
from course_text import EXERCISES_HEADING, NOT_ANSWERED, NOT_YET, RIGHT_MARK
from notebook_tools import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import student_build  # noqa: E402

MODULES = [nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08]


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    out = student_build.build(tmp_path_factory.mktemp("student") / "course")
    link = tmp_path_factory.mktemp("path")
    (link / "backproplab").symlink_to(out / "src", target_is_directory=True)
    env = {**os.environ, "PYTHONPATH": str(link)}
    env.pop("BACKPROPLAB_STUDENT", None)
    return {"out": out, "env": env}


def run(copy, code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=copy["env"],
                          capture_output=True, text=True, timeout=120, cwd=copy["out"])
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_copy_is_what_gets_imported(copy):
    assert run(copy, "import os, backproplab; print(os.path.realpath(backproplab.__file__))").strip().startswith(
        str(copy["out"]))


def test_a_check_in_the_copy_accepts_a_right_answer_and_rejects_a_wrong_one(copy):
    out = run(copy, """
        from backproplab.exercises import nb01, nb04
        print(nb01.partial_slopes.check((19, -12, 2)), nb01.partial_slopes.check((19, 12, 2)))
        print(nb04.reuse_grad.check(14), nb04.reuse_grad.check(12))
    """)
    assert [line for line in out.splitlines() if line == "True False"] == ["True False"] * 2, out
    assert "the sign is flipped" in out and "only the path through a * a" in out


def test_no_solution_is_in_the_copy(copy):
    out = run(copy, """
        from backproplab.exercises import Exercise, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08
        texts = [e.solution_text for m in (nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08)
                 for e in vars(m).values() if isinstance(e, Exercise)]
        print(len(texts), set(texts))
        nb01.partial_slopes.solution()
    """)
    assert out.splitlines()[0] == f"{sum(len(exercises(m)) for m in MODULES)} {{None}}"
    assert "not part of this copy" in out
    # no line that only a worked solution has appears in the copy's texts: its notebooks
    # and documents, and every string in its Python files (a checker's own code may
    # compute what a solution shows: that is how it checks)
    texts = []
    for p in copy["out"].rglob("*"):
        if p.is_file() and p.suffix in (".ipynb", ".md", ".txt", ".toml"):
            texts.append(p.read_text(encoding="utf-8", errors="replace"))
        elif p.is_file() and p.suffix == ".py":
            texts += [n.value for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                      if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    everywhere = "\n".join(texts)
    course_code = "\n".join(c.source for p in (ROOT / "notebooks").glob("*.ipynb")
                            for c in nbformat.read(p, as_version=4).cells)
    # the engine and the course's versions of the learner's pieces ship on purpose
    course_code += "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").glob("*.py"))
    checked = 0
    for module in MODULES:
        for exercise in exercises(module):
            for line in exercise.solution_text.splitlines():
                line = line.strip()
                if len(line) >= 20 and line not in course_code and line not in hints(module):
                    checked += 1
                    assert json.dumps(line)[1:-1] not in everywhere and line not in everywhere, line
    assert checked > 40  # most of each solution is its own


def test_the_copys_notebooks_keep_every_cell_and_drop_only_the_solution_lines(copy):
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        course = nbformat.read(path, as_version=4)
        student = nbformat.read(copy["out"] / "notebooks" / path.name, as_version=4)
        assert [c.get("id") for c in student.cells] == [c.get("id") for c in course.cells]
        for ours, theirs in zip(course.cells, student.cells):
            assert "solution()" not in theirs.source
            assert theirs.get("outputs") == ours.get("outputs")
            kept = [line for line in ours.source.splitlines() if "solution()" not in line]
            if ours.cell_type == "code":
                assert theirs.source.splitlines() == kept


def test_no_module_constant_of_the_copy_passes_a_check(copy):
    out = run(copy, """
        import contextlib, io
        from backproplab.exercises import Exercise, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08
        passed, tried = [], 0
        for m in (nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08):
            found = [e for e in vars(m).values() if isinstance(e, Exercise)]
            constants = [v for k, v in vars(m).items()
                         if not k.startswith("__") and isinstance(v, (int, float, tuple, list, dict))]
            for e in found:
                for value in constants:
                    answers = (value,) * e._answers
                    with contextlib.redirect_stdout(io.StringIO()):
                        tried += 1
                        if e.check(*answers):
                            passed.append((m.__name__, e.title))
        print(tried, passed)
    """)
    tried, passed = out.split(" ", 1)
    assert int(tried) > 50 and passed.strip() == "[]", out


# ------------------------------------------------------------ per-student numbers

# each exercise with per-student numbers, and the right check arguments for this kernel's id
VARIANTS = {
    nb01.forward_vs_central: lambda: (nb01._errors()[1:],),
    nb01.partial_slopes: lambda: (nb01._partials(),),
    nb02.composition_slope: lambda: (nb02._composition()["right"],),
    nb02.diamond_paths: lambda: (nb02._paths(),),
    nb03.stale_value: lambda: (nb03._stale_value()["stored"],),
    nb04.hand_gradients: lambda: (nb04._engine_gradients(nb04.hand_gradients_expression,
                                                         nb04._HAND.numbers()),),
    nb04.reuse_grad: lambda: (_reuse_grad(),),
    nb05.neuron_by_hand: lambda: nb05._neuron_reference()[1:3],
    nb06.output_bias_gradient: lambda: (nb06._bias_gradient(),),
    nb07.hinge_values: lambda: ([nb07._hinge(y, s) for y, s in
                                 nb07._pairs_of(nb07.hinge_values.variant.numbers())],),
    nb07.misclassified: lambda: (sorted(nb07._table_sets(nb07.misclassified.variant.numbers())[0]),),
}


def _reuse_grad():
    a, d = nb04.reuse_grad_graph()
    d.backward()
    return a.grad


@pytest.fixture
def as_student():
    def use(who):
        student_id(who)
    yield use
    student_id(None)


@pytest.mark.parametrize("exercise", list(VARIANTS), ids=lambda e: e.title)
def test_without_an_id_the_numbers_are_the_notebooks(exercise, capsys):
    assert student_id() is None
    assert exercise.variant.numbers() == exercise.variant.default
    exercise.check(...)
    assert "Your numbers" not in capsys.readouterr().out


@pytest.mark.parametrize("exercise", list(VARIANTS), ids=lambda e: e.title)
def test_each_student_gets_their_own_numbers_and_checks_against_them(exercise, as_student, capsys):
    default_answer = VARIANTS[exercise]()
    seen = set()
    for who in ("alice", "bob", "s1234567", "42"):
        as_student(who)
        numbers = exercise.variant.numbers()
        assert numbers == exercise.variant.numbers(who)  # the same id, the same numbers
        seen.add(tuple(numbers.values()))
        answer = VARIANTS[exercise]()
        capsys.readouterr()
        assert exercise.check(*answer) is True
        out = capsys.readouterr().out
        assert f"Your numbers (student {who}): {exercise.variant.shown()}" in out
        if numbers != exercise.variant.default:  # the notebook's answer is not theirs
            assert exercise.check(*default_answer) is False
        exercise.check(...)  # the prompt: the cell with `...` prints the numbers to use
        assert f"{NOT_ANSWERED}" in capsys.readouterr().out
        # hints and the worked solution speak of the student's numbers, and it passes
        assert all("{" not in hint for hint in exercise.hints)
        assert "{" not in exercise.solution_text
    assert len(seen) >= 2


def test_the_id_is_drawn_the_same_way_in_every_process(copy):
    out = run(copy, """
        from backproplab.exercises import nb01, nb04
        print(nb01.partial_slopes.variant.numbers("alice"), nb04.reuse_grad.variant.numbers("alice"))
    """)
    assert out.strip() == (f"{nb01.partial_slopes.variant.numbers('alice')} "
                           f"{nb04.reuse_grad.variant.numbers('alice')}")


def test_an_id_that_is_not_a_string_is_a_clear_error():
    with pytest.raises(ValueError, match="a student id is a non-empty string"):
        student_id("  ")
    with pytest.raises(ValueError, match="a student id is a non-empty string"):
        student_id(["alice"])


# -------------------------------------------------------- grading the copy's notebooks

NUMERICAL_GRADIENT = (
    "def numerical_gradient(f, inputs, h):\n"
    "    grads = []\n"
    "    for i in range(len(inputs)):\n"
    "        up, down = list(inputs), list(inputs)\n"
    "        up[i] += h\n"
    "        down[i] -= h\n"
    "        grads.append((f(*up) - f(*down)) / (2 * h))\n"
    "    return grads\n"
    # right only where the solutions are gone: the kernel runs the copy, not the course
    "nb01.numerical_gradient.check(numerical_gradient if "
    "nb01.numerical_gradient.solution_text is None else None)\n"
)


def answers_for(who):
    """Notebook 01's answer cells, right for student `who`'s numbers (None: the notebook's)."""
    student_id(who)
    try:
        return {"numerical_gradient": NUMERICAL_GRADIENT,
                "forward_vs_central": f"nb01.forward_vs_central.check({nb01._errors()[1:]!r})\n",
                "partial_slopes": f"nb01.partial_slopes.check({nb01._partials()!r})\n",
                "choosing_h": "nb01.choosing_h.check((1e-5, 'round-off'))\n"}
    finally:
        student_id(None)


def submission(copy, answers, extra=None):
    nb = nbformat.read(copy["out"] / "notebooks" / "01_derivatives.ipynb", as_version=4)
    for cell in nb.cells:
        for name, source in answers.items():
            if cell.cell_type == "code" and f"nb01.{name}.check(" in cell.source:
                cell.source = source
    if extra:
        heading = next(i for i, c in enumerate(nb.cells) if EXERCISES_HEADING in c.source)
        nb.cells.insert(heading + 1, nbformat.v4.new_code_cell(extra))
    return nb


def grade(copy, folder, *options):
    out = folder / "grades.csv"
    done = subprocess.run([sys.executable, "-m", "backproplab.grading", str(folder), "--out",
                           str(out), "--jobs", "2", "--cell-timeout", "30", *options],
                          env=copy["env"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {(r["student"], r["exercise"]): r for r in rows}, done.stdout


@pytest.fixture(scope="module")
def graded_by_folder(copy, tmp_path_factory):
    folder = tmp_path_factory.mktemp("by-folder")
    assert nb01._POINT.numbers("alice") != nb01._POINT.numbers("bob")
    made = {
        "alice": submission(copy, answers_for("alice")),
        "bob": submission(copy, answers_for("alice")),  # alice's answers, handed on
        "carol": submission(copy, answers_for("alice"),  # ... and alice's id too
                            extra="from backproplab.exercises import student_id\n"
                                  "student_id('alice')"),
    }
    for student, nb in made.items():
        (folder / student).mkdir()
        nbformat.write(nb, folder / student / "01_derivatives.ipynb")
    return grade(copy, folder, "--student-ids", "folder")


def test_grading_the_copy_by_folder_ids_accepts_each_students_own_answers(graded_by_folder):
    rows, _ = graded_by_folder
    for exercise in ("numerical_gradient", "forward_vs_central", "partial_slopes"):
        assert rows[("alice", exercise)]["status"] == "right", rows[("alice", exercise)]
        assert rows[("alice", exercise)]["student_id"] == "alice"


def test_answers_copied_from_another_student_are_wrong(graded_by_folder):
    rows, _ = graded_by_folder
    for student in ("bob", "carol"):
        assert rows[(student, "numerical_gradient")]["status"] == "right"  # a function: shared
        for exercise in ("forward_vs_central", "partial_slopes"):
            row = rows[(student, exercise)]
            assert row["status"] == "wrong" and row["student_id"] == student, row
            assert f"Your numbers (student {student})" in row["message"]
            assert row["message"].startswith(NOT_YET.format(title=row["title"]))


@pytest.fixture(scope="module")
def graded_by_notebook(copy, tmp_path_factory):
    folder = tmp_path_factory.mktemp("by-notebook")
    wrong = {"forward_vs_central": "nb01.forward_vs_central.check((0.01, 0.31))\n"}
    made = {"complete": submission(copy, answers_for(None)),
            "wrong": submission(copy, wrong),
            "dave": submission(copy, answers_for("dave"),
                               extra="from backproplab.exercises import student_id\n"
                                     "student_id('dave')")}
    for student, nb in made.items():
        (folder / student).mkdir()
        nbformat.write(nb, folder / student / "01_derivatives.ipynb")
    return grade(copy, folder)


def test_grading_the_copy_with_the_notebooks_own_ids(graded_by_notebook):
    rows, stdout = graded_by_notebook
    assert {e: r["status"] for (s, e), r in rows.items() if s == "complete"} == dict.fromkeys(
        ("numerical_gradient", "forward_vs_central", "partial_slopes", "choosing_h"), "right")
    assert rows[("wrong", "forward_vs_central")]["status"] == "wrong"
    assert "swapped" in rows[("wrong", "forward_vs_central")]["message"]
    assert rows[("wrong", "partial_slopes")]["status"] == "not answered"
    assert all(rows[("dave", e)]["status"] == "right" and rows[("dave", e)]["student_id"] == "dave"
               for e in ("forward_vs_central", "partial_slopes"))
    assert "complete,4,0,0,0" in stdout and "wrong,0,1,3,0" in stdout


def exercises(module):
    return [v for v in vars(module).values() if isinstance(v, Exercise)]


def hints(module):
    return " ".join(h for e in exercises(module) for h in e.hints)


def test_the_right_mark_is_what_the_checks_print(capsys):
    nb01.partial_slopes.check((19, -12, 2))
    assert capsys.readouterr().out.startswith(f"{RIGHT_MARK} Partial slopes: correct.")


def test_make_student_refuses_to_replace_the_course():
    with pytest.raises(student_build.BuildError, match="refusing"):
        student_build.build(ROOT)
    assert re.search(r"^student:", (ROOT / "Makefile").read_text(), re.M)
